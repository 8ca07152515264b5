// An app that evaluates Splitline's experiments in process with GrowthBook's JavaScript SDK and reports
// exposures and metric events to Splitline, exactly as docs/sdk.md shows.
//
//   node track.mjs <baseUrl> <appKey> <input.json> <output.tsv>
//
// input.json: {"units": [{"id": "...", "attributes": {...}}, ...], "metric": "purchase"}
// output.tsv: one line per unit, one column per feature of the payload (sorted by key): the variant
//             the SDK tracked, or "-" when the unit is outside.
// Every third unit in an experiment converts (one metric event of value 1 per experiment it is in).
// stdout: {"features", "posted", "accepted", "duplicates", "ignored", "rejected", "notModified"}.
import { readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { GrowthBook } from "@growthbook/growthbook";

const [baseUrl, appKey, inputPath, outputPath] = process.argv.slice(2);
const { units, metric } = JSON.parse(readFileSync(inputPath, "utf8"));

const response = await fetch(`${baseUrl}/sdk/payload`, { headers: { "x-api-key": appKey } });
if (response.status !== 200) throw new Error(`GET /sdk/payload: ${response.status} ${await response.text()}`);
const payload = await response.json();
// A client polls with the ETag it holds; unchanged definitions cost no body.
const again = await fetch(`${baseUrl}/sdk/payload`, { headers: { "x-api-key": appKey, "If-None-Match": response.headers.get("etag") } });
const features = Object.keys(payload.features).sort();

const events = [];
const lines = [];
for (const [index, unit] of units.entries()) {
  const arms = new Map();
  const gb = new GrowthBook({
    features: payload.features,
    attributes: { ...unit.attributes, id: unit.id },
    // The snippet of docs/sdk.md: one exposure event per experiment the unit is in.
    trackingCallback: (experiment, result) => {
      arms.set(experiment.key, result.key);
      events.push({ eventId: randomUUID(), key: experiment.key, unitId: unit.id, type: "exposure",
                    timestamp: new Date().toISOString() });
    },
  });
  features.forEach((key) => gb.evalFeature(key));
  gb.destroy();
  for (const key of arms.keys()) {
    if (index % 3 === 0) {
      events.push({ eventId: randomUUID(), key, unitId: unit.id, type: "metric", metric, value: 1,
                    timestamp: new Date().toISOString() });
    }
  }
  lines.push(features.map((key) => arms.get(key) ?? "-").join("\t"));
}
writeFileSync(outputPath, lines.join("\n") + "\n", "utf8");

const totals = { accepted: 0, duplicates: 0, ignored: 0, rejected: 0 };
for (let i = 0; i < events.length; i += 500) {
  const posted = await fetch(`${baseUrl}/events`, {
    method: "POST",
    headers: { "x-api-key": appKey, "Content-Type": "application/json" },
    body: JSON.stringify({ events: events.slice(i, i + 500) }),
  });
  if (posted.status !== 200) throw new Error(`POST /events: ${posted.status} ${await posted.text()}`);
  const outcome = await posted.json();
  totals.accepted += outcome.accepted;
  totals.duplicates += outcome.duplicates;
  totals.ignored += outcome.ignored;
  totals.rejected += outcome.rejected.length;
}
console.log(JSON.stringify({ features, posted: events.length, ...totals, notModified: again.status === 304 }));
