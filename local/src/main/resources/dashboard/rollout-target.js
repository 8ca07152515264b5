// The card of a rollout's AWS target (docs/rollouts.md, "Shifting AWS traffic"): what the rollout shifts
// and the weights the rollout step read from AWS at its last decision, with the arms' CloudWatch counts.
// An ES module: app.js imports it when a rollout has a target and appends what renderRolloutTarget returns.

const TYPES = { "lambda-alias": "Lambda alias", "sagemaker-variants": "SageMaker variants" };

// SageMaker keeps weights as floats (0.9 reads back as 0.899999976): show hundredths of a percent at most.
function percent(share) {
  return String(Math.round(share * 10000) / 100) + "%";
}

function describe(target) {
  return target.type === "lambda-alias"
    ? [target.functionName + ":" + target.alias, "control version " + target.controlVersion, "treatment version " + target.treatmentVersion]
    : ["endpoint " + target.endpointName, "control variant " + target.controlVariant, "treatment variant " + target.treatmentVariant];
}

function armOf(target, name) {
  if (name === (target.controlVersion ?? target.controlVariant)) return "control";
  if (name === (target.treatmentVersion ?? target.treatmentVariant)) return "treatment";
  return "not this rollout's";
}

/**
 * The target card.
 * @param rollout the rollout as GET /rollouts/{key} answers it (with a target)
 * @param h       the dashboard's element builder: h(tag, attributes, ...children)
 */
export function renderRolloutTarget(rollout, h) {
  const target = rollout.target;
  const read = rollout.lastDecision && rollout.lastDecision.observations && rollout.lastDecision.observations.target;
  const card = h("section", { class: "card", id: "rollout-target", "aria-labelledby": "target-title", "data-type": target.type },
    h("h2", { id: "target-title" }, "Target: " + (TYPES[target.type] || target.type)),
    h("ul", { class: "plain" }, describe(target).map((line) => h("li", null, line))));
  if (!read || !read.weights) {
    card.append(h("p", { class: "muted small", id: "target-unread" },
      read && read.error ? "Not read at the last decision: " + read.error : "Not read yet: the rollout step reads it when the rollout is in progress."));
    return card;
  }
  const names = Object.keys(read.weights).sort();
  card.append(h("table", { class: "list", id: "target-weights" },
    h("caption", { class: "muted small" }, "Live weights read by the step at " + rollout.lastDecision.at),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "version / variant"), h("th", { scope: "col" }, "arm"), h("th", { scope: "col" }, "weight"))),
    h("tbody", null, names.map((name) => h("tr", { "data-name": name },
      h("th", { scope: "row" }, name), h("td", null, armOf(target, name)), h("td", { class: "num" }, percent(read.weights[name])))))));
  if (read.drift) {
    card.append(h("p", { class: "banner bad", id: "target-drift" }, "Drifted: " + read.drift));
  }
  for (const why of read.notReady || []) {
    card.append(h("p", { class: "banner warn" }, "Not ready: " + why));
  }
  if (read.metrics) {
    const m = read.metrics;
    const line = (arm) => arm + ": " + m[arm].invocations + " requests, " + m[arm].errors + " errors"
      + (m[arm].latencyMs == null ? "" : ", mean latency " + m[arm].latencyMs.toFixed(1) + " ms");
    card.append(h("p", { class: "muted small", id: "target-metrics" },
      "CloudWatch " + m.from + " to " + m.to + " (lag " + m.lag + "): " + line("control") + "; " + line("treatment") + "."));
  }
  return card;
}
