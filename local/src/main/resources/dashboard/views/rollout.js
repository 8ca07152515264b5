// #/rollouts/<key>: one rollout's share in treatment, checks, stages, timeline and decisions.

import { ApiError, apiAll, historyOf } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtTime } from "../lib/format.js";
import { refreshBar } from "../lib/router.js";
import { notFound, renderSections, statusBadge } from "../lib/ui.js";
import * as decisions from "./rollout-history.js";
import * as stages from "./rollout-stages.js";
import * as summary from "./rollout-summary.js";
import * as target from "./rollout-target.js";
import * as timeline from "./rollout-timeline.js";

/**
 * The page's sections, top to bottom: a new section is one more module in this list. Each module's
 * render(data, context) answers a node, null to leave it out, or a promise of either. data is
 * {rollout, history, entries}: the rollout, its history body or the ApiError that refused it, and the
 * history's entries oldest first ([] when refused).
 */
const SECTIONS = [summary, target, stages, timeline, decisions];

export async function render(context) {
  const key = context.params.key;
  const k = encodeURIComponent(key);
  const [[rollout], historyBody] = await Promise.all([apiAll(["/rollouts/" + k]), historyOf("/rollouts/" + k)]);
  if (rollout instanceof ApiError) {
    if (rollout.status === 404) return notFound("rollout", key, "rollouts");
    throw rollout;
  }
  const entries = historyBody instanceof ApiError ? [] : (historyBody && historyBody.entries) || [];
  const page = h("div", { class: "page", "data-page": "rollout", "data-key": rollout.key },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/rollouts" }, "Rollouts"), " / ", h("span", null, rollout.key)),
    h("div", { class: "title-row" }, h("h1", null, rollout.key, " ", statusBadge(rollout.status)), refreshBar()),
    rollout.description ? h("p", { class: "lead" }, rollout.description) : null,
    h("p", { class: "meta muted" }, "version ", String(rollout.version), " · created ", fmtTime(rollout.createdAt),
      rollout.stageStartedAt ? " · stage started " + fmtTime(rollout.stageStartedAt) : "", " · updated ", fmtTime(rollout.updatedAt)));
  const data = { rollout, history: historyBody, entries };
  page.append(...(await renderSections(SECTIONS, data, context)));
  return page;
}
