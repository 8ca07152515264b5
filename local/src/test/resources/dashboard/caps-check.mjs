// Renders dashboard/views/capped-metrics.js with a minimal element tree (no DOM in node) and checks what it shows.
// Run by io.splitline.local.DashboardCapsModuleTest: node caps-check.mjs <path of views/capped-metrics.js>.
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { find, h, text } from "./tree.mjs";

const { renderCaps } = await import(pathToFileURL(process.argv[2]).href);

const ui = { h, fmtInt: String, fmtNum: String };

// no cap anywhere: the page is unchanged
assert.equal(renderCaps({ variants: [{ key: "control", metrics: { revenue: { units: 10, mean: 2 } } }] }, ui), null);

const section = renderCaps({ variants: [
  { key: "control", metrics: { revenue: { units: 300, mean: 32.5, cap: { value: 100, cappedUnits: 46 } }, purchase: { units: 300, rate: 0.1 } } },
  { key: "green", metrics: { revenue: { units: 310, mean: 31.6, cap: { value: 100, cappedUnits: 48 } }, purchase: { units: 310, rate: 0.2 } } },
] }, ui);
const rows = find(section, (n) => n.tag === "tr" && n.attrs["data-metric"]);
assert.equal(rows.length, 1, "one row per capped metric");
assert.equal(rows[0].attrs["data-metric"], "revenue");
assert.match(text(rows[0]), /^revenue100control 46 of 300 · green 48 of 310$/);
assert.match(text(section), /capped totals/);
console.log("capped-metrics.js ok");
