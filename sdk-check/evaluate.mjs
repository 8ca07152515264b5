// Evaluates Splitline's GET /sdk/payload with GrowthBook's own JavaScript SDK, as an app would.
//
//   node evaluate.mjs <input.json> <output.tsv>
//
// input.json: {"payload": <the GET /sdk/payload body>, "features": ["key", ...],
//              "units": [{"id": "...", "attributes": {...}}, ...]}
// output.tsv: one line per unit, one column per feature: the variant key the SDK's trackingCallback
//             reported (the unit is in the experiment or rollout), "holdout" when a holdout's force rule
//             applied (and the callback reported the unit in the holdout's "holdout" arm), or "-" when the
//             SDK reported none (the unit is outside: the app shows its default experience, Splitline's control).
//             A column reads "!<detail>" when the SDK's value and its tracking disagree.
// stdout: a summary with the SDK's evaluation speed (this is Node, not the JVM), timed on a second pass
//         through one shared GrowthBookClient (the SDK's server-side API), whose answers must equal the first.
import { readFileSync, writeFileSync } from "node:fs";
import { GrowthBook, GrowthBookClient } from "@growthbook/growthbook";

const [inputPath, outputPath] = process.argv.slice(2);
if (!inputPath || !outputPath) {
  console.error("usage: node evaluate.mjs <input.json> <output.tsv>");
  process.exit(2);
}
const { payload, features, units } = JSON.parse(readFileSync(inputPath, "utf8"));

function evaluate(unit) {
  const tracked = new Map();
  // One instance per unit, as a server evaluates per request; the tracking callback is the one an app
  // registers to send exposures to POST /events (docs/sdk.md).
  const gb = new GrowthBook({
    features: payload.features,
    attributes: { ...unit.attributes, id: unit.id },
    trackingCallback: (experiment, result) => tracked.set(experiment.key, result.key),
  });
  const columns = features.map((key) => {
    const res = gb.evalFeature(key);
    if (res.source === "force" && res.ruleId.startsWith("holdout:")) {
      const arm = tracked.get(res.ruleId.slice("holdout:".length));
      return arm === "holdout" ? "holdout" : `!holdout,tracked=${arm}`;
    }
    const variant = tracked.get(key);
    const inExperiment = res.source === "experiment" || res.source === "force";
    if (inExperiment !== (variant !== undefined)) {
      return `!source=${res.source},tracked=${variant}`;
    }
    if (res.source === "experiment" && res.experimentResult.key !== variant) {
      return `!result=${res.experimentResult.key},tracked=${variant}`;
    }
    return variant ?? "-";
  });
  gb.destroy();
  return columns.join("\t");
}

const lines = units.map(evaluate);
writeFileSync(outputPath, lines.join("\n") + "\n", "utf8");

// The server-side API: one client, attributes per call. The variant of a force rule (an override, or a
// holdout's "holdout") is the one its tracks name.
const client = new GrowthBookClient().initSync({ payload, streaming: false });
function variantOf(key, res) {
  if (res.source === "experiment") return res.experimentResult.key;
  if (res.source === "force") return payload.features[key].rules.find((r) => r.id === res.ruleId).tracks[0].result.key;
  return "-";
}
const answers = new Array(units.length);
const started = process.hrtime.bigint();
for (let u = 0; u < units.length; u++) {
  const user = { attributes: { ...units[u].attributes, id: units[u].id } };
  answers[u] = features.map((key) => variantOf(key, client.evalFeature(key, user))).join("\t");
}
const nanos = Number(process.hrtime.bigint() - started);
const differing = answers.findIndex((line, u) => line !== lines[u]);
if (differing >= 0) {
  console.error(`GrowthBookClient and GrowthBook differ for unit ${differing}: ${answers[differing]} / ${lines[differing]}`);
  process.exit(1);
}
const evaluations = units.length * features.length;
console.log(JSON.stringify({
  runtime: `node ${process.version}`,
  sdk: "@growthbook/growthbook " + JSON.parse(readFileSync(new URL("./node_modules/@growthbook/growthbook/package.json", import.meta.url), "utf8")).version,
  units: units.length,
  evaluations,
  seconds: nanos / 1e9,
  evaluationsPerSecond: Math.round(evaluations / (nanos / 1e9)),
  nanosPerEvaluation: Math.round(nanos / evaluations),
}));
