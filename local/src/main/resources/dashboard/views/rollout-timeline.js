// A rollout's timeline: the percent of units in treatment over time as a step line drawn from its
// history, one point per decision coloured by kind (hover a point for its reason).

import { h, s } from "../lib/dom.js";
import { fmtTime, isNum } from "../lib/format.js";

const DECISIONS = ["advance", "hold", "rollback", "complete", "pause", "manual"];
const FINAL_ROLLOUT = new Set(["completed", "rolled_back", "aborted"]);
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
  .map((sec) => sec * 1000);

export function render({ rollout, entries }) {
  const counts = {};
  for (const e of entries) counts[e.decision] = (counts[e.decision] || 0) + (e.count || 1);
  return h("section", { class: "card", id: "timeline", "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "Timeline"),
    h("p", { class: "muted small" }, "Percent of units in treatment after each decision. Hover a point for its reason; every decision is in the table below."),
    h("div", { class: "chart-scroll" }, timelineChart(entries, rollout, Date.now())),
    h("ul", { class: "legend" }, DECISIONS.map((d) => h("li", null, h("span", { class: "dot d-" + d }), d, h("span", { class: "muted" }, " " + (counts[d] || 0))))));
}

/** Percent of units in treatment over time: a step line, one point per decision, coloured by decision. */
function timelineChart(entries, rollout, nowMs) {
  const W = 960, H = 300, left = 48, right = 20, top = 14, bottom = 40;
  const points = entries
    .map((e) => Object.assign({}, e, { t: Date.parse(e.at) }))
    .filter((e) => isNum(e.t))
    .sort((a, b) => a.t - b.t);
  const caption = "Percent of units in treatment over time for " + rollout.key;
  const svg = s("svg", { class: "chart timeline", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption, preserveAspectRatio: "xMinYMin meet" },
    s("title", null, caption));
  if (!points.length) {
    svg.append(s("text", { x: W / 2, y: H / 2, class: "empty", "text-anchor": "middle" }, "no history yet"));
    return svg;
  }
  const t0 = points[0].t;
  const last = points[points.length - 1].t;
  let t1 = FINAL_ROLLOUT.has(rollout.status) ? last : Math.max(last, nowMs);
  if (t1 - t0 < 1000) t1 = t0 + 1000;
  const pad = (t1 - t0) * 0.03;
  const lo = t0 - pad, hi = t1 + pad;
  const x = (t) => left + ((t - lo) / (hi - lo)) * (W - left - right);
  const y = (p) => top + (1 - p / 100) * (H - top - bottom);

  const grid = s("g", { class: "grid" });
  for (const p of [0, 25, 50, 75, 100]) {
    grid.append(s("line", { x1: left, x2: W - right, y1: y(p), y2: y(p) }),
      s("text", { x: left - 8, y: y(p) + 4, "text-anchor": "end" }, p + "%"));
  }
  for (const stage of rollout.stages || []) {
    if (![0, 25, 50, 75, 100].includes(stage.percent)) {
      grid.append(s("line", { class: "stage", x1: left, x2: W - right, y1: y(stage.percent), y2: y(stage.percent) }));
    }
  }
  const span = hi - lo;
  const step = TIME_STEPS.find((st) => span / st <= 7) || TIME_STEPS[TIME_STEPS.length - 1];
  const withDate = span > 86400000;
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    const iso = new Date(t).toISOString();
    grid.append(s("line", { class: "vertical", x1: x(t), x2: x(t), y1: top, y2: H - bottom }),
      s("text", { x: x(t), y: H - bottom + 18, "text-anchor": "middle" },
        withDate ? iso.slice(5, 10) + " " + iso.slice(11, 16) : span > 3600000 ? iso.slice(11, 16) : iso.slice(11, 19)));
  }
  grid.append(s("text", { x: W - right, y: H - 4, "text-anchor": "end", class: "axis-title" }, "time (UTC)"));
  svg.append(grid);

  let level = points[0].fromPercent ?? 0;
  let d = `M${x(points[0].t)},${y(level)}`;
  for (const p of points) {
    d += ` H${x(p.t)} V${y(p.toPercent ?? level)}`;
    level = p.toPercent ?? level;
  }
  d += ` H${x(t1)}`;
  svg.append(s("path", { class: "area", d: d + ` V${y(0)} H${x(points[0].t)} Z` }), s("path", { class: "step", d }));
  const dots = s("g", { class: "points" });
  for (const p of points) {
    const decision = DECISIONS.includes(p.decision) ? p.decision : "manual";
    dots.append(s("circle", {
      class: "pt d-" + decision, cx: x(p.t), cy: y(p.toPercent ?? 0), r: decision === "hold" ? 4 : 6.5, "data-decision": decision,
    }, s("title", null, `${fmtTime(p.at)} · ${decision} ${p.fromPercent}% → ${p.toPercent}%${p.reason ? " · " + p.reason : ""}`)));
  }
  svg.append(dots);
  return svg;
}
