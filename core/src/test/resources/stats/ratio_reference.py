#!/usr/bin/env python3
"""Independent reference values for io.splitline.stats.RatioMoments (ratio metrics, delta method).

For each case it draws per-unit numerators a (cents) and denominators b (integers) for two arms and
computes from the per-unit arrays only: R = sum(a)/sum(b) per arm, the delta-method variance of R
    Var(R) = (var(a) - 2 R cov(a, b) + R^2 var(b)) / (n mean(b)^2)      (numpy var/cov, ddof = 1),
the relative test r = R_T/R_C - 1 with Var(r) = Var(R_T)/R_C^2 + R_T^2 Var(R_C)/R_C^4 and the absolute test
R_T - R_C with Var(R_T) + Var(R_C), both with the Welch-Satterthwaite df of the two variances and scipy's t
(p-value and 95 % interval). Run from anywhere:

    python3 shared/src/test/resources/stats/ratio_reference.py

It rewrites ratio_reference.json beside itself (fixed seeds). io.splitline.stats.RatioReferenceTest gives
Java only the exact per-arm sums and requires agreement to 1e-9 (absolute, or relative above 1).
"""
import json
import os
from fractions import Fraction

import numpy as np
from scipy import stats

CASES = []


def dec(fr):
    scaled = Fraction(fr) * 10 ** 4
    assert scaled.denominator == 1, fr
    q = int(scaled.numerator)
    s = str(abs(q)).rjust(5, "0")
    return ("-" if q < 0 else "") + s[:-4] + "." + s[-4:]


def sums(a_cents, b):
    a = [int(v) for v in a_cents]
    bs = [int(v) for v in b]
    return {"units": len(a), "sumNumerator": dec(Fraction(sum(a), 100)),
            "sumNumeratorSq": dec(Fraction(sum(v * v for v in a), 10000)),
            "sumDenominator": dec(Fraction(sum(bs))), "sumDenominatorSq": dec(Fraction(sum(v * v for v in bs))),
            "sumProducts": dec(Fraction(sum(x * y for x, y in zip(a, bs)), 100))}


def draw(rng, n, kind, lift):
    if kind == "revenue_per_session":
        b = rng.poisson(3, n) + 1
        a = np.round(np.maximum(0, rng.normal(4 * b * (1 + lift), 3 * np.sqrt(b))) * 100).astype(np.int64)
    else:  # errors per request: many requests, rare errors
        b = rng.poisson(40, n)
        a = rng.binomial(b, 0.02 * (1 + lift)) * 100
    return a, b


def arm(a_cents, b):
    a = a_cents / 100.0
    n = len(a)
    r = a.sum() / b.sum()
    c = np.cov(a, b, ddof=1)
    var = (c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (n * b.mean() ** 2)
    return r, var, n


def test(est, v_c, n_c, v_t, n_t, se):
    df = (v_c + v_t) ** 2 / (v_c ** 2 / (n_c - 1) + v_t ** 2 / (n_t - 1))
    q = stats.t.ppf(0.975, df)
    return {"estimate": float(est), "statistic": float(est / se), "df": float(df),
            "pValue": float(2 * stats.t.sf(abs(est / se), df)), "lower": float(est - q * se), "upper": float(est + q * se)}


def reference(name, kind, seed, n_c, n_t, lift):
    rng = np.random.default_rng(seed)
    a_c, b_c = draw(rng, n_c, kind, 0.0)
    a_t, b_t = draw(rng, n_t, kind, lift)
    r_c, v_c, _ = arm(a_c, b_c)
    r_t, v_t, _ = arm(a_t, b_t)
    CASES.append({"name": name, "input": {"control": sums(a_c, b_c), "treatment": sums(a_t, b_t)},
                  "expected": {"controlRatio": float(r_c), "treatmentRatio": float(r_t),
                               "controlVarianceOfRatio": float(v_c), "treatmentVarianceOfRatio": float(v_t),
                               "absolute": test(r_t - r_c, v_c, n_c, v_t, n_t, np.sqrt(v_c + v_t)),
                               "relative": test(r_t / r_c - 1, v_c, n_c, v_t, n_t,
                                                np.sqrt(v_t / r_c ** 2 + r_t ** 2 * v_c / r_c ** 4))}})


reference("revenue_per_session_effect", "revenue_per_session", 11, 3000, 3000, 0.05)
reference("revenue_per_session_unbalanced", "revenue_per_session", 12, 400, 1500, 0.0)
reference("revenue_per_session_small", "revenue_per_session", 13, 8, 11, 0.1)
reference("errors_per_request", "errors_per_request", 14, 5000, 5000, 0.2)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ratio_reference.json"), "w") as out:
    json.dump({"generator": "ratio_reference.py", "cases": CASES}, out, indent=1)
    out.write("\n")
print(f"{len(CASES)} cases")
