// Renders dashboard/views/analysis-tables.js with a minimal element tree (no DOM in node) and checks what it shows.
// Run by io.splitline.local.DashboardAnalysisModuleTest: node analysis-check.mjs <path of views/analysis-tables.js>.
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { find, h, text } from "./tree.mjs";

const { renderAnalysis } = await import(pathToFileURL(process.argv[2]).href);

const ui = { h, badge: (k, t) => h("span", { class: "badge " + k }, t), label: (t) => String(t).replace(/_/g, " "),
  fmtInt: String, fmtNum: (x) => (x === null ? "–" : String(x)), fmtPct: (x, d = 2) => (x === null ? "–" : (x * 100).toFixed(d) + "%"),
  fmtSignedPct: (x) => (x === null ? "–" : (x > 0 ? "+" : "") + (x * 100).toFixed(1) + "%"), fmtP: (p) => p.toFixed(3),
  fmtInterval: (ci, one) => "[" + one(ci[0]) + ", " + one(ci[1]) + "]", fmtTime: String };

// nothing to show without cuped or segments: the page is unchanged
assert.equal(renderAnalysis({ comparisons: [{ metric: "m", variant: "b" }] }, ui), null);

const comparison = { metric: "revenue", variant: "green", scale: "relative", estimate: 0.05, adjustedCi: [-0.01, 0.11],
  adjustedCiLevel: 0.95, adjustedPValue: 0.12, significant: false, outcome: "not_significant",
  cuped: { scale: "relative", estimate: 0.048, adjustedCi: [0.01, 0.086], adjustedCiLevel: 0.95, adjustedPValue: 0.01,
    varianceReduction: 0.64, theta: 0.8, significant: true, notes: [] } };
const segment = { dimension: "country", value: "FR", srm: { mismatch: true },
  variants: [{ key: "control", units: 1500 }, { key: "green", units: 1000 }],
  comparisons: [Object.assign({}, comparison, { cuped: undefined, significant: true, outcome: "better" })] };
const section = renderAnalysis({ multipleTesting: "holm", comparisons: [comparison], segments: [segment],
  segmentsComputedAt: "2026-12-02T13:00:00Z" }, ui);

const cupedRow = find(section, (n) => n.tag === "tr" && n.attrs["data-metric"] === "revenue" && n.attrs["data-variant"] === "green")[0];
assert.ok(cupedRow, "a CUPED row per comparison");
assert.match(text(cupedRow), /\+5\.0%/, "the raw estimate");
assert.match(text(cupedRow), /\+4\.8%\[\+1\.0%, \+8\.6%\] at 95\.00%/, "the CUPED estimate beside it, with its interval");
assert.match(text(cupedRow), /64\.0%/, "the variance reduction");
const details = find(section, (n) => n.tag === "details");
assert.equal(details.length, 1);
assert.equal(details[0].attrs["data-value"], "FR");
assert.equal(details[0].attrs["data-srm-mismatch"], "true");
assert.match(text(details[0]), /Sample ratio mismatch/);
assert.match(text(section), /exploratory/);
assert.match(text(details[0]), /control 1500 · green 1000/);
assert.match(text(section), /Segment figures as of 2026-12-02T13:00:00Z/, "how old the segment figures are");
console.log("analysis.js ok");
