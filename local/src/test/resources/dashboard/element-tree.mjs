// A minimal element tree for rendering dashboard view modules in node (no DOM): h() as the modules' ui.h, and
// text()/find() to read what they drew. Shared by the *-check.mjs scripts.

export function h(tag, attrs, ...children) {
  return { tag, attrs: attrs || {}, children: children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false),
    append(...more) { this.children.push(...more); } };
}

export const text = (n) => (typeof n === "object" ? n.children.map(text).join("") : String(n));

export const find = (n, pred, out = []) => {
  if (typeof n !== "object") return out;
  if (pred(n)) out.push(n);
  n.children.forEach((c) => find(c, pred, out));
  return out;
};
