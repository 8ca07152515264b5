// #/holdouts: every holdout with its status, held-out percent, seed and metrics, and the held-out and
// general units of its results (GET /holdouts/{key}/results) once it has started.

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { DASH, fmtInt, fmtTime } from "../lib/format.js";
import { refreshBar } from "../lib/router.js";
import { statusBadge } from "../lib/ui.js";

export async function render() {
  const body = await api("/holdouts");
  const holdouts = (body && body.holdouts) || [];
  const page = h("div", { class: "page", "data-page": "holdouts" },
    h("div", { class: "title-row" }, h("h1", null, "Holdouts ", h("span", { class: "count" }, String(holdouts.length))), refreshBar()));
  if (!holdouts.length) {
    page.append(h("section", { class: "card empty-state", id: "holdouts-empty" },
      h("p", null, "No holdouts yet."),
      h("p", { class: "muted" }, "Create one with ", h("code", null, "POST /holdouts"), " (see docs/api.md, Holdouts).")));
    return page;
  }
  const started = holdouts.filter((x) => x.status !== "draft");
  const results = await Promise.all(started.map((x) => api("/holdouts/" + encodeURIComponent(x.key) + "/results").catch(() => null)));
  const unitsOf = new Map(started.map((x, i) => [x.key, results[i]]));
  const units = (key, arm) => {
    const r = unitsOf.get(key);
    const variant = r && (r.variants || []).find((v) => v.key === arm);
    return variant ? fmtInt(variant.units) : DASH;
  };
  page.append(h("div", { class: "table-wrap card flush" }, h("table", { class: "list", id: "holdouts-table" },
    h("caption", { class: "sr-only" }, "Holdouts"),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, "Holdout"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col", class: "num" }, "Held out"),
      h("th", { scope: "col" }, "Seed"), h("th", { scope: "col" }, "Metrics"),
      h("th", { scope: "col", class: "num" }, "Units held out"), h("th", { scope: "col", class: "num" }, "Units general"),
      h("th", { scope: "col" }, "Updated"))),
    h("tbody", null, holdouts.map((x) => h("tr", { "data-holdout": x.key },
      h("th", { scope: "row" }, h("span", { class: "key" }, x.key), x.description ? h("div", { class: "muted small" }, x.description) : null),
      h("td", null, statusBadge(x.status)),
      h("td", { class: "num" }, String(x.percent) + " %"),
      h("td", null, h("code", null, x.seed)),
      h("td", null, (x.metrics || []).map((m) => h("span", { class: "chip" }, m.key))),
      h("td", { class: "num", "data-arm": "holdout" }, units(x.key, "holdout")),
      h("td", { class: "num", "data-arm": "general" }, units(x.key, "general")),
      h("td", { class: "nowrap" }, fmtTime(x.updatedAt))))))));
  return page;
}
