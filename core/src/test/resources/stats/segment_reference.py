#!/usr/bin/env python3
"""Independent reference for the multiple-testing correction across segments (io.splitline.results.SegmentResults).

It draws 6 000 units with per-unit values (control / green / blue at 40/30/30; purchase and error conversions,
revenue in cents) and three dimensions' values at exposure (country with an "(other)" and a "(none)" value,
platform with a "(none)" recorded more often in one arm, plan with a 3-unit "enterprise" value whose tests are
undefined), plus effects in some segments only. From the per-unit values alone it computes, per segment (one value
of one dimension):
  * each arm's exact sums, handed to Java as the stored segment aggregates (units, positive units, Σx, Σx²);
  * the SRM check: scipy.stats.chisquare of the arms' units against total × weight;
  * per treatment × metric, the deciding test's two-sided p-value: the relative lift by the delta method with the
    Welch–Satterthwaite df and scipy's t distribution when defined (per-unit variance np.var(ddof=1) of a mean
    metric, p(1 − p) of a conversion), else the absolute lift by scipy's Welch t-test (ttest_ind on the raw
    values of a mean metric; ttest_ind_from_stats with sd sqrt(p(1 − p)) for a conversion); p = 1 when undefined
    (fewer than 2 units in an arm, or no variance at all);
and then, over ALL comparisons of ALL segments as one family, the adjusted p-values by Holm's step-down (written
twice here, vectorised and as the textbook loop) and by Benjamini–Hochberg's step-up (numpy, cross-checked with
scipy.stats.false_discovery_control), and the significance call: defined and adjusted p <= alpha, at 95 % and
at 90 % confidence. The script refuses data where an adjusted p lies within 1e-6 of alpha, so the calls cannot
flip on rounding. Run from anywhere:

    python3 core/src/test/resources/stats/segment_reference.py

It rewrites segment_reference.json beside itself (deterministic: a fixed seed). The Java test
io.splitline.results.SegmentCorrectionReferenceTest serves the sums as stored segment aggregates and requires
every p-value, adjusted p-value and SRM figure to agree to 1e-12, and every significance call to be equal.
"""
import json
import math
import os
from fractions import Fraction

import numpy as np
from scipy import stats

VARIANTS = [("control", 0.4), ("green", 0.3), ("blue", 0.3)]
METRICS = [("purchase", "conversion", "increase", "primary"), ("revenue", "mean", "increase", "secondary"),
           ("error", "conversion", "decrease", "guardrail")]
DIMENSIONS = ["country", "platform", "plan"]
UNITS = 6000
CONFIDENCE = [0.95, 0.90]
CORRECTIONS = ["holm", "benjamini_hochberg"]


def cents(fr):
    """Exact decimal string of a Fraction whose denominator divides 10**4."""
    scaled = Fraction(fr) * 10 ** 4
    assert scaled.denominator == 1, fr
    q = int(scaled.numerator)
    s = str(abs(q)).rjust(5, "0")
    return ("-" if q < 0 else "") + s[:-4] + "." + s[-4:]


# ---------------------------------------------------------------- per-unit data
rng = np.random.default_rng(20261202)
variant = rng.choice(3, size=UNITS, p=[w for _, w in VARIANTS])
country = rng.choice(["DE", "FR", "US", "(other)", "(none)"], size=UNITS, p=[0.35, 0.25, 0.2, 0.12, 0.08])
# platform is missing for 5 % of units, but for 25 % of blue's: a value recorded differently per arm (an SRM in
# the "(none)" segment and in the others, while the experiment as a whole is balanced)
missing = rng.random(UNITS) < np.where(variant == 2, 0.25, 0.05)
platform = np.where(missing, "(none)", np.where(rng.random(UNITS) < 0.55, "ios", "android"))
plan = np.where(rng.random(UNITS) < 0.7, "free", "pro")

purchase_rate = np.full(UNITS, 0.10)
purchase_rate[(variant == 1) & (country == "DE")] = 0.18    # green converts better in DE only
purchase_rate[variant == 2] = 0.13                          # blue a little better everywhere
purchase = (rng.random(UNITS) < purchase_rate).astype(np.int64)
spend = np.round(rng.lognormal(3.0, 0.8, UNITS) * 100).astype(np.int64)
spend[(variant == 2) & (plan == "pro")] *= 3                # blue's pro users spend twice as much
revenue = np.where(purchase == 1, spend, 0).astype(np.int64)  # cents
error_rate = np.where((variant == 1) & (country == "US"), 0.07, 0.02)  # green breaks something in the US
error = (rng.random(UNITS) < error_rate).astype(np.int64)

# a tiny segment: 2 control units and 1 green unit on the enterprise plan (every test there is undefined)
for v, p, r, e in [(0, 1, 4550, 0), (0, 0, 0, 0), (1, 1, 12000, 0)]:
    variant = np.append(variant, v)
    country = np.append(country, "US")
    platform = np.append(platform, "ios")
    plan = np.append(plan, "enterprise")
    purchase = np.append(purchase, p)
    revenue = np.append(revenue, r)
    error = np.append(error, e)
values = {"country": country, "platform": platform, "plan": plan}
per_unit = {"purchase": purchase, "revenue": revenue, "error": error}


# ---------------------------------------------------------------- the deciding test, from per-unit values
def welch_df(var_c, n_c, var_t, n_t):
    vc, vt = var_c / n_c, var_t / n_t
    return (vc + vt) ** 2 / (vc ** 2 / (n_c - 1) + vt ** 2 / (n_t - 1))


def decisive_p(kind, yc, yt):
    """(p-value, defined) of the deciding test on the per-unit values of control and treatment."""
    nc, nt = len(yc), len(yt)
    if nc < 2 or nt < 2:
        return 1.0, False
    if kind == "conversion":
        mc, mt = yc.mean(), yt.mean()
        vc, vt = mc * (1 - mc), mt * (1 - mt)
    else:
        mc, mt = yc.mean(), yt.mean()
        vc, vt = yc.var(ddof=1), yt.var(ddof=1)
    if mc != 0:
        var = (vt / nt) / mc ** 2 + mt ** 2 * (vc / nc) / mc ** 4
        if var > 0 and math.isfinite(var):
            t = (mt / mc - 1) / math.sqrt(var)
            return float(2 * stats.t.sf(abs(t), welch_df(vc, nc, vt, nt))), True
    if vc / nc + vt / nt == 0:
        return 1.0, False
    if kind == "conversion":
        res = stats.ttest_ind_from_stats(mt, math.sqrt(vt), nt, mc, math.sqrt(vc), nc, equal_var=False)
    else:
        res = stats.ttest_ind(yt, yc, equal_var=False)
    return float(res.pvalue), True


# ---------------------------------------------------------------- the corrections
def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def holm_loop(p):
    """Holm (1979) as written: p_(i) adjusted = max over j <= i of min(1, (m - j + 1) p_(j)), 1-based ranks."""
    m = len(p)
    ranked = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    for i in range(1, m + 1):
        out[ranked[i - 1]] = max(min(1.0, (m - j + 1) * p[ranked[j - 1]]) for j in range(1, i + 1))
    return np.asarray(out)


def bh(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


# ---------------------------------------------------------------- segments, their sums, SRM and p-values
segments = []
family = []  # (segment index, variant, metric, p, defined)
weights = np.array([w for _, w in VARIANTS])
for dimension in DIMENSIONS:
    for value in sorted(set(values[dimension])):
        in_segment = values[dimension] == value
        arms = []
        observed = []
        for k, (v, _) in enumerate(VARIANTS):
            rows = in_segment & (variant == k)
            observed.append(int(rows.sum()))
            arm = {"variant": v, "units": int(rows.sum()), "metrics": {}}
            for metric, kind, _, _ in METRICS:
                y = per_unit[metric][rows]
                if kind == "conversion":
                    s, ss = Fraction(int(y.sum())), Fraction(int((y * y).sum()))
                else:
                    s, ss = Fraction(int(y.sum()), 100), Fraction(int((y.astype(object) ** 2).sum()), 10000)
                arm["metrics"][metric] = {"positive": int((y > 0).sum()), "sum": cents(s), "sumSquares": cents(ss)}
            arms.append(arm)
        chi = stats.chisquare(observed, sum(observed) * weights / weights.sum())
        index = len(segments)
        segments.append({"dimension": dimension, "value": value, "variants": arms,
                         "srm": {"statistic": float(chi.statistic), "df": len(VARIANTS) - 1, "pValue": float(chi.pvalue)}})
        control = in_segment & (variant == 0)
        for k, (v, _) in enumerate(VARIANTS[1:], start=1):
            treatment = in_segment & (variant == k)
            for metric, kind, _, _ in METRICS:
                scale = 1 if kind == "conversion" else 100
                p, defined = decisive_p(kind, per_unit[metric][control] / scale, per_unit[metric][treatment] / scale)
                family.append((index, v, metric, p, defined))

p = [f[3] for f in family]
assert np.array_equal(holm(p), holm_loop(p))
assert np.allclose(bh(p), stats.false_discovery_control(p, method="bh"), rtol=1e-13, atol=0)
assert any(s["srm"]["pValue"] < 0.001 for s in segments), "some segment must show an SRM"
assert any(not f[4] for f in family), "some segment test must be undefined"

cases = []
for correction in CORRECTIONS:
    adjusted = holm(p) if correction == "holm" else bh(p)
    for confidence in CONFIDENCE:
        alpha = 1 - confidence
        assert np.all(np.abs(adjusted - alpha) > 1e-6), "an adjusted p too close to alpha"
        comparisons = [{"dimension": segments[i]["dimension"], "value": segments[i]["value"], "variant": v, "metric": m,
                        "pValue": pv, "adjustedPValue": float(a), "defined": d, "significant": bool(d and a <= alpha)}
                       for (i, v, m, pv, d), a in zip(family, adjusted)]
        significant = sum(c["significant"] for c in comparisons)
        assert 0 < significant < len(comparisons), (correction, confidence, significant)
        cases.append({"multipleTesting": correction, "confidenceLevel": confidence, "significant": significant,
                      "comparisons": comparisons})
# the two corrections must not agree everywhere, or the test could not tell them apart
assert cases[0]["significant"] != cases[2]["significant"] or cases[1]["significant"] != cases[3]["significant"]

definition = {"key": "segment-reference",
              "variants": [{"key": v, "weight": w} for v, w in VARIANTS],
              "metrics": [{"key": m, "type": t, "direction": d, "role": r} for m, t, d, r in METRICS],
              "dimensions": DIMENSIONS}
out = {"generator": "segment_reference.py", "definition": definition, "segments": segments,
       "familySize": len(family), "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "segment_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"{len(segments)} segments, {len(family)} comparisons; significant:",
      {(c['multipleTesting'], c['confidenceLevel']): c['significant'] for c in cases},
      "; SRM p:", {s['dimension'] + '=' + s['value']: round(s['srm']['pValue'], 6) for s in segments})
