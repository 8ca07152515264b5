// #/rollouts: every rollout with its status, share in treatment, stage and last decision; ?status= filters.

import { ApiError, api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { DASH, fmtTime, label } from "../lib/format.js";
import { refreshBar } from "../lib/router.js";
import { badge, statusBadge } from "../lib/ui.js";
import { percentMeter, stageText } from "./rollout-parts.js";

export async function render({ query }) {
  const status = query.get("status");
  const page = h("div", { class: "page", "data-page": "rollouts" });
  let body;
  try {
    body = await api("/rollouts" + (status ? "?status=" + encodeURIComponent(status) : ""));
  } catch (e) {
    if (!(e instanceof ApiError) || e.auth || (e.status !== 404 && e.status !== 501)) throw e;
    page.append(h("div", { class: "title-row" }, h("h1", null, "Rollouts"), refreshBar()), rolloutsUnavailable(e));
    return page;
  }
  const rollouts = (body && body.rollouts) || [];
  rollouts.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
  page.append(h("div", { class: "title-row" },
    h("h1", null, "Rollouts ", h("span", { class: "count" }, String(rollouts.length))), refreshBar()));
  if (!rollouts.length) {
    page.append(h("section", { class: "card empty-state", id: "rollouts-empty" },
      h("p", null, status ? "No " + label(status) + " rollouts." : "No rollouts yet."),
      h("p", { class: "muted" }, "Create one with ", h("code", null, "POST /rollouts"), " (see docs/rollouts.md).")));
    return page;
  }
  page.append(h("div", { class: "table-wrap card flush" }, h("table", { class: "list", id: "rollouts-table" },
    h("caption", { class: "sr-only" }, "Rollouts"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Rollout"), h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col" }, "Treatment share"), h("th", { scope: "col" }, "Stage"), h("th", { scope: "col" }, "Last decision"),
      h("th", { scope: "col" }, "Updated"))),
    h("tbody", null, rollouts.map((r) => h("tr", { "data-rollout": r.key },
      h("th", { scope: "row" }, h("a", { class: "key", href: "#/rollouts/" + encodeURIComponent(r.key) }, r.key),
        r.description ? h("div", { class: "muted small" }, r.description) : null),
      h("td", null, statusBadge(r.status)),
      h("td", null, percentMeter(r.percent, r.status)),
      h("td", { class: "nowrap" }, stageText(r)),
      h("td", null, r.lastDecision ? [badge("decision d-" + r.lastDecision.decision, r.lastDecision.decision),
        h("div", { class: "muted small clamp", title: r.lastDecision.reason }, r.lastDecision.reason)] : DASH),
      h("td", { class: "nowrap" }, fmtTime(r.updatedAt))))))));
  return page;
}

function rolloutsUnavailable(error) {
  return h("section", { class: "card empty-state", id: "rollouts-unavailable" },
    h("p", null, "Rollouts are not available from this API."),
    h("p", { class: "muted small" }, "GET /rollouts answered " + error.status + (error.code ? " " + error.code : "") + ": " + error.message));
}
