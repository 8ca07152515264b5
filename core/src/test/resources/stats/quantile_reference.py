"""Reference values for quantile metrics and percentile caps (QuantileReferenceTest).

Draws seeded data sets and computes, with numpy only, the exact q-quantiles of event values
(np.quantile(method="lower"): the value of rank floor(q*(n-1)), DDSketch's convention) and, for unit totals
with zeros and refunds, the p-quantile cap c and the exact winsorized moments mean(min(x, c)),
mean(min(x, c)**2) and mean(|min(x, c)|). Java gets the same values (as decimal strings) and must agree within
the sketch's guaranteed relative accuracy. Run: python3 quantile_reference.py (writes quantile_reference.json).
"""
import json
import os

import numpy as np

QUANTILES = [0.5, 0.9, 0.95, 0.99]
CAPS = [0.5, 0.9, 0.95, 0.99]
rng = np.random.default_rng(20261202)


def event_values(name, values, decimals):
    strings = [f"{v:.{decimals}f}" for v in values]
    exact = np.array([float(s) for s in strings])
    return {"name": name, "values": strings,
            "quantiles": {str(q): float(np.quantile(exact, q, method="lower")) for q in QUANTILES}}


def unit_totals(name, totals):
    strings = [f"{v:.2f}" for v in totals]
    x = np.array([float(s) for s in strings])
    caps = []
    for p in CAPS:
        c = float(np.quantile(x, p, method="lower"))
        capped = np.minimum(x, c)
        caps.append({"percentile": p, "cap": c, "mean": float(capped.mean()),
                     "meanSquares": float((capped ** 2).mean()), "meanAbs": float(np.abs(capped).mean())})
    return {"name": name, "totals": strings, "caps": caps}


latency = rng.lognormal(mean=4.0, sigma=1.0, size=5000)
signed = rng.normal(0.0, 50.0, size=3000)
signed[rng.random(3000) < 0.1] = 0.0
tiny_and_huge = np.concatenate([rng.uniform(1e-6, 1e-3, 500), rng.lognormal(20.0, 2.0, 500)])
revenue = np.where(rng.random(4000) < 0.85, 0.0, rng.lognormal(3.0, 1.2, 4000))
refunds = rng.random(4000) < 0.02
revenue[refunds] = -rng.uniform(1.0, 50.0, refunds.sum())
heavy = np.where(rng.random(3000) < 0.5, 0.0, (rng.pareto(1.5, 3000) + 1) * 10)

out = {
    "relativeAccuracy": 0.01,
    "eventValues": [event_values("latency-lognormal", latency, 3),
                    event_values("signed-with-zeros", signed, 2),
                    event_values("tiny-and-huge", tiny_and_huge, 6)],
    "unitTotals": [unit_totals("revenue-with-refunds", revenue), unit_totals("pareto-with-zeros", heavy)],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "quantile_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
