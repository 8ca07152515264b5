// A minimal element tree for running the dashboard's DOM-free modules in node (no DOM there): h builds a node,
// text reads its text, find collects the nodes a predicate picks. Used by the *-check.mjs scripts.

export function h(tag, attrs, ...children) {
  const node = { tag, attrs: attrs || {}, children: children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false),
    append(...more) { this.children.push(...more); } };
  return node;
}
export const text = (n) => (typeof n === "object" ? n.children.map(text).join("") : String(n));
export const find = (n, pred, out = []) => {
  if (typeof n !== "object") return out;
  if (pred(n)) out.push(n);
  n.children.forEach((c) => find(c, pred, out));
  return out;
};
