// An experiment's definition as people read it: variants, coverage, metrics, tests, targeting, overrides.

import { h } from "../lib/dom.js";
import { fmtInt, fmtPct, isNum, shortJson } from "../lib/format.js";

export function render({ experiment: e }) {
  const rows = [
    ["Control", e.control],
    ["Variants", h("div", null, (e.variants || []).map((v) => h("div", null,
      h("b", null, v.key), " " + fmtPct(v.weight, 1), v.config ? h("code", { class: "small" }, " " + shortJson(v.config)) : null)))],
    ["Coverage", fmtPct(e.coverage, 1) + " of eligible units"],
    ["Metrics", h("div", null, (e.metrics || []).map((m) => h("div", null, h("b", null, m.key), ` ${m.type}, ${m.role}, ${m.direction === "decrease" ? "lower" : "higher"} is better`,
      isNum(m.minimumDetectableEffect) ? ", MDE " + fmtPct(m.minimumDetectableEffect, 0) : "")))],
    ["Confidence level", fmtPct(e.confidenceLevel, 0)],
    ["Minimum sample", fmtInt(e.minimumSampleSize) + " units per variant"],
    ["Sequential test", "tuned for " + fmtInt(e.expectedUnitsPerVariant) + " units per variant"],
    ["Multiple testing", e.multipleTesting === "benjamini_hochberg" ? "Benjamini–Hochberg (false discovery rate)" : "Holm (family-wise error rate)"],
    ["Targeting", e.targeting ? h("code", null, shortJson(e.targeting, 240)) : "everyone"],
    ["Namespace", e.namespace ? `${e.namespace.name} [${e.namespace.start}, ${e.namespace.end})` : "none"],
    ["Segments", (e.dimensions || []).length ? e.dimensions.join(", ") + " (value at first exposure; first 20 values each, exploratory)" : "none"],
    ["Overrides", Object.keys(e.overrides || {}).length ? fmtInt(Object.keys(e.overrides).length) + " unit ids forced (QA)" : "none"],
  ];
  return h("section", { class: "card", id: "definition", "aria-labelledby": "definition-title" },
    h("h2", { id: "definition-title" }, "Definition"),
    h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])));
}
