// A rollout's stages, each done, current, failed or pending, with its bake time.

import { h } from "../lib/dom.js";
import { fmtDuration, label } from "../lib/format.js";

export function render({ rollout: r }) {
  const stages = r.stages || [];
  const current = r.stageIndex ?? 0;
  const started = r.status !== "draft";
  const failed = r.status === "rolled_back" || r.status === "aborted";
  return h("section", { class: "card", id: "stages", "aria-labelledby": "stages-title" },
    h("h2", { id: "stages-title" }, "Stages"),
    h("ol", { class: "stages" }, stages.map((st, i) => {
      let state = "pending";
      if (started && (i < current || (i === current && r.status === "completed"))) state = "done";
      else if (started && i === current) state = failed ? "failed" : "current";
      return h("li", { class: "stage " + state, "data-stage": i, "aria-current": state === "current" ? "step" : null },
        h("span", { class: "stage-percent" }, st.percent + "%"),
        h("span", { class: "muted small" }, "bake " + fmtDuration(st.bake)),
        h("span", { class: "stage-state small" }, state === "current" ? label(r.status) : state));
    })));
}
