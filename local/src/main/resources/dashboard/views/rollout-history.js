// Every decision of a rollout with the figures behind it, newest first; a run of identical holds is one
// row, "hold ×N". Long histories show the newest rows until the user asks for all.

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { DASH, fmtInt, fmtTime } from "../lib/format.js";
import { redraw } from "../lib/router.js";
import { badge } from "../lib/ui.js";

const HISTORY_ROWS = 50;

export function render({ history: historyBody, entries }, { state }) {
  const section = h("section", { class: "card flush", id: "history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title", class: "pad" }, "Decisions ", h("span", { class: "muted small" }, fmtInt(entries.length) + " entries, newest first")));
  if (historyBody instanceof ApiError) {
    section.append(h("p", { class: "pad muted" }, "History is not available: " + historyBody.message));
    return section;
  }
  const newest = entries.slice().reverse();
  const shown = state.showAll ? newest : newest.slice(0, HISTORY_ROWS);
  section.append(h("div", { class: "table-wrap" }, h("table", { class: "list compact", id: "history-table" },
    h("thead", null, h("tr", null, ["When", "Decision", "Percent", "Actor", "Reason", "Figures"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", null, shown.map((e) => h("tr", { "data-decision": e.decision },
      h("td", { class: "nowrap" }, fmtTime(e.at), e.count > 1 ? h("span", { class: "muted small" }, " to " + fmtTime(e.lastSeenAt)) : null),
      h("td", null, badge("decision d-" + e.decision, e.decision), e.count > 1 ? h("span", { class: "count muted small" }, " ×" + fmtInt(e.count)) : null),
      h("td", { class: "nowrap" }, e.fromPercent + "% → " + e.toPercent + "%"),
      h("td", { class: "nowrap" }, e.actor),
      h("td", { class: "reason" }, e.reason),
      h("td", null, e.observations && typeof e.observations === "object"
        ? h("details", { "data-persist": "obs-" + e.version }, h("summary", null, "show"), h("pre", null, JSON.stringify(e.observations, null, 2)))
        : DASH)))))));
  if (newest.length > HISTORY_ROWS) {
    section.append(h("p", { class: "pad" }, h("button", {
      type: "button", class: "link-button", onclick: () => { state.showAll = !state.showAll; redraw(); },
    }, state.showAll ? "Show the newest " + HISTORY_ROWS : "Show all " + fmtInt(newest.length) + " entries")));
  }
  return section;
}
