// The experiment page's "Deeper analysis" section: CUPED beside the raw estimate and the exploratory
// segments drill-down, when the results carry them (views/analysis-tables.js draws them).

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtInt, fmtInterval, fmtNum, fmtP, fmtPct, fmtSignedPct, fmtTime, label } from "../lib/format.js";
import { badge } from "../lib/ui.js";
import { renderAnalysis } from "./analysis-tables.js";

export function render({ results }) {
  if (!results || results instanceof ApiError) return null;
  return renderAnalysis(results, { h, badge, label, fmtInt, fmtNum, fmtPct, fmtSignedPct, fmtP, fmtInterval, fmtTime });
}
