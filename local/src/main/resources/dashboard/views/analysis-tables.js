// The CUPED and segments tables of a results body, drawn with the helpers it is handed (ui.h builds
// elements from text, never HTML), so that it also runs in node (DashboardAnalysisModuleTest). The
// experiment page shows it through its section views/experiment-analysis.js.

/**
 * The "Variance-reduced (CUPED)" and "Segments" sections of a results body, or null when the body has
 * neither (no covariates and no segment aggregates are recorded).
 */
export function renderAnalysis(r, ui) {
  const cuped = (r.comparisons || []).filter((c) => c.cuped);
  const segments = r.segments || [];
  if (!cuped.length && !segments.length) return null;
  const section = ui.h("section", { id: "analysis", "aria-labelledby": "analysis-title" },
    ui.h("h2", { id: "analysis-title" }, "Deeper analysis"));
  if (cuped.length) section.append(cupedCard(cuped, r.multipleTesting, ui));
  if (segments.length) section.append(segmentsCard(segments, r.segmentsComputedAt, ui));
  return section;
}

function estimate(scale, x, ui) {
  return scale === "relative" ? ui.fmtSignedPct(x) : ui.fmtNum(x);
}

function interval(scale, ci, level, ui) {
  if (!Array.isArray(ci)) return "";
  return ui.fmtInterval(ci, (n) => estimate(scale, n, ui)) + (level ? " at " + ui.fmtPct(level, 2) : "");
}

function cupedCard(comparisons, multipleTesting, ui) {
  const { h } = ui;
  const adjustment = multipleTesting === "benjamini_hochberg" ? "Benjamini–Hochberg" : "Holm";
  return h("article", { class: "card", id: "cuped", "aria-labelledby": "cuped-title" },
    h("h3", { id: "cuped-title" }, "Variance-reduced estimates (CUPED)"),
    h("p", { class: "muted small" }, "Adjusted by each unit's pre-exposure value of the metric. Shown beside the raw estimate; the recommendation reads the raw one."),
    h("div", { class: "table-wrap" }, h("table", { class: "list compact cuped" },
      h("thead", null, h("tr", null,
        ["Metric", "Treatment", "Raw estimate [decision CI]", "CUPED estimate [decision CI]", "Adjusted p (" + adjustment + ")", "Variance reduction", "θ", "Significant"]
          .map((t, i) => h("th", { scope: "col", class: i > 1 ? "num" : null }, t)))),
      h("tbody", null, comparisons.map((c) => {
        const k = c.cuped;
        return [h("tr", { "data-metric": c.metric, "data-variant": c.variant },
          h("th", { scope: "row" }, c.metric),
          h("td", null, c.variant),
          h("td", { class: "num" }, estimate(c.scale, c.estimate, ui), h("div", { class: "muted small" }, interval(c.scale, c.adjustedCi, c.adjustedCiLevel, ui))),
          h("td", { class: "num cuped-estimate" }, estimate(k.scale, k.estimate, ui), h("div", { class: "muted small" }, interval(k.scale, k.adjustedCi, k.adjustedCiLevel, ui))),
          h("td", { class: "num", title: String(k.adjustedPValue) }, ui.fmtP(k.adjustedPValue)),
          h("td", { class: "num variance-reduction" }, ui.fmtPct(k.varianceReduction, 1)),
          h("td", { class: "num" }, ui.fmtNum(k.theta)),
          h("td", { class: "num" }, k.significant ? "yes" : "no")),
        (k.notes || []).length ? h("tr", { class: "notes-row" }, h("td", { colspan: 8, class: "muted small" }, "Note: " + k.notes.join("; ") + ".")) : null];
      })))));
}

// computedAt: when the segment aggregates were summed (a roll-up, up to SEGMENT_ROLLUP_SECONDS older than the rest)
function segmentsCard(segments, computedAt, ui) {
  const { h } = ui;
  const dimensions = [...new Set(segments.map((s) => s.dimension))];
  return h("article", { class: "card", id: "segments", "aria-labelledby": "segments-title" },
    h("h3", { id: "segments-title" }, "Segments ", ui.badge("neutral", "exploratory")),
    h("p", { class: "muted small" }, "Each segment's units only. Adjusted p-values count every comparison of every segment; segments never change the recommendation."),
    computedAt ? h("p", { class: "muted small segments-as-of" }, "Segment figures as of " + ui.fmtTime(computedAt) + "; the whole experiment's figures above are live.") : null,
    dimensions.map((d) => h("div", { class: "segment-dimension", "data-dimension": d },
      h("h4", null, d),
      segments.filter((s) => s.dimension === d).map((s) => segmentDetails(s, ui)))));
}

function segmentDetails(s, ui) {
  const { h } = ui;
  const srm = s.srm || {};
  const units = (s.variants || []).map((v) => v.key + " " + ui.fmtInt(v.units)).join(" · ");
  const significant = (s.comparisons || []).filter((c) => c.significant).length;
  return h("details", { class: "segment", "data-dimension": s.dimension, "data-value": s.value, "data-srm-mismatch": String(!!srm.mismatch) },
    h("summary", null, h("b", null, s.value), " ", h("span", { class: "muted small" }, units), " ",
      srm.mismatch ? ui.badge("bad", "Sample ratio mismatch") : null,
      significant ? [" ", ui.badge("neutral", significant + " significant")] : null),
    h("div", { class: "table-wrap" }, h("table", { class: "list compact segment-comparisons" },
      h("thead", null, h("tr", null, ["Metric", "Treatment", "Estimate [decision CI]", "Adjusted p", "Outcome"]
        .map((t, i) => h("th", { scope: "col", class: i > 1 ? "num" : null }, t)))),
      h("tbody", null, (s.comparisons || []).map((c) => h("tr", { "data-metric": c.metric, "data-variant": c.variant, "data-outcome": c.outcome },
        h("th", { scope: "row" }, c.metric),
        h("td", null, c.variant),
        h("td", { class: "num" }, estimate(c.scale, c.estimate, ui), h("div", { class: "muted small" }, interval(c.scale, c.adjustedCi, c.adjustedCiLevel, ui))),
        h("td", { class: "num" }, ui.fmtP(c.adjustedPValue)),
        h("td", { class: "num" }, ui.badge("outcome o-" + c.outcome, ui.label(c.outcome)))))))));
}
