// Numbers, times and labels as the dashboard shows them. Pure functions: no DOM, no API.

export const isNum = (x) => typeof x === "number" && Number.isFinite(x);
/** What a missing value shows. */
export const DASH = "–";

export function fmtInt(n) {
  return isNum(n) ? Math.round(n).toLocaleString("en-US") : DASH;
}
export function fmtNum(x, precision = 4) {
  if (!isNum(x)) return DASH;
  if (x === 0) return "0";
  return Number(x.toPrecision(precision)).toLocaleString("en-US", { maximumFractionDigits: 12 });
}
export function fmtPct(x, digits = 2) {
  return isNum(x) ? (x * 100).toFixed(digits) + "%" : DASH;
}
export function fmtSignedPct(x, digits = 1) {
  return isNum(x) ? (x > 0 ? "+" : "") + (x * 100).toFixed(digits) + "%" : DASH;
}
export function fmtSigned(x) {
  return isNum(x) ? (x > 0 ? "+" : "") + fmtNum(x) : DASH;
}
export function fmtP(p) {
  if (!isNum(p)) return DASH;
  if (p >= 0.001) return p.toFixed(3);
  return p === 0 ? "0" : p.toExponential(1);
}
export function fmtInterval(ci, one) {
  return Array.isArray(ci) && ci.length === 2 && isNum(ci[0]) && isNum(ci[1]) ? "[" + one(ci[0]) + ", " + one(ci[1]) + "]" : "";
}
/** A metric's own value: conversion rates as percentages, means as numbers. */
export function metricValue(type, x) {
  return type === "conversion" ? fmtPct(x) : fmtNum(x);
}
/** A difference of two metric values: percentage points for rates. */
export function liftValue(type, x) {
  if (!isNum(x)) return DASH;
  return type === "conversion" ? (x > 0 ? "+" : "") + (x * 100).toFixed(2) + " pp" : fmtSigned(x);
}
export function fmtTime(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 19).replace("T", " ") + " UTC";
}
export function fmtClock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}
/** ISO-8601 durations as people say them: PT1H30M → 1h 30m. */
export function fmtDuration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(iso || ""));
  if (!m) return String(iso || DASH);
  const parts = [];
  if (m[1]) parts.push(m[1] + "d");
  if (m[2]) parts.push(m[2] + "h");
  if (m[3]) parts.push(m[3] + "m");
  if (m[4] && Number(m[4]) !== 0) parts.push(Number(m[4]) + "s");
  return parts.length ? parts.join(" ") : "0s";
}
export function label(text) {
  return String(text || "").replace(/_/g, " ");
}
export function shortJson(value, max = 90) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? "null" : text.length > max ? text.slice(0, max - 1) + "…" : text;
}
