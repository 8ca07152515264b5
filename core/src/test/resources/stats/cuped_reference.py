#!/usr/bin/env python3
"""Independent reference values for io.splitline.stats.CupedEstimate (CUPED with θ pooled across arms).

For each case it draws per-unit data (y the metric, x a pre-exposure covariate; integers or cents, so the
sums handed to Java are exact decimals) and computes, from the per-unit values only:
  * θ and the treatment effect by ordinary least squares, numpy.linalg.lstsq on y ~ 1 + treatment + x;
  * the per-unit adjusted values a = y − θ·(x − x̄) (x̄ over both arms), whose arm means are the adjusted
    means (their difference is asserted equal to the OLS treatment coefficient);
  * the absolute test: scipy.stats.ttest_ind(a_T, a_C, equal_var=False) (t, Welch df, p, 95 % interval);
  * the relative test: r = mean(a_T)/mean(a_C) − 1 with the delta-method variance
    var(a_T)/(n_T m_C²) + m_T² var(a_C)/(n_C m_C⁴), the Welch df and scipy's t distribution;
  * the variance reduction 1 − (var(a_T)/n_T + var(a_C)/n_C) / (var(y_T)/n_T + var(y_C)/n_C).
Run from anywhere:

    python3 shared/src/test/resources/stats/cuped_reference.py

It rewrites cuped_reference.json beside itself (deterministic: fixed seeds). The Java test
io.splitline.stats.CupedReferenceTest requires agreement to 1e-9 (absolute, or relative above 1).
"""
import json
import os
from fractions import Fraction

import numpy as np
from scipy import stats

CASES = []


def dec(fr):
    """Exact decimal string of a Fraction whose denominator divides 10**4."""
    scaled = Fraction(fr) * 10 ** 4
    assert scaled.denominator == 1, fr
    q = int(scaled.numerator)
    sign = "-" if q < 0 else ""
    s = str(abs(q)).rjust(5, "0")
    return sign + s[:-4] + "." + s[-4:]


def sums(y_cents, x):
    """Exact per-arm sums; y is in cents (two decimals), x an integer."""
    yc = [int(v) for v in y_cents]
    xs = [int(v) for v in x]
    return {"units": len(yc),
            "sumY": dec(Fraction(sum(yc), 100)),
            "sumYSquares": dec(Fraction(sum(v * v for v in yc), 10000)),
            "sumX": dec(Fraction(sum(xs))),
            "sumXSquares": dec(Fraction(sum(v * v for v in xs))),
            "sumXY": dec(Fraction(sum(a * b for a, b in zip(xs, yc)), 100))}


def draw(rng, n, kind, effect):
    if kind == "mean":
        x = rng.poisson(20, n)
        y = np.maximum(0, np.round((5 + 0.8 * x + rng.normal(0, 6, n) + effect) * 100)).astype(np.int64)
    elif kind == "conversion":
        x = rng.poisson(1.5, n)
        y = (rng.random(n) < np.clip(0.05 + 0.06 * x + effect, 0, 1)).astype(np.int64) * 100
    elif kind == "uncorrelated":
        x = rng.poisson(3, n)
        y = np.round(rng.gamma(2.0, 10.0, n) * 100).astype(np.int64)
    else:  # constant covariate: CUPED must leave the estimate as it is
        x = np.full(n, 7)
        y = np.round(rng.gamma(2.0, 10.0, n) * 100 + effect * 100).astype(np.int64)
    return y, x


def reference(name, kind, seed, n_c, n_t, effect):
    rng = np.random.default_rng(seed)
    yc_c, x_c = draw(rng, n_c, kind, 0.0)
    yc_t, x_t = draw(rng, n_t, kind, effect)
    y = np.concatenate([yc_c, yc_t]) / 100.0
    x = np.concatenate([x_c, x_t]).astype(float)
    treat = np.concatenate([np.zeros(n_c), np.ones(n_t)])
    if np.var(x) > 0:
        design = np.column_stack([np.ones_like(y), treat, x])
        beta = np.linalg.lstsq(design, y, rcond=None)[0]
        theta, ols_effect = beta[2], beta[1]
    else:
        theta, ols_effect = 0.0, y[n_c:].mean() - y[:n_c].mean()
    a = y - theta * (x - x.mean())
    a_c, a_t = a[:n_c], a[n_c:]
    assert abs((a_t.mean() - a_c.mean()) - ols_effect) < 1e-9 * max(1, abs(ols_effect))
    welch = stats.ttest_ind(a_t, a_c, equal_var=False)
    ci = welch.confidence_interval(0.95)
    m_c, m_t = a_c.mean(), a_t.mean()
    v_c, v_t = a_c.var(ddof=1) / n_c, a_t.var(ddof=1) / n_t
    df = (v_c + v_t) ** 2 / (v_c ** 2 / (n_c - 1) + v_t ** 2 / (n_t - 1))
    r = m_t / m_c - 1
    se_r = np.sqrt(v_t / m_c ** 2 + m_t ** 2 * v_c / m_c ** 4)
    q = stats.t.ppf(0.975, df)
    raw = y[:n_c].var(ddof=1) / n_c + y[n_c:].var(ddof=1) / n_t
    CASES.append({"name": name,
                  "input": {"control": sums(yc_c, x_c), "treatment": sums(yc_t, x_t)},
                  "expected": {
                      "theta": float(theta), "olsEffect": float(ols_effect),
                      "adjustedControlMean": float(m_c), "adjustedTreatmentMean": float(m_t),
                      "adjustedControlVariance": float(a_c.var(ddof=1)),
                      "adjustedTreatmentVariance": float(a_t.var(ddof=1)),
                      "varianceReduction": float(1 - (v_c + v_t) / raw),
                      "absolute": {"statistic": float(welch.statistic), "df": float(welch.df),
                                   "pValue": float(welch.pvalue), "lower": float(ci.low), "upper": float(ci.high)},
                      "relative": {"estimate": float(r), "statistic": float(r / se_r), "df": float(df),
                                   "pValue": float(2 * stats.t.sf(abs(r / se_r), df)),
                                   "lower": float(r - q * se_r), "upper": float(r + q * se_r)}}})


reference("mean_balanced_effect", "mean", 1, 2000, 2000, 1.0)
reference("mean_unbalanced_null", "mean", 2, 300, 1200, 0.0)
reference("mean_small", "mean", 3, 12, 9, 2.0)
reference("conversion_effect", "conversion", 4, 5000, 5000, 0.02)
reference("conversion_unbalanced", "conversion", 5, 800, 3000, 0.0)
reference("uncorrelated_covariate", "uncorrelated", 6, 400, 400, 0.0)
reference("constant_covariate", "constant", 7, 150, 170, 3.0)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cuped_reference.json"), "w") as out:
    json.dump({"generator": "cuped_reference.py", "cases": CASES}, out, indent=1)
    out.write("\n")
print(f"{len(CASES)} cases")
