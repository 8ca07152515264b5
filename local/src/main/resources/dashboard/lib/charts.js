// Charts as inline SVG (no library): an interval chart shared by the results views.

import { s } from "./dom.js";
import { isNum } from "./format.js";

function niceTicks(lo, hi, count) {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.1 || 0.01;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / magnitude;
  const step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude;
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { lo: start, hi: end, ticks };
}

/**
 * Point and interval per row on one shared axis. rows: {label, value, ci: [lo, hi], cls, title}.
 * zero: draw the line of no difference.
 */
export function intervalChart(rows, { format, zero, caption, cls }) {
  const W = 520, labelW = 104, right = 18, top = 10, rowH = 30, axisH = 28;
  const H = top + rows.length * rowH + axisH;
  const values = [];
  for (const r of rows) {
    if (isNum(r.value)) values.push(r.value);
    if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1])) values.push(r.ci[0], r.ci[1]);
  }
  if (zero) values.push(0);
  const svg = s("svg", { class: "chart " + cls, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption, preserveAspectRatio: "xMinYMin meet" },
    s("title", null, caption));
  if (!values.length) {
    svg.append(s("text", { x: W / 2, y: H / 2, class: "empty", "text-anchor": "middle" }, "no data yet"));
    return svg;
  }
  const scale = niceTicks(Math.min(...values), Math.max(...values), 4);
  const x = (v) => labelW + ((v - scale.lo) / (scale.hi - scale.lo)) * (W - labelW - right);
  const plotBottom = top + rows.length * rowH;
  const grid = s("g", { class: "grid" });
  for (const t of scale.ticks) {
    grid.append(s("line", { x1: x(t), x2: x(t), y1: top - 4, y2: plotBottom }),
      s("text", { x: x(t), y: plotBottom + 18, "text-anchor": "middle" }, format(t)));
  }
  svg.append(grid);
  if (zero && scale.lo <= 0 && scale.hi >= 0) {
    svg.append(s("line", { class: "zero", x1: x(0), x2: x(0), y1: top - 6, y2: plotBottom + 2 }));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const g = s("g", { class: "row " + (r.cls || ""), "data-row": r.label }, s("title", null, r.title || r.label));
    g.append(s("rect", { class: "hit", x: 0, y: y - rowH / 2, width: W, height: rowH }));
    g.append(s("text", { class: "label", x: labelW - 10, y: y + 4, "text-anchor": "end" }, r.label));
    if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1])) {
      g.append(s("line", { class: "interval", x1: x(r.ci[0]), x2: x(r.ci[1]), y1: y, y2: y }),
        s("line", { class: "cap", x1: x(r.ci[0]), x2: x(r.ci[0]), y1: y - 6, y2: y + 6 }),
        s("line", { class: "cap", x1: x(r.ci[1]), x2: x(r.ci[1]), y1: y - 6, y2: y + 6 }));
    }
    if (isNum(r.value)) g.append(s("circle", { class: "point", cx: x(r.value), cy: y, r: 5.5 }));
    else g.append(s("text", { class: "empty", x: labelW + 6, y: y + 4 }, "no data"));
    svg.append(g);
  });
  return svg;
}
