// An experiment's history of changes (GET /experiments/<key>/history), newest first.

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { DASH, fmtPct, fmtTime, shortJson } from "../lib/format.js";
import { badge } from "../lib/ui.js";

export function render({ history: historyBody }) {
  const section = h("section", { class: "card flush", id: "history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title", class: "pad" }, "History"));
  if (historyBody instanceof ApiError) {
    section.append(h("p", { class: "pad muted" }, "History is not available: " + historyBody.message));
    return section;
  }
  const entries = ((historyBody && historyBody.entries) || []).slice().reverse();
  section.append(h("div", { class: "table-wrap" }, h("table", { class: "list compact", id: "history-table" },
    h("thead", null, h("tr", null, ["When", "Actor", "Action", "Version", "Changes"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", null, entries.map((e) => h("tr", { "data-action": e.action },
      h("td", { class: "nowrap" }, fmtTime(e.at)), h("td", null, e.actor), h("td", null, badge("action", e.action)),
      h("td", { class: "num" }, String(e.version)), h("td", { class: "changes" }, changeSummary(e))))))));
  return section;
}

function changeSummary(entry) {
  const changes = entry.changes || {};
  if (entry.action === "create") return "created with " + ((changes.variants || []).map((v) => v.key + " " + fmtPct(v.weight, 0)).join(", ") || "its definition");
  const parts = Object.entries(changes).map(([field, c]) =>
    c && typeof c === "object" && "from" in c && "to" in c ? `${field}: ${shortJson(c.from, 40)} → ${shortJson(c.to, 40)}` : `${field}: ${shortJson(c, 60)}`);
  return parts.join("; ") || DASH;
}
