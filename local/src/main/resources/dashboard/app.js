// Splitline dashboard: plain ES modules, no build step, no external resources. This file is the table of
// pages; the router (lib/router.js) draws the one the address names and refreshes it.
//
// Add a page: write views/<name>.js exporting render(context) (see docs/dashboard.md), import it here and
// register it with one route() line; a third argument adds a header tab for it.

import { route, start } from "./lib/router.js";
import * as experiment from "./views/experiment.js";
import * as experiments from "./views/experiments.js";
import * as holdouts from "./views/holdouts.js";
import * as rollout from "./views/rollout.js";
import * as rollouts from "./views/rollouts.js";

route("/experiments", experiments, "Experiments");
route("/experiments/:key", experiment);
route("/rollouts", rollouts, "Rollouts");
route("/rollouts/:key", rollout);
route("/holdouts", holdouts, "Holdouts");

start();
