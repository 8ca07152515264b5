// The experiment page's "Capped metrics" section, when a metric has a cap (views/capped-metrics.js draws it).

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtInt, fmtNum } from "../lib/format.js";
import { renderCaps } from "./capped-metrics.js";

export function render({ results }) {
  if (!results || results instanceof ApiError) return null;
  return renderCaps(results, { h, fmtInt, fmtNum });
}
