// The experiment page's "Quantiles" section: quantile metrics per variant and percentile caps, when the results
// carry them (views/quantile-tables.js draws them).

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtInt, fmtInterval, fmtNum, fmtPct } from "../lib/format.js";
import { badge } from "../lib/ui.js";
import { renderQuantiles } from "./quantile-tables.js";

export function render({ results }) {
  if (!results || results instanceof ApiError) return null;
  return renderQuantiles(results, { h, badge, fmtInt, fmtNum, fmtPct, fmtInterval });
}
