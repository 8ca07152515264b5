// Per metric: each variant's value with its interval, each treatment's lift over control around the line
// of no difference, and the comparison table with every test's figures.

import { ApiError } from "../lib/api.js";
import { intervalChart } from "../lib/charts.js";
import { h } from "../lib/dom.js";
import { fmtInt, fmtInterval, fmtNum, fmtP, fmtPct, fmtSignedPct, label, liftValue, metricValue } from "../lib/format.js";
import { badge } from "../lib/ui.js";

export function render({ experiment, results: r, metrics, colours }) {
  if (r instanceof ApiError) return null;
  const control = experiment.control;
  const section = h("section", { id: "metrics", "aria-labelledby": "metrics-title" }, h("h2", { id: "metrics-title" }, "Metrics"));
  const keys = [];
  for (const v of r.variants || []) for (const m of Object.keys(v.metrics || {})) if (!keys.includes(m)) keys.push(m);
  const level = fmtPct(r.confidenceLevel, 0);
  for (const key of keys) {
    const def = metrics.get(key) || {};
    const comparisons = (r.comparisons || []).filter((c) => c.metric === key);
    const type = def.type || (comparisons[0] && comparisons[0].type) || "conversion";
    const format = (x) => metricValue(type, x);
    const valueRows = (r.variants || []).map((v) => {
      const x = (v.metrics || {})[key] || {};
      const value = type === "conversion" ? x.rate : x.mean;
      return { label: v.key, value, ci: x.ci, cls: colours.get(v.key) || "",
        title: `${v.key}: ${format(value)} ${fmtInterval(x.ci, format)} (${fmtInt(x.units)} units)` };
    });
    const liftRows = comparisons.map((c) => ({
      label: c.variant, value: c.absoluteLiftCi ? c.absoluteLift : null, ci: c.absoluteLiftCi, cls: "o-" + c.outcome,
      title: `${c.variant} vs ${control}: ${liftValue(type, c.absoluteLift)} ${fmtInterval(c.absoluteLiftCi, (n) => liftValue(type, n))}, ${label(c.outcome)}`,
    }));
    const direction = def.direction === "decrease" ? "lower is better" : "higher is better";
    section.append(h("article", { class: "card metric", "data-metric": key, "aria-labelledby": "metric-" + key },
      h("header", { class: "metric-head" },
        h("h3", { id: "metric-" + key }, key),
        def.role ? badge("role r-" + def.role, def.role) : null,
        h("span", { class: "muted small" }, type + " · " + direction)),
      h("div", { class: "charts" },
        h("figure", null,
          h("figcaption", null, (type === "conversion" ? "Rate" : "Mean per unit") + " per variant, " + level + " CI"),
          intervalChart(valueRows, { format: (t) => (type === "conversion" ? fmtPct(t, 1) : fmtNum(t, 3)), caption: key + ": value per variant with " + level + " confidence intervals", cls: "ci-chart" })),
        h("figure", null,
          h("figcaption", null, "Lift vs " + control + (type === "conversion" ? " (percentage points)" : "") + ", " + level + " CI"),
          intervalChart(liftRows, { format: (t) => (type === "conversion" ? fmtNum(t * 100, 3) : fmtNum(t, 3)), zero: true, caption: key + ": lift of each treatment over control with " + level + " confidence intervals", cls: "lift-chart" }))),
      comparisonTable(comparisons, type, r.multipleTesting)));
  }
  return section;
}

/** The deciding test's interval (multiplicity-adjusted level): significant exactly when it excludes 0. */
function decisionInterval(c, type) {
  if (!Array.isArray(c.adjustedCi)) return "";
  const one = c.scale === "relative" ? (n) => fmtSignedPct(n) : (n) => liftValue(type, n);
  return fmtInterval(c.adjustedCi, one) + " at " + fmtPct(c.adjustedCiLevel, 2);
}

function comparisonTable(comparisons, type, multipleTesting) {
  if (!comparisons.length) return h("p", { class: "muted small" }, "No treatment to compare.");
  const adjustment = multipleTesting === "benjamini_hochberg" ? "Benjamini–Hochberg" : "Holm";
  return h("div", { class: "table-wrap" }, h("table", { class: "list compact comparisons" },
    h("thead", null, h("tr", null,
      ["Treatment", "Absolute lift [CI]", "Relative lift [CI]", "p", "Adjusted p (" + adjustment + ")", "Decision CI", "Sequential p [CI]", "P(beat control)", "Significant", "Outcome"]
        .map((t, i) => h("th", { scope: "col", class: i ? "num" : null }, t)))),
    h("tbody", null, comparisons.map((c) => [h("tr", { "data-variant": c.variant, "data-outcome": c.outcome, class: (c.notes || []).length ? "has-notes" : null },
      h("th", { scope: "row" }, c.variant),
      h("td", { class: "num" }, liftValue(type, c.absoluteLift), h("div", { class: "muted small" }, fmtInterval(c.absoluteLiftCi, (n) => liftValue(type, n)))),
      h("td", { class: "num" }, fmtSignedPct(c.relativeLift), h("div", { class: "muted small" }, fmtInterval(c.relativeLiftCi, (n) => fmtSignedPct(n)))),
      h("td", { class: "num", title: String(c.pValue) }, fmtP(c.pValue)),
      h("td", { class: "num", title: String(c.adjustedPValue) }, fmtP(c.adjustedPValue)),
      h("td", { class: "num decision-ci", title: c.test || "" }, decisionInterval(c, type)),
      h("td", { class: "num", title: String(c.sequentialPValue) }, fmtP(c.sequentialPValue),
        h("div", { class: "muted small" }, fmtInterval(c.sequentialCi, (n) => liftValue(type, n)))),
      h("td", { class: "num" }, fmtPct(c.probabilityToBeatControl, 1)),
      h("td", { class: "num significant" }, c.significant ? "yes" : "no"),
      h("td", { class: "num" }, badge("outcome o-" + c.outcome, label(c.outcome)))),
    (c.notes || []).length ? h("tr", { class: "notes-row" }, h("td", { colspan: 10, class: "muted small" }, "Note: " + c.notes.join("; ") + ".")) : null]))));
}
