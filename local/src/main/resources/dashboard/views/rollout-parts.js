// Pieces the rollouts list and a rollout's page both show.

import { h } from "../lib/dom.js";
import { DASH, isNum } from "../lib/format.js";

/** The share of units in treatment as a bar (red once the rollout failed), with the figure unless withValue is false. */
export function percentMeter(percent, status, withValue = true) {
  return h("div", { class: "percent", "data-percent": percent },
    withValue ? h("span", { class: "percent-value" }, (isNum(percent) ? percent : 0) + "%") : null,
    h("span", { class: "meter small-meter " + (status === "rolled_back" || status === "aborted" ? "bad" : ""), "aria-hidden": "true" },
      h("span", { style: "width:" + (isNum(percent) ? percent : 0) + "%" })));
}

/** "stage 2 of 4". */
export function stageText(r) {
  const stages = r.stages || [];
  if (!stages.length) return DASH;
  return "stage " + (Math.min(r.stageIndex ?? 0, stages.length - 1) + 1) + " of " + stages.length;
}
