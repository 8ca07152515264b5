// The capped metrics of a results body: each capped metric's cap and how many units of each variant it
// limited, drawn with the helpers it is handed (ui.h builds elements from text, never HTML), so that it
// also runs in node (DashboardCapsModuleTest). The experiment page shows it through views/experiment-caps.js.

/** The "Capped metrics" card, or null when no metric of the body has a cap. */
export function renderCaps(r, ui) {
  const capped = new Map();
  for (const v of r.variants || []) {
    for (const [metric, x] of Object.entries(v.metrics || {})) {
      if (!x || !x.cap) continue;
      if (!capped.has(metric)) capped.set(metric, { value: x.cap.value, variants: [] });
      capped.get(metric).variants.push({ key: v.key, units: x.units, cappedUnits: x.cap.cappedUnits });
    }
  }
  if (!capped.size) return null;
  return ui.h("section", { class: "card", id: "caps", "aria-labelledby": "caps-title" },
    ui.h("h2", { id: "caps-title" }, "Capped metrics"),
    ui.h("p", { class: "muted small" }, "Each unit's total counts as at most the cap: the means, intervals and tests above are of the capped totals."),
    ui.h("div", { class: "table-wrap" }, ui.h("table", { class: "list compact caps" },
      ui.h("thead", null, ui.h("tr", null, ["Metric", "Cap", "Units above the cap"].map((t, i) => ui.h("th", { scope: "col", class: i ? "num" : null }, t)))),
      ui.h("tbody", null, [...capped].map(([metric, c]) => ui.h("tr", { "data-metric": metric },
        ui.h("th", { scope: "row" }, metric),
        ui.h("td", { class: "num" }, ui.fmtNum(c.value)),
        ui.h("td", { class: "num" }, c.variants.map((v) => v.key + " " + ui.fmtInt(v.cappedUnits) + " of " + ui.fmtInt(v.units)).join(" · "))))))));
}
