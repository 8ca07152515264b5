#!/usr/bin/env python3
"""Independent reference values for capped mean metrics and ratio metrics, end to end.

For each case it draws per-unit data for two arms: revenue (cents, a heavy-tailed total with a few
negative totals from refunds, and units without any event) and sessions (integers, some 0). From the
per-unit arrays only it computes, with numpy and scipy:

* the capped ("winsorized" at the top) revenue y = min(x, cap): per arm the mean, the standard deviation
  (ddof = 1), the 95 % Student t interval and how many units are above the cap; between the arms the
  difference with its Welch interval (scipy.stats.ttest_ind(equal_var=False)), and the relative lift
  mT/mC - 1 by the delta method, Var = vT/mC^2 + mT^2 vC/mC^4 (v = s^2/n), with its Welch-Satterthwaite
  t test and interval;
* the ratio revenue per session R = sum(a)/sum(b) on the uncapped revenue: per arm R, the delta-method
  Var(R) = (var(a) - 2 R cov(a, b) + R^2 var(b)) / (n mean(b)^2) (numpy cov, ddof = 1), the per-unit
  deviation sqrt(n Var(R)) and the interval R +- t(n - 1) sqrt(Var(R)); between the arms the absolute
  difference with the Welch interval of the two variances and the relative lift by the delta method.

Run from anywhere:

    python3 dynamodb/src/test/resources/stats/capped_ratio_reference.py

It rewrites capped_ratio_reference.json beside itself (fixed seeds). io.splitline.ingest.CappedRatioEndToEndTest
sends each unit's totals as several events (in random order, in several batches, re-sent) through ingest
into DynamoDB Local and requires GET /results' numbers, computed from the stored aggregates, to agree with
these to 1e-9 (absolute, or relative above 1).
"""
import json
import os

import numpy as np
from scipy import stats

CASES = []


def cents(v):
    v = int(v)
    s = str(abs(v)).rjust(3, "0")
    return ("-" if v < 0 else "") + s[:-2] + "." + s[-2:]


def draw(rng, n, lift):
    sessions = rng.poisson(2.5, n)
    sessions[rng.random(n) < 0.2] = 0
    # heavy tail: a lognormal per session, a few whales, a few refunds
    revenue = np.round(sessions * rng.lognormal(2.5 + np.log1p(lift), 1.2, n) * 100).astype(np.int64)
    revenue[rng.random(n) < 0.03] *= 40
    refunds = rng.random(n) < 0.04
    revenue[refunds] = -np.round(rng.uniform(1, 30, refunds.sum()) * 100).astype(np.int64)
    return revenue, sessions


def welch(est, v_c, n_c, v_t, n_t, se):
    df = (v_c + v_t) ** 2 / (v_c ** 2 / (n_c - 1) + v_t ** 2 / (n_t - 1))
    q = stats.t.ppf(0.975, df)
    return {"estimate": float(est), "pValue": float(2 * stats.t.sf(abs(est / se), df)),
            "lower": float(est - q * se), "upper": float(est + q * se)}


def capped_mean(x_c, x_t, cap):
    out = {}
    arms = {}
    for name, x in (("control", x_c), ("treatment", x_t)):
        y = np.minimum(x / 100.0, cap)
        n = len(y)
        m, s = y.mean(), y.std(ddof=1)
        q = stats.t.ppf(0.975, n - 1)
        half = q * s / np.sqrt(n)
        out[name] = {"mean": float(m), "stdDev": float(s), "ciLower": float(m - half), "ciUpper": float(m + half),
                     "cappedUnits": int((x / 100.0 > cap).sum())}
        arms[name] = y
    y_c, y_t = arms["control"], arms["treatment"]
    t = stats.ttest_ind(y_t, y_c, equal_var=False)
    ci = t.confidence_interval(0.95)
    m_c, m_t = y_c.mean(), y_t.mean()
    v_c, v_t = y_c.var(ddof=1) / len(y_c), y_t.var(ddof=1) / len(y_t)
    out["absoluteLift"] = float(m_t - m_c)
    out["absoluteLiftCi"] = [float(ci.low), float(ci.high)]
    out["relative"] = welch(m_t / m_c - 1, v_c, len(y_c), v_t, len(y_t),
                            np.sqrt(v_t / m_c ** 2 + m_t ** 2 * v_c / m_c ** 4))
    return out


def ratio(x_c, s_c, x_t, s_t):
    out = {}
    arms = {}
    for name, a_cents, b in (("control", x_c, s_c), ("treatment", x_t, s_t)):
        a = a_cents / 100.0
        n = len(a)
        r = a.sum() / b.sum()
        c = np.cov(a, b, ddof=1)
        var = (c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (n * b.mean() ** 2)
        half = stats.t.ppf(0.975, n - 1) * np.sqrt(var)
        out[name] = {"mean": float(r), "stdDev": float(np.sqrt(n * var)), "ciLower": float(r - half),
                     "ciUpper": float(r + half)}
        arms[name] = (r, var, n)
    (r_c, v_c, n_c), (r_t, v_t, n_t) = arms["control"], arms["treatment"]
    absolute = welch(r_t - r_c, v_c, n_c, v_t, n_t, np.sqrt(v_c + v_t))
    out["absoluteLift"] = absolute["estimate"]
    out["absoluteLiftCi"] = [absolute["lower"], absolute["upper"]]
    out["relative"] = welch(r_t / r_c - 1, v_c, n_c, v_t, n_t, np.sqrt(v_t / r_c ** 2 + r_t ** 2 * v_c / r_c ** 4))
    return out


def reference(name, seed, n_c, n_t, lift, cap):
    rng = np.random.default_rng(seed)
    x_c, s_c = draw(rng, n_c, 0.0)
    x_t, s_t = draw(rng, n_t, lift)
    units = []
    for arm, xs, ss in (("control", x_c, s_c), ("treatment", x_t, s_t)):
        for x, s in zip(xs, ss):
            units.append({"id": f"{name}-u{len(units)}", "arm": arm, "revenue": cents(x), "sessions": int(s)})
    CASES.append({"name": name, "cap": cap, "units": units,
                  "expected": {"revenue": capped_mean(x_c, x_t, cap), "revenuePerSession": ratio(x_c, s_c, x_t, s_t)}})


reference("balanced_heavy_tail", 21, 300, 300, 0.1, 100)
reference("unbalanced", 22, 90, 160, 0.0, 250)
reference("small", 23, 12, 9, 0.2, 60)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "capped_ratio_reference.json"), "w") as out:
    json.dump({"generator": "capped_ratio_reference.py", "cases": CASES}, out, indent=1)
    out.write("\n")
print(f"{len(CASES)} cases")
