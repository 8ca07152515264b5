// #/experiments: every experiment with its status, variants and weights; ?status= filters.

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtPct, fmtTime, label } from "../lib/format.js";
import { refreshBar } from "../lib/router.js";
import { statusBadge } from "../lib/ui.js";

const EXPERIMENT_STATUSES = ["draft", "running", "paused", "completed", "archived"];

export async function render({ query }) {
  const status = query.get("status");
  const body = await api("/experiments" + (status ? "?status=" + encodeURIComponent(status) : ""));
  const experiments = (body && body.experiments) || [];
  experiments.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
  const filters = h("nav", { class: "filters", "aria-label": "Filter by status" },
    [null, ...EXPERIMENT_STATUSES].map((st) => h("a", {
      href: "#/experiments" + (st ? "?status=" + st : ""), class: "chip", "aria-current": (st || null) === (status || null) ? "true" : null,
    }, st ? label(st) : "all")));
  const page = h("div", { class: "page", "data-page": "experiments" },
    h("div", { class: "title-row" },
      h("h1", null, "Experiments ", h("span", { class: "count" }, String(experiments.length))),
      refreshBar()),
    filters);
  if (!experiments.length) {
    page.append(h("section", { class: "card empty-state" },
      h("p", null, status ? "No " + label(status) + " experiments." : "No experiments yet."),
      h("p", { class: "muted" }, "Create one with ", h("code", null, "POST /experiments"), " (see docs/api.md), or run the local stack's ",
        h("code", null, "demo"), ".")));
    return page;
  }
  const rows = experiments.map((e) => {
    const href = "#/experiments/" + encodeURIComponent(e.key);
    return h("tr", { "data-experiment": e.key },
      h("th", { scope: "row" },
        h("a", { href, class: "key" }, e.key),
        e.description ? h("div", { class: "muted small" }, e.description) : null),
      h("td", null, statusBadge(e.status)),
      h("td", { class: "variants" }, (e.variants || []).map((v) => h("span", {
        class: "chip variant" + (v.key === e.control ? " control" : ""), "data-variant": v.key, "data-weight": v.weight,
        title: v.key === e.control ? "control" : "treatment",
      }, v.key, " ", h("b", null, fmtPct(v.weight, v.weight * 100 % 1 === 0 ? 0 : 1))))),
      h("td", { class: "num" }, fmtPct(e.coverage, 0)),
      h("td", { class: "nowrap" }, fmtTime(e.updatedAt)));
  });
  page.append(h("div", { class: "table-wrap card flush" }, h("table", { class: "list", id: "experiments-table" },
    h("caption", { class: "sr-only" }, "Experiments"),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, "Experiment"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Variants (weight)"),
      h("th", { scope: "col", class: "num" }, "Coverage"), h("th", { scope: "col" }, "Updated"))),
    h("tbody", null, rows))));
  return page;
}
