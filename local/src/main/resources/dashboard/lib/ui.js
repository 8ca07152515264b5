// Small building blocks several views share.

import { h } from "./dom.js";
import { label } from "./format.js";

export function badge(kind, text, extra) {
  return h("span", Object.assign({ class: "badge " + kind }, extra || {}), text);
}

export function statusBadge(status) {
  return badge("status s-" + status, label(status), { "data-status": status });
}

/** The page for a key the API does not know; list is the route of the list to go back to. */
export function notFound(kind, key, list) {
  return h("section", { class: "card", "data-not-found": key },
    h("h1", null, "No " + kind + " “" + key + "”"),
    h("p", null, "The API has no " + kind + " with this key. ", h("a", { href: "#/" + list }, "Back to the list")));
}

/**
 * What a page's section modules render for data, in order: each module's render(data, context) answers a
 * node, null to be left out, or a promise of either (a section may read more of the API; they run at once).
 */
export async function renderSections(modules, data, context) {
  const nodes = await Promise.all(modules.map((section) => section.render(data, context)));
  return nodes.filter((node) => node);
}
