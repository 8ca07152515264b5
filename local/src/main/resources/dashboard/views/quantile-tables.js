// The quantile metrics and percentile caps of a results body, drawn with the helpers it is handed (ui.h builds
// elements from text, never HTML), so that it also runs in node (DashboardQuantileModuleTest). The experiment
// page shows it through its section views/experiment-quantiles.js.

/**
 * The "Quantiles" section: per quantile metric a table of P50 … P99 per variant (with its interval) and each
 * treatment's difference from control; and the caps applied to mean metrics capped at a percentile. null when
 * the body has neither.
 */
export function renderQuantiles(r, ui) {
  const metrics = r.quantileMetrics || [];
  const caps = r.percentileCaps || [];
  if (!metrics.length && !caps.length) return null;
  const { h } = ui;
  const section = h("section", { id: "quantiles", "aria-labelledby": "quantiles-title" },
    h("h2", { id: "quantiles-title" }, "Quantiles"));
  metrics.forEach((m) => section.append(metricCard(m, ui)));
  if (caps.length) section.append(capsCard(caps, ui));
  return section;
}

function pLabel(q) {
  return "P" + Math.round(q * 100);
}

function metricCard(m, ui) {
  const { h } = ui;
  const quantiles = [...new Set(m.variants.flatMap((v) => v.quantiles.map((q) => q.quantile)))];
  const differences = new Map(m.comparisons.map((c) => [c.variant, c]));
  return h("article", { class: "card quantile-metric", "data-metric": m.metric, "aria-label": m.metric + " quantiles" },
    h("h3", null, m.metric, " ", ui.badge("neutral", "reported, not decisive")),
    h("p", { class: "muted small" }, "Event values, from a sketch accurate to " + ui.fmtPct(m.relativeAccuracy, 0)
      + ". Intervals: order statistics per variant; the difference from control below each value."),
    h("div", { class: "table-wrap" }, h("table", { class: "list compact quantiles" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Variant"), h("th", { scope: "col", class: "num" }, "Events"),
        quantiles.map((q) => h("th", { scope: "col", class: "num" }, pLabel(q))))),
      h("tbody", null, m.variants.map((v) => {
        const comparison = differences.get(v.variant);
        return h("tr", { "data-variant": v.variant },
          h("th", { scope: "row" }, v.variant),
          h("td", { class: "num" }, ui.fmtInt(v.events)),
          quantiles.map((q) => quantileCell(v, comparison, q, ui)));
      })))),
    m.comparisons.filter((c) => c.notes.length).map((c) => h("p", { class: "muted small" }, c.variant + ": " + c.notes.join("; ") + ".")));
}

function quantileCell(v, comparison, q, ui) {
  const { h } = ui;
  const own = v.quantiles.find((x) => x.quantile === q);
  const difference = comparison && comparison.differences.find((d) => d.quantile === q);
  return h("td", { class: "num", "data-quantile": String(q) },
    own ? ui.fmtNum(own.value) : "–",
    own ? h("div", { class: "muted small" }, ui.fmtInterval(own.ci, ui.fmtNum)) : null,
    difference ? h("div", { class: "small quantile-difference" }, "Δ " + (difference.difference > 0 ? "+" : "") + ui.fmtNum(difference.difference)
      + " " + ui.fmtInterval(difference.ci, ui.fmtNum)) : null);
}

function capsCard(caps, ui) {
  const { h } = ui;
  return h("article", { class: "card", id: "percentile-caps", "aria-labelledby": "percentile-caps-title" },
    h("h3", { id: "percentile-caps-title" }, "Percentile caps"),
    h("p", { class: "muted small" }, "Each unit's total is capped at this value before every statistic of the metric."),
    h("ul", null, caps.map((c) => h("li", { "data-metric": c.metric },
      h("b", null, c.metric), ": " + pLabel(c.percentile) + " of unit totals = ",
      c.value === null ? h("span", { class: "muted" }, "not capped (" + c.note + ")") : ui.fmtNum(c.value)))));
}
