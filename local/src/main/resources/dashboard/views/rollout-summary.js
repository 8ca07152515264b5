// The top of a rollout's page: why it rolled back (when it did), then its share in treatment, its last
// decision and the checks that roll it back.

import { h } from "../lib/dom.js";
import { fmtInt, fmtNum, fmtTime } from "../lib/format.js";
import { badge } from "../lib/ui.js";
import { percentMeter, stageText } from "./rollout-parts.js";

export function render({ rollout }) {
  const frag = document.createDocumentFragment();
  if (rollout.status === "rolled_back") {
    frag.append(h("div", { class: "banner bad", role: "alert", id: "rollback-alert" }, h("strong", null, "Rolled back. "),
      (rollout.lastDecision && rollout.lastDecision.reason) || "The rollout was rolled back."));
  }
  frag.append(h("div", { class: "cards three" },
    h("section", { class: "card", id: "rollout-percent", "aria-labelledby": "percent-title" },
      h("h2", { id: "percent-title" }, "Treatment share"),
      h("p", { class: "big", "data-percent": rollout.percent }, (rollout.percent ?? 0) + "%"),
      percentMeter(rollout.percent, rollout.status, false),
      h("p", { class: "muted small" }, stageText(rollout) + (rollout.stages && rollout.stages[rollout.stageIndex]
        ? " · target " + rollout.stages[rollout.stageIndex].percent + "%" : ""))),
    lastDecisionCard(rollout.lastDecision),
    healthCard(rollout.health || {})));
  return frag;
}

function lastDecisionCard(d) {
  const card = h("section", { class: "card", id: "last-decision", "aria-labelledby": "last-title" }, h("h2", { id: "last-title" }, "Last decision"));
  if (!d) {
    card.append(h("p", { class: "muted" }, "No decision yet."));
    return card;
  }
  card.append(h("p", null, badge("decision d-" + d.decision, d.decision), " ", h("span", { class: "muted" }, d.fromPercent + "% → " + d.toPercent + "%")),
    h("p", { class: "reason" }, d.reason),
    h("p", { class: "muted small" }, fmtTime(d.at) + " by " + d.actor));
  return card;
}

function healthCard(health) {
  const items = [];
  for (const m of health.metrics || []) {
    items.push(h("li", null, h("b", null, m.name), ` ${m.namespace} ${m.metricName} ${m.statistic} per ${m.periodSeconds}s, breached when ${comparisonText(m.comparison)} ${fmtNum(m.threshold)}`));
  }
  for (const r of health.ratios || []) {
    items.push(h("li", null, h("b", null, r.name), ` ${r.numerator && r.numerator.metricName} / ${r.denominator && r.denominator.metricName} per ${r.periodSeconds}s, breached when ${comparisonText(r.comparison)} ${fmtNum(r.threshold)}`));
  }
  for (const a of health.alarms || []) items.push(h("li", null, "alarm ", h("b", null, a), " in ALARM"));
  for (const g of health.guardrails || []) {
    items.push(h("li", null, "guardrail ", h("b", null, g.metric), ` (${g.type}, ${g.direction === "decrease" ? "lower" : "higher"} is better) significantly worse`));
  }
  return h("section", { class: "card", id: "health", "aria-labelledby": "health-title" },
    h("h2", { id: "health-title" }, "Rolls back when"),
    items.length ? h("ul", { class: "checks small" }, items) : h("p", { class: "muted" }, "No health checks: advances on bake time alone."),
    (health.guardrails || []).length ? h("p", { class: "muted small" },
      "Guardrails: one-sided sequential test at α = " + fmtNum(health.alpha) + ", from " + fmtInt(health.minimumUnitsPerArm) + " units per arm.") : null,
    (health.metrics || []).length + (health.ratios || []).length ? h("p", { class: "muted small" },
      "Holds until each check has " + fmtInt(health.minimumDataPoints) + " data point(s).") : null);
}

function comparisonText(c) {
  return { GreaterThanThreshold: ">", GreaterThanOrEqualToThreshold: "≥", LessThanThreshold: "<", LessThanOrEqualToThreshold: "≤" }[c] || c;
}
