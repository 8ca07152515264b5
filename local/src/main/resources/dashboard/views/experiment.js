// #/experiments/<key>: one experiment's results, definition and history, re-read at every refresh.

import { ApiError, apiAll, historyOf } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmtTime } from "../lib/format.js";
import { refreshBar } from "../lib/router.js";
import { notFound, renderSections, statusBadge } from "../lib/ui.js";
import * as analysis from "./experiment-analysis.js";
import * as caps from "./experiment-caps.js";
import * as definition from "./experiment-definition.js";
import * as history from "./experiment-history.js";
import * as metrics from "./experiment-metrics.js";
import * as quantiles from "./experiment-quantiles.js";
import * as summary from "./experiment-summary.js";

/**
 * The page's sections, top to bottom: a new section is one more module in this list. Each module's
 * render(data, context) answers a node, null to leave it out, or a promise of either. data is
 * {experiment, results, history, colours, metrics}: results and history are the API's bodies or the
 * ApiError that refused them, colours maps a variant to its colour class, metrics a metric key to its
 * definition.
 */
const SECTIONS = [summary, metrics, caps, analysis, quantiles, definition, history];

const VARIANT_COLOURS = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];

export async function render(context) {
  const key = context.params.key;
  const k = encodeURIComponent(key);
  const [[experiment, results], historyBody] = await Promise.all([
    apiAll(["/experiments/" + k, "/experiments/" + k + "/results"]), historyOf("/experiments/" + k)]);
  if (experiment instanceof ApiError) {
    if (experiment.status === 404) return notFound("experiment", key, "experiments");
    throw experiment;
  }
  const colours = new Map((experiment.variants || []).map((v, i) => [v.key, v.key === experiment.control ? "control" : VARIANT_COLOURS[i % VARIANT_COLOURS.length]]));
  const page = h("div", { class: "page", "data-page": "experiment", "data-key": experiment.key },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/experiments" }, "Experiments"), " / ", h("span", null, experiment.key)),
    h("div", { class: "title-row" },
      h("h1", null, experiment.key, " ", statusBadge(experiment.status)),
      refreshBar()),
    experiment.description ? h("p", { class: "lead" }, experiment.description) : null,
    h("p", { class: "meta muted" },
      "version ", String(experiment.version), " · created ", fmtTime(experiment.createdAt),
      experiment.startedAt ? " · started " + fmtTime(experiment.startedAt) : "",
      experiment.completedAt ? " · completed " + fmtTime(experiment.completedAt) : "",
      " · updated ", fmtTime(experiment.updatedAt)));
  const data = {
    experiment, results, history: historyBody, colours,
    metrics: new Map((experiment.metrics || []).map((m) => [m.key, m])),
  };
  page.append(...(await renderSections(SECTIONS, data, context)));
  return page;
}
