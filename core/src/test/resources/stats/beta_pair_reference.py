#!/usr/bin/env python3
"""Reference values for the Beta comparison below the closed form's gate
(io.splitline.stats.BetaPairIntegrals, what BayesianComparison.proportions uses unless every Beta shape
parameter is at least 10 000): arms from 0 to 10⁸ units, rates from 0 to 100 %, equal and unequal arms,
lifts from none to decisive, both directions.

Independent of Splitline's method (Clenshaw–Curtis panels with the distribution functions integrated from
the density): P(T > C) = ∫ f_C(t)·P(T > t) dt and the expected loss E[(C − T)⁺] = ∫ P(T <= t)·P(C > t) dt
(E[(T − C)⁺] for a metric to decrease), integrated with scipy's adaptive quad over scipy's beta pdf/cdf/sf
(incomplete beta functions), breakpoints at both posteriors' means ± 1…8 sd. For arms of up to 300
conversions P(T > C) is cross-checked against Evan Miller's closed sum (to 1e-10). Also written: the
posterior sd of T − C, the scale of the losses' tolerance. Run from anywhere:

    python3 core/src/test/resources/stats/beta_pair_reference.py

It rewrites beta-pair.json beside itself (deterministic). BetaPairIntegralsTest requires agreement to
1e-9 (probability) and 1e-9·sd (loss).
"""
import json
import math
import os

import scipy
from scipy import integrate, special, stats

GATE = 10_000


def shapes(units, conversions):
    return 1 + conversions, 1 + units - conversions


def moments(a, b):
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def integral(f, params):
    ms = [moments(*p) for p in params]
    lo = max(0.0, min(m - 45 * s for m, s in ms))
    hi = min(1.0, max(m + 45 * s for m, s in ms))
    points = sorted({m + k * s for m, s in ms for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8) if lo < m + k * s < hi})
    edges = [lo] + points + [hi]
    return sum(integrate.quad(f, u, v, epsabs=1e-16, epsrel=1e-13, limit=500)[0] for u, v in zip(edges[:-1], edges[1:]))


def miller(c, t):
    """Evan Miller's closed form for P(T > C) with integer shapes."""
    (ac, bc), (at, bt) = c, t
    return sum(math.exp(special.betaln(ac + i, bc + bt) - math.log(bt + i) - special.betaln(1 + i, bt)
                        - special.betaln(ac, bc)) for i in range(int(at)))


cases = []


def add(nc, xc, nt, xt, direction):
    if xt > nt or xc > nc or xt < 0:
        return
    pc, pt = shapes(nc, xc), shapes(nt, xt)
    if min(pc + pt) >= GATE:
        return
    c, t = stats.beta(*pc), stats.beta(*pt)
    t_above = integral(lambda s: c.pdf(s) * t.sf(s), [pc, pt])
    if max(xt, xc) <= 300:
        assert abs(t_above - miller(pc, pt)) < 1e-10, (nc, xc, nt, xt, t_above, miller(pc, pt))
    if direction == "increase":
        beat, loss = t_above, integral(lambda s: t.cdf(s) * c.sf(s), [pc, pt])
    else:
        beat, loss = 1 - t_above, integral(lambda s: c.cdf(s) * t.sf(s), [pc, pt])
    cases.append({"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt},
                  "direction": direction, "probabilityToBeatControl": beat, "expectedLoss": loss,
                  "sd": math.hypot(moments(*pc)[1], moments(*pt)[1])})


# Small to large arms (the benchmark's segments have ~1 250 units an arm, its whole arms ~25 000).
for units in (0, 1, 10, 30, 100, 1_250, 25_000, 1_000_000, 100_000_000):
    for rate in (0.0, 0.001, 0.05, 0.3, 0.74, 0.999, 1.0):
        for lift in (0.0, 0.02, 0.3):
            for share in (1.0, 0.1):
                for direction in ("increase", "decrease"):
                    nt = int(units * share)
                    xt = min(nt, round(nt * rate * (1 + lift)))
                    add(units, round(units * rate), nt, xt, direction)
# Corners: an arm below the gate against one far past it; arms far apart; one empty arm.
for nc, xc, nt, xt in ((100_000_000, 50_000_000, 200, 100), (300, 2, 100_000_000, 1_000_000),
                       (1_000_000, 5_000, 1_000_000, 50_000), (50, 49, 50, 1), (0, 0, 1_000, 500),
                       (20_000, 9_999, 20_000, 10_400), (5_000_000, 9_000, 5_000_000, 9_300)):
    for direction in ("increase", "decrease"):
        add(nc, xc, nt, xt, direction)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "beta-pair.json")
with open(out, "w") as f:
    json.dump({"generator": "beta_pair_reference.py", "scipy": scipy.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(len(cases), "cases written to", out)
