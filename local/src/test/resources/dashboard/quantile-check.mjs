// Renders dashboard/views/quantile-tables.js with a minimal element tree (no DOM in node) and checks what it shows.
// Run by io.splitline.local.DashboardQuantileModuleTest: node quantile-check.mjs <path of views/quantile-tables.js>.
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { find, h, text } from "./tree.mjs";

const { renderQuantiles } = await import(pathToFileURL(process.argv[2]).href);

const ui = { h, badge: (k, t) => h("span", { class: "badge " + k }, t), fmtInt: String,
  fmtNum: (x) => (x === null ? "–" : String(x)), fmtPct: (x, d = 2) => (x * 100).toFixed(d) + "%",
  fmtInterval: (ci, one) => "[" + one(ci[0]) + ", " + one(ci[1]) + "]" };

// nothing to show without quantile metrics or caps: the page is unchanged
assert.equal(renderQuantiles({ comparisons: [] }, ui), null);

const q = (quantile, value, ci) => ({ quantile, value, ci });
const body = {
  quantileMetrics: [{ metric: "latency", relativeAccuracy: 0.01,
    variants: [{ variant: "control", events: 1000, quantiles: [q(0.5, 100, [95, 105]), q(0.99, 900, [800, 1000])] },
      { variant: "green", events: 1010, quantiles: [q(0.5, 110, [104, 116]), q(0.99, 950, [850, 1100])] },
      { variant: "blue", events: 1, quantiles: [] }],
    comparisons: [{ variant: "green", differences: [{ quantile: 0.5, control: 100, treatment: 110, difference: 10, ci: [2, 18] },
      { quantile: 0.99, control: 900, treatment: 950, difference: 50, ci: [-120, 220] }], notes: [] },
      { variant: "blue", differences: [], notes: ["fewer than 2 events in an arm"] }] }],
  percentileCaps: [{ metric: "revenue", percentile: 0.99, value: 412.5, relativeAccuracy: 0.01, note: null },
    { metric: "spend", percentile: 0.95, value: null, relativeAccuracy: 0.01, note: "no units yet" }],
};
const section = renderQuantiles(body, ui);

const headers = find(section, (n) => n.tag === "th" && n.attrs.scope === "col").map(text);
assert.deepEqual(headers, ["Variant", "Events", "P50", "P99"], "one column per quantile");
const green = find(section, (n) => n.tag === "tr" && n.attrs["data-variant"] === "green")[0];
assert.match(text(green), /110\[104, 116\]Δ \+10 \[2, 18\]/, "the treatment's P50, its interval and its difference from control");
assert.match(text(green), /950\[850, 1100\]Δ \+50 \[-120, 220\]/, "and its P99");
const control = find(section, (n) => n.tag === "tr" && n.attrs["data-variant"] === "control")[0];
assert.doesNotMatch(text(control), /Δ/, "control has no difference from itself");
const blue = find(section, (n) => n.tag === "tr" && n.attrs["data-variant"] === "blue")[0];
assert.match(text(blue), /^blue1––$/, "no quantiles below 2 events");
assert.match(text(section), /blue: fewer than 2 events in an arm\./);
assert.match(text(section), /accurate to 1%/);
assert.match(text(section), /revenue: P99 of unit totals = 412\.5/);
assert.match(text(section), /spend: P95 of unit totals = not capped \(no units yet\)/);
console.log("quantiles.js ok");
