// The top of an experiment's results: the SRM alarm, the recommendation, SRM and power cards, and the
// per-variant table. When the results could not be read, a card that says why.

import { ApiError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { DASH, fmtInt, fmtInterval, fmtNum, fmtP, fmtPct, fmtTime, isNum, label } from "../lib/format.js";
import { badge } from "../lib/ui.js";

export function render({ results, colours, metrics }) {
  if (results instanceof ApiError) {
    return h("section", { class: "card" }, h("h2", null, "Results"),
      h("p", { class: "banner warn", role: "status" }, "Results are not available: " + results.status + " " + (results.code || "") + " " + results.message));
  }
  const frag = document.createDocumentFragment();
  const srm = results.srm || {};
  if (srm.mismatch) {
    frag.append(h("div", { class: "banner bad srm-alert", role: "alert", id: "srm-alert" },
      h("strong", null, "Sample ratio mismatch: do not trust these results."),
      " The unit counts do not match the configured weights (chi-square p = " + fmtP(srm.pValue) + " < 0.001). ",
      "Check assignment, overrides and exposure logging before reading any number below."));
  }
  frag.append(h("div", { class: "cards three" }, recommendationCard(results.recommendation || {}), srmCard(srm, colours), powerCard(results.power, results)));
  frag.append(variantsSection(results, metrics, colours));
  return frag;
}

const DECISION_TEXT = {
  ship: "Ship", keep_control: "Keep control", inconclusive: "Inconclusive", needs_more_data: "Needs more data", not_started: "Not started", invalid: "Invalid",
};

function recommendationCard(rec) {
  const decision = rec.decision || "unknown";
  return h("section", { class: "card recommendation d-" + decision, id: "recommendation", "data-decision": decision, "aria-labelledby": "rec-title" },
    h("h2", { id: "rec-title" }, "Recommendation"),
    h("p", { class: "decision-text" },
      h("span", { class: "decision-label" }, DECISION_TEXT[decision] || label(decision)),
      rec.variant ? h("span", { class: "decision-variant", "data-variant": rec.variant }, " " + rec.variant) : null),
    h("p", { class: "muted small" }, "decision ", h("code", null, decision)),
    h("ul", { class: "reasons" }, (rec.reasons || []).map((reason) => h("li", null, reason))));
}

function srmCard(srm, colours) {
  const mismatch = !!srm.mismatch;
  const observed = srm.observed || {};
  const expected = srm.expected || {};
  const total = Object.values(observed).reduce((a, b) => a + (isNum(b) ? b : 0), 0);
  return h("section", { class: "card srm " + (mismatch ? "mismatch" : "ok"), id: "srm", "data-mismatch": String(mismatch), "aria-labelledby": "srm-title" },
    h("h2", { id: "srm-title" }, "Sample ratio"),
    h("p", { class: "srm-status" }, mismatch ? badge("bad", "Mismatch") : total === 0 ? badge("neutral", "No units yet") : badge("good", "No mismatch"),
      " ", h("span", { class: "muted" }, "p = " + fmtP(srm.pValue))),
    srm.note ? h("p", { class: "muted small" }, srm.note) : null,
    h("table", { class: "compact" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Variant"), h("th", { scope: "col", class: "num" }, "Observed"),
        h("th", { scope: "col", class: "num" }, "Expected"))),
      h("tbody", null, Object.keys(observed).map((v) => h("tr", null,
        h("th", { scope: "row" }, h("span", { class: "swatch " + (colours.get(v) || "") }), v),
        h("td", { class: "num" }, fmtInt(observed[v])),
        h("td", { class: "num" }, fmtNum(expected[v], 6)))))));
}

function powerCard(power, r) {
  const card = h("section", { class: "card power", id: "power", "aria-labelledby": "power-title" }, h("h2", { id: "power-title" }, "Power"));
  if (!power || !isNum(power.requiredUnitsPerVariant)) {
    card.append(h("p", { class: "muted" }, "No sample size target" + (power && power.reason ? ": " + power.reason + "." : ".")));
    return card;
  }
  const progress = isNum(power.progress) ? power.progress : 0;
  const smallest = Math.min(...(r.variants || []).map((v) => v.units).filter(isNum));
  card.append(
    h("p", { class: "big" }, fmtPct(progress, 0), h("span", { class: "muted small" }, " of the planned sample")),
    h("div", {
      class: "meter", role: "progressbar", "aria-label": "Progress towards the required sample",
      "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(Math.round(Math.min(progress, 1) * 100)),
    }, h("span", { style: "width:" + Math.min(progress, 1) * 100 + "%" })),
    h("p", { class: "small" },
      (Number.isFinite(smallest) ? fmtInt(smallest) + " of " : "") + fmtInt(power.requiredUnitsPerVariant) +
      " units per variant to detect a " + fmtPct(power.minimumDetectableEffect, 0) + " relative change in " +
      power.metric + " with " + fmtPct(power.power, 0) + " power."));
  return card;
}

function variantsSection(r, metrics, colours) {
  const keys = [];
  for (const v of r.variants || []) for (const m of Object.keys(v.metrics || {})) if (!keys.includes(m)) keys.push(m);
  const head = h("tr", null, h("th", { scope: "col" }, "Variant"), h("th", { scope: "col", class: "num" }, "Units"),
    keys.map((m) => h("th", { scope: "col", class: "num" }, m, h("div", { class: "muted small" },
      (metrics.get(m) || {}).type === "mean" ? "mean per unit [CI]" : "rate [CI]"))));
  const rows = (r.variants || []).map((v) => h("tr", { "data-variant": v.key },
    h("th", { scope: "row" }, h("span", { class: "swatch " + (colours.get(v.key) || "") }), v.key,
      colours.get(v.key) === "control" ? [" ", badge("role", "control")] : null),
    h("td", { class: "num units", "data-units": v.units }, fmtInt(v.units)),
    keys.map((m) => {
      const x = (v.metrics || {})[m];
      if (!x) return h("td", { class: "num" }, DASH);
      const conversion = "rate" in x;
      const value = conversion ? x.rate : x.mean;
      return h("td", { class: "num", "data-metric": m },
        h("span", { class: "value" }, conversion ? fmtPct(value) : fmtNum(value)),
        h("div", { class: "muted small" }, fmtInterval(x.ci, conversion ? fmtPct : (n) => fmtNum(n))),
        h("div", { class: "muted small" }, conversion ? fmtInt(x.conversions) + " converted" : "sd " + fmtNum(x.stdDev)));
    })));
  return h("section", { class: "card flush", id: "variants", "aria-labelledby": "variants-title" },
    h("h2", { id: "variants-title", class: "pad" }, "Variants ",
      h("span", { class: "muted small" }, "confidence " + fmtPct(r.confidenceLevel, 0) + " · computed " + fmtTime(r.computedAt))),
    h("div", { class: "table-wrap" }, h("table", { class: "list", id: "variants-table" },
      h("caption", { class: "sr-only" }, "Per-variant results"), h("thead", null, head), h("tbody", null, rows))));
}
