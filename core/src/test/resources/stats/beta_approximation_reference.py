#!/usr/bin/env python3
"""Reference values for the closed form that replaces the Beta quadrature on large arms
(io.splitline.stats.BetaDifferenceApproximation), on a grid of arms that pass its gate (every Beta
shape parameter >= 10 000).

Independent of Splitline's formulas and of reference.py's: P(T > C) = ∫ f_C(t)·P(T > t) dt and the expected
loss E[(C − T)⁺] = ∫ P(T <= t)·P(C > t) dt (E[(T − C)⁺] for a metric to decrease), integrated with
scipy's adaptive quad over scipy's beta pdf/cdf/sf, with breakpoints at both posteriors' means ± 1…8 sd.
Also written: the posterior sd of T − C, the scale of the loss's tolerance. Run from anywhere:

    python3 shared/src/test/resources/stats/beta_approximation_reference.py

It rewrites beta-approximation.json beside itself (deterministic). BetaDifferenceApproximationTest
requires agreement to 1e-6 (probability) and 1e-6·sd (loss).
"""
import json
import math
import os

import scipy
from scipy import integrate, stats

GATE = 10_000


def posterior(units, conversions):
    return stats.beta(1 + conversions, 1 + units - conversions)


def moments(d):
    """Mean and sd of a frozen Beta from its shapes (scipy's own var() loses all precision near 10⁹)."""
    a, b = d.args
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def integral(f, dists):
    ms = [moments(d) for d in dists]
    lo = max(0.0, min(m - 45 * s for m, s in ms))
    hi = min(1.0, max(m + 45 * s for m, s in ms))
    points = sorted({m + k * s for m, s in ms for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8) if lo < m + k * s < hi})
    edges = [lo] + points + [hi]
    return sum(integrate.quad(f, u, v, epsabs=1e-15, epsrel=1e-12, limit=500)[0] for u, v in zip(edges[:-1], edges[1:]))


cases = []


def add(nc, xc, nt, xt, direction):
    shapes = (1 + xc, 1 + nc - xc, 1 + xt, 1 + nt - xt)
    if min(shapes) < GATE or xt > nt:
        return
    c, t = posterior(nc, xc), posterior(nt, xt)
    t_above = integral(lambda s: c.pdf(s) * t.sf(s), [c, t])
    if direction == "increase":
        beat, loss = t_above, integral(lambda s: t.cdf(s) * c.sf(s), [c, t])
    else:
        beat, loss = 1 - t_above, integral(lambda s: c.cdf(s) * t.sf(s), [c, t])
    cases.append({"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt},
                  "direction": direction, "probabilityToBeatControl": beat, "expectedLoss": loss,
                  "sd": math.hypot(moments(c)[1], moments(t)[1])})


# Arms of equal and unequal size, rates from 1 % to 90 %, lifts from none to decisive, both directions.
for units in (100_000, 1_000_000, 10_000_000, 1_000_000_000):
    for rate in (0.01, 0.05, 0.2, 0.5, 0.9):
        for lift in (0.0, 0.001, 0.01, 0.05):
            for share in (1.0, 0.1):
                for direction in ("increase", "decrease"):
                    nt = int(units * share)
                    add(units, round(units * rate), nt, round(nt * rate * (1 + lift)), direction)
# Corners: an arm at the gate against arms 10 to 1 000 times its size, at rates from 0.1 % to 99 %.
for nc, xc, nt, xt in ((1_000_000_000, 10_000_000, 1_000_000, 10_100), (10_010_000, 10_000, 1_000_000_000, 1_000_000),
                       (10_010_000, 10_000, 10_010_000, 10_300), (20_000, 10_000, 2_000_000, 1_000_000),
                       (30_000, 20_000, 3_000_000, 2_000_000), (1_010_000, 1_000_000, 101_000_000, 100_000_000),
                       (5_010_000, 10_000, 50_000_000, 102_000), (1_000_000, 990_000, 1_000_000, 989_000)):
    for direction in ("increase", "decrease"):
        add(nc, xc, nt, xt, direction)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "beta-approximation.json")
with open(out, "w") as f:
    json.dump({"generator": "beta_approximation_reference.py", "scipy": scipy.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(len(cases), "cases written to", out)
