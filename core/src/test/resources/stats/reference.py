#!/usr/bin/env python3
"""Independent reference values for Splitline's statistics (io.splitline.stats / io.splitline.results).

Computed with numpy/scipy (and exact rational arithmetic for the sufficient statistics), never with
Splitline's own formulas where scipy has the test: Wilson intervals from binomtest, z-test p-values from
the equivalent 2x2 chi-square, Welch from ttest_ind on raw unit values, chi-square from chi2_contingency
and chisquare, Beta probabilities by quad over scipy's beta pdf/cdf, mSPRT by numerically integrating
the likelihood ratio over the mixing distribution (and its always-valid interval by root-finding on that
integral), Benjamini–Hochberg cross-checked with scipy's false_discovery_control, the deciding test's
absolute form with ttest_ind_from_stats. Run from anywhere:

    python3 core/src/test/resources/stats/reference.py

It rewrites reference.json beside itself (deterministic: fixed seeds). The Java test
io.splitline.stats.ReferenceValuesTest runs one dynamic test per case and requires agreement to 1e-6
(absolute, or relative for values above 1).
"""
import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
from scipy import integrate, optimize, special, stats

CASES = []
TAU_D = 0.1  # SequentialTest.DEFAULT_MIXING_EFFECT_SIZE


def case(kind, name, inp, expected):
    CASES.append({"kind": kind, "name": name, "input": inp, "expected": expected})


def dec(fr):
    """Exact decimal string of a Fraction with a power-of-ten denominator."""
    fr = Fraction(fr)
    d = fr.denominator
    k = 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        if d == 1:
            break
        k += 1
        if 10 ** k % d == 0:
            break
    scaled = fr * 10 ** k
    assert scaled.denominator == 1, fr
    s = str(abs(scaled.numerator)).rjust(k + 1, "0")
    out = s[:-k] + "." + s[-k:] if k else s
    return ("-" if fr < 0 else "") + out


# ---------------------------------------------------------------- samples from raw unit values
def raw_sample(seed, n, kind):
    """Per-unit totals in cents (exact), as floats for scipy and exact sums for Java."""
    rng = np.random.default_rng(seed)
    if kind == "revenue":  # many zeros, skewed positive amounts
        buy = rng.random(n) < 0.3
        cents = np.where(buy, np.round(rng.lognormal(3.0, 1.0, n) * 100), 0).astype(np.int64)
    elif kind == "count":
        cents = (rng.poisson(2.5, n) * 100).astype(np.int64)
    else:  # latency-like
        cents = np.round(rng.gamma(4.0, 50.0, n) * 100).astype(np.int64)
    values = cents / 100.0
    s = Fraction(int(cents.sum()), 100)
    ss = Fraction(int((cents.astype(object) ** 2).sum()), 10000)
    return values, {"units": int(n), "sum": dec(s), "sumSquares": dec(ss)}


def sums_sample(n, mean, second_moment):
    """A huge sample given by exact sums: Σx = n·mean, Σx² = n·second_moment (decimal strings)."""
    s = Fraction(mean) * n
    ss = Fraction(second_moment) * n
    return {"units": int(n), "sum": dec(s), "sumSquares": dec(ss)}


def moments(sample):
    n = sample["units"]
    s = Fraction(sample["sum"])
    ss = Fraction(sample["sumSquares"])
    mean = s / n
    var = (n * ss - s * s) / (n * (n - 1))
    return float(mean), float(var)


# ---------------------------------------------------------------- Wilson
for n, x, conf in [(5012, 512, 0.95), (100, 0, 0.95), (100, 100, 0.95), (1, 0, 0.95), (1, 1, 0.9),
                   (37, 3, 0.99), (1_000_000_000, 123_456_789, 0.95), (10_000, 1, 0.8), (250, 125, 0.975)]:
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=conf, method="wilson")
    case("wilson", f"wilson_{x}of{n}_at{conf}", {"units": n, "conversions": x, "confidence": conf},
         {"lower": ci.low, "upper": ci.high})

# ---------------------------------------------------------------- mean CI (t) from raw values and from huge sums
for seed, n, kind, conf in [(1, 5000, "revenue", 0.95), (2, 40, "count", 0.9), (3, 2, "latency", 0.95),
                            (4, 800, "latency", 0.99)]:
    values, sample = raw_sample(seed, n, kind)
    ci = stats.t.interval(conf, n - 1, loc=values.mean(), scale=stats.sem(values))
    case("meanCi", f"meanCi_{kind}_{n}", dict(sample, confidence=conf),
         {"mean": float(values.mean()), "stdDev": float(values.std(ddof=1)), "lower": ci[0], "upper": ci[1]})
for n, mean, m2 in [(1_000_000_000, "3.12", "125.4444"), (1_000_000_000, "1000000.5", "1000001000000.26")]:
    sample = sums_sample(n, mean, m2)
    mu, var = moments(sample)
    sd = math.sqrt(var)
    ci = stats.t.interval(0.95, n - 1, loc=mu, scale=sd / math.sqrt(n))
    case("meanCi", f"meanCi_huge_mean{mean}", dict(sample, confidence=0.95),
         {"mean": mu, "stdDev": sd, "lower": ci[0], "upper": ci[1]})

# ---------------------------------------------------------------- pooled z-test (p from the 2x2 chi-square)
Z_CASES = [((5012, 512), (4988, 573)), ((1000, 100), (1000, 100)), ((200, 0), (200, 7)), ((200, 200), (180, 171)),
           ((1_000_000_000, 100_000_000), (1_000_000_000, 100_020_000)), ((31, 4), (29, 9)), ((100, 0), (100, 100))]
for (nc, xc), (nt, xt) in Z_CASES:
    table = np.array([[xc, nc - xc], [xt, nt - xt]], dtype=float)
    p = stats.chi2_contingency(table, correction=False)[1]
    pooled = (xc + xt) / (nc + nt)
    z = (xt / nt - xc / nc) / math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt))
    assert abs(stats.norm.sf(abs(z)) * 2 - p) < 1e-9 * max(1, p) + 1e-14
    case("zTest", f"zTest_{xc}of{nc}_vs_{xt}of{nt}",
         {"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt}},
         {"statistic": z, "pValue": p})

# ---------------------------------------------------------------- Welch t-test, its df and CI (scipy on raw values)
WELCH = []
for seeds, ns, kind in [((11, 12), (4000, 4100), "revenue"), ((13, 14), (30, 45), "count"), ((15, 16), (2, 3), "latency"),
                        ((17, 18), (500, 20), "latency")]:
    a, sa = raw_sample(seeds[0], ns[0], kind)
    b, sb = raw_sample(seeds[1], ns[1], kind)
    if kind == "latency" and ns == (500, 20):
        b = b * 1.0
    res = stats.ttest_ind(b, a, equal_var=False)
    ci = res.confidence_interval(0.95)
    case("welch", f"welch_{kind}_{ns[0]}v{ns[1]}", {"control": sa, "treatment": sb, "confidence": 0.95},
         {"statistic": float(res.statistic), "df": float(res.df), "pValue": float(res.pvalue),
          "lower": float(ci.low), "upper": float(ci.high)})
    WELCH.append((sa, sb))
for c_mean, c_m2, t_mean, t_m2 in [("3.12", "125.4444", "3.1205", "125.5"), ("0.5", "2.25", "0.5", "2.25")]:
    sa = sums_sample(1_000_000_000, c_mean, c_m2)
    sb = sums_sample(1_000_000_000, t_mean, t_m2)
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    res = stats.ttest_ind_from_stats(m2, math.sqrt(v2), sb["units"], m1, math.sqrt(v1), sa["units"], equal_var=False)
    se2 = v1 / sa["units"] + v2 / sb["units"]
    df = se2 ** 2 / ((v1 / sa["units"]) ** 2 / (sa["units"] - 1) + (v2 / sb["units"]) ** 2 / (sb["units"] - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(se2)
    d = m2 - m1
    exp = {"statistic": float(res.statistic), "df": df, "pValue": float(res.pvalue), "lower": d - half, "upper": d + half}
    if d == 0:
        exp["statistic"] = 0.0
        exp["pValue"] = 1.0
    case("welch", f"welch_huge_{t_mean}", {"control": sa, "treatment": sb, "confidence": 0.95}, exp)
    WELCH.append((sa, sb))

# ---------------------------------------------------------------- chi-square independence (k x 2)
for arms in [[(5012, 512), (4988, 573)], [(1000, 100), (1000, 120), (1000, 90)],
             [(300, 30), (0, 0), (310, 45), (290, 20)], [(1_000_000_000, 100_000_000), (999_000_000, 99_950_000),
                                                         (1_001_000_000, 100_100_000)], [(50, 1), (60, 0), (55, 4)]]:
    rows = [[x, n - x] for n, x in arms if n > 0]
    chi2, p, dof, _ = stats.chi2_contingency(np.array(rows, dtype=float), correction=False)
    case("chiSquare", "chiSquare_" + "_".join(f"{x}of{n}" for n, x in arms),
         {"arms": [{"units": n, "conversions": x} for n, x in arms]},
         {"statistic": float(chi2), "df": int(dof), "pValue": float(p)})

# ---------------------------------------------------------------- SRM (goodness of fit)
for obs, w in [([5012, 4988], [0.5, 0.5]), ([5230, 4770], [0.5, 0.5]), ([1000, 2100, 6900], [0.1, 0.2, 0.7]),
               ([500_010_000, 499_990_000], [0.5, 0.5]), ([400, 0, 380], [0.5, 0.0, 0.5]),
               ([3333, 3333, 3334], [1 / 3, 1 / 3, 1 / 3]), ([10, 30], [0.5, 0.5])]:
    wn = np.array(w) / sum(w)
    total = sum(obs)
    keep = wn > 0
    expected = total * wn
    chi2, p = stats.chisquare(np.array(obs, dtype=float)[keep], expected[keep])
    case("srm", "srm_" + "_".join(map(str, obs)), {"observed": obs, "weights": w},
         {"statistic": float(chi2), "df": int(keep.sum() - 1), "pValue": float(p), "expected": list(map(float, expected))})


# ---------------------------------------------------------------- lifts: Newcombe (from scipy's Wilson) and delta method (t, Welch df)
def welch_df(var_c, n_c, var_t, n_t):
    """Welch–Satterthwaite df of two means from per-unit variances."""
    vc, vt = var_c / n_c, var_t / n_t
    return (vc + vt) ** 2 / (vc ** 2 / (n_c - 1) + vt ** 2 / (n_t - 1))


def wilson(n, x, conf):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=conf, method="wilson")
    return ci.low, ci.high


for (nc, xc), (nt, xt) in Z_CASES:
    conf = 0.95
    pc, pt = xc / nc, xt / nt
    lc, uc = wilson(nc, xc, conf)
    lt, ut = wilson(nt, xt, conf)
    d = pt - pc
    exp = {"absolute": d, "absoluteLower": d - math.hypot(pt - lt, uc - pc), "absoluteUpper": d + math.hypot(ut - pt, pc - lc)}
    if pc > 0:
        r = pt / pc - 1
        var = (pt * (1 - pt) / nt) / pc ** 2 + pt ** 2 * (pc * (1 - pc) / nc) / pc ** 4
        exp["relative"] = r
        if var > 0:
            df = welch_df(pc * (1 - pc), nc, pt * (1 - pt), nt)
            h = stats.t.ppf(1 - (1 - conf) / 2, df) * math.sqrt(var)
            exp["relativeLower"], exp["relativeUpper"] = r - h, r + h
    case("liftProportion", f"lift_{xc}of{nc}_vs_{xt}of{nt}",
         {"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt}, "confidence": conf}, exp)

for sa, sb in WELCH:
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    conf = 0.9
    r = m2 / m1 - 1
    var = (v2 / sb["units"]) / m1 ** 2 + m2 ** 2 * (v1 / sa["units"]) / m1 ** 4
    h = stats.t.ppf(1 - (1 - conf) / 2, welch_df(v1, sa["units"], v2, sb["units"])) * math.sqrt(var)
    case("liftMean", f"liftMean_{sa['units']}v{sb['units']}_{sa['sum']}",
         {"control": sa, "treatment": sb, "confidence": conf},
         {"absolute": m2 - m1, "relative": r, "relativeLower": r - h, "relativeUpper": r + h})

# ---------------------------------------------------------------- effect sizes
for (nc, xc), (nt, xt) in Z_CASES:
    h = 2 * math.asin(math.sqrt(xt / nt)) - 2 * math.asin(math.sqrt(xc / nc))
    case("cohensH", f"cohensH_{xc}of{nc}_vs_{xt}of{nt}",
         {"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt}}, {"value": h})
for sa, sb in WELCH:
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    n1, n2 = sa["units"], sb["units"]
    sp = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    case("cohensD", f"cohensD_{n1}v{n2}_{sa['sum']}", {"control": sa, "treatment": sb}, {"value": (m2 - m1) / sp})

# ---------------------------------------------------------------- Holm


def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adj = np.maximum.accumulate(adj)
    out = np.empty(m)
    out[order] = adj
    return out.tolist()


for name, p in [("holm_example", [0.01, 0.04, 0.03, 0.005]), ("holm_ties", [0.02, 0.02, 0.5, 0.001, 1.0]),
                ("holm_single", [0.042]), ("holm_capped", [0.3, 0.6, 0.9]),
                ("holm_random12", np.random.default_rng(7).random(12).round(6).tolist())]:
    case("holm", name, {"pValues": p}, {"adjusted": holm(p)})

# ---------------------------------------------------------------- power (normal approximation)
for p1, mde, direction, conf in [(0.1021, 0.05, "increase", 0.95), (0.02, 0.1, "decrease", 0.95),
                                 (0.5, 0.01, "increase", 0.99), (0.3, 0.2, "increase", 0.9)]:
    alpha = 1 - conf
    p2 = p1 * (1 + mde) if direction == "increase" else p1 * (1 - mde)
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(0.8)
    pbar = (p1 + p2) / 2
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2
    units = 1_000_000
    case("powerProportion", f"power_p{p1}_mde{mde}_{direction}_{conf}",
         {"control": {"units": units, "conversions": round(p1 * units)}, "mde": mde, "direction": direction, "confidence": conf},
         {"exactUnits": n, "required": math.ceil(n)})
for sa, _ in WELCH[:2]:
    m1, v1 = moments(sa)
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    n = 2 * v1 * (za + zb) ** 2 / (0.05 * abs(m1)) ** 2
    case("powerMean", f"power_mean_{sa['units']}", {"control": sa, "mde": 0.05, "confidence": 0.95},
         {"exactUnits": n, "required": math.ceil(n)})


# ---------------------------------------------------------------- Bayesian: Beta-Binomial by quadrature
def beta_params(n, x):
    return 1.0 + x, 1.0 + n - x


def window(a, b, k=40.0):
    mu = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return max(0.0, mu - k * sd), min(1.0, mu + k * sd), mu, sd


def quad(f, lo, hi, pts):
    pts = sorted(p for p in set(pts) if lo < p < hi)
    edges = [lo] + pts + [hi]
    total = 0.0
    for u, v in zip(edges[:-1], edges[1:]):
        total += integrate.quad(f, u, v, epsabs=1e-14, epsrel=1e-12, limit=500)[0]
    return total


def prob_greater(x, y):
    """P(X > Y) for Beta posteriors x=(a,b), y=(a,b): ∫ f_X F_Y."""
    lo, hi, mx, sx = window(*x)
    _, _, my, sy = window(*y)
    pts = [mx + k * sx for k in (-6, -3, -1, 0, 1, 3, 6)] + [my + k * sy for k in (-6, -3, -1, 0, 1, 3, 6)]
    return quad(lambda t: stats.beta.pdf(t, *x) * special.betainc(y[0], y[1], t), lo, hi, pts)


def shortfall(x, y):
    """E[(X − Y)⁺] = ∫ f_Y(s) (E[X; X > s] − s·P(X > s)) ds, via the partial expectation of a Beta."""
    ax, bx = x
    mx = ax / (ax + bx)
    lo, hi, my, sy = window(*y)
    _, _, mxx, sx = window(*x)
    pts = [my + k * sy for k in (-6, -3, -1, 0, 1, 3, 6)] + [mxx + k * sx for k in (-6, -3, -1, 0, 1, 3, 6)]
    f = lambda s: stats.beta.pdf(s, *y) * (mx * special.betaincc(ax + 1, bx, s) - s * special.betaincc(ax, bx, s))
    return quad(f, lo, hi, pts)


def miller(c, t):
    """Evan Miller's closed form for P(T > C), for small counts only (a cross-check of the quadrature)."""
    (ac, bc), (at, bt) = c, t
    total = 0.0
    for i in range(int(at)):
        total += math.exp(special.betaln(ac + i, bc + bt) - math.log(bt + i) - special.betaln(1 + i, bt)
                          - special.betaln(ac, bc))
    return total


for (nc, xc), (nt, xt), direction in [((1000, 100), (1000, 120), "increase"), ((200, 10), (200, 4), "decrease"),
                                      ((0, 0), (0, 0), "increase"), ((50, 0), (50, 0), "increase"),
                                      ((80, 80), (90, 88), "increase"), ((10, 3), (12, 5), "decrease"),
                                      ((5012, 512), (4988, 573), "increase"),
                                      ((1_000_000_000, 100_000_000), (1_000_000_000, 100_020_000), "increase"),
                                      ((1_000_000_000, 10_000_000), (1_000_000, 10_100), "decrease"),
                                      ((100_000, 2000), (100, 3), "decrease")]:
    c, t = beta_params(nc, xc), beta_params(nt, xt)
    p_t_above = prob_greater(t, c)
    if max(xt, xc) < 2000:
        assert abs(p_t_above - miller(c, t)) < 1e-9, (p_t_above, miller(c, t))
    if direction == "increase":
        beat, loss = p_t_above, shortfall(c, t)
    else:
        beat, loss = 1 - p_t_above, shortfall(t, c)
    case("bayesBeta", f"bayesBeta_{xc}of{nc}_vs_{xt}of{nt}_{direction}",
         {"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt}, "direction": direction},
         {"probabilityToBeatControl": beat, "expectedLoss": loss})

# ---------------------------------------------------------------- Bayesian: means, normal approximation
for (sa, sb), direction in zip(WELCH, ["increase", "decrease", "increase", "decrease", "increase", "increase"]):
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    d = m2 - m1 if direction == "increase" else m1 - m2
    sd = math.sqrt(v1 / sa["units"] + v2 / sb["units"])
    beat = stats.norm.cdf(d / sd)
    loss = integrate.quad(lambda x: max(-x, 0.0) * stats.norm.pdf(x, d, sd), d - 40 * sd, d + 40 * sd,
                          points=[0.0] if d - 40 * sd < 0 < d + 40 * sd else None, epsabs=1e-15, limit=200)[0]
    case("bayesNormal", f"bayesNormal_{sa['units']}v{sb['units']}_{sa['sum']}_{direction}",
         {"control": sa, "treatment": sb, "direction": direction},
         {"probabilityToBeatControl": float(beat), "expectedLoss": loss})


# ---------------------------------------------------------------- mSPRT by numerical integration of the mixture
def msprt(theta_hat, v, tau2, one_sided_sign=0):
    """1/Λ with Λ = ∫ exp((θθ̂ − θ²/2)/V) dH(θ); H = N(0, τ²) (two-sided) or half-normal on sign·θ > 0."""
    a = 1 / v + 1 / tau2
    b = theta_hat / v
    peak = b / a
    if one_sided_sign:
        peak = max(peak * one_sided_sign, 0.0) * one_sided_sign
    logh = lambda th: (th * theta_hat - th * th / 2) / v - th * th / (2 * tau2)
    ref = logh(peak)
    w = 60 / math.sqrt(a)
    lo, hi = peak - w, peak + w
    if one_sided_sign > 0:
        lo = max(lo, 0.0)
    if one_sided_sign < 0:
        hi = min(hi, 0.0)
    integral = integrate.quad(lambda th: math.exp(logh(th) - ref), lo, hi, points=[peak] if lo < peak < hi else None,
                              epsabs=0, epsrel=1e-13, limit=500)[0]
    log_lambda = ref + math.log(integral) - math.log(math.sqrt(2 * math.pi * tau2))
    if one_sided_sign:
        log_lambda += math.log(2)
    return min(1.0, math.exp(-log_lambda))


def prop_stats(c, t):
    (nc, xc), (nt, xt) = c, t
    pooled = (xc + xt) / (nc + nt)
    s2 = pooled * (1 - pooled)
    return xt / nt - xc / nc, s2 * (1 / nc + 1 / nt), s2


def mean_stats(sa, sb):
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    n1, n2 = sa["units"], sb["units"]
    return m2 - m1, v1 / n1 + v2 / n2, ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)


for c, t in [((1000, 100), (1000, 130)), ((10_000, 1000), (10_000, 1100)), ((5012, 512), (4988, 573)),
             ((2000, 200), (2000, 200)), ((1_000_000_000, 100_000_000), (1_000_000_000, 100_020_000)),
             ((500, 5), (500, 30)), ((100, 0), (100, 100))]:
    d, v, s2 = prop_stats(c, t)
    inp = {"control": {"units": c[0], "conversions": c[1]}, "treatment": {"units": t[0], "conversions": t[1]}}
    case("sequential", f"sequential_{c[1]}of{c[0]}_vs_{t[1]}of{t[0]}", inp, {"pValue": msprt(d, v, TAU_D ** 2 * s2)})
    for direction, sign in [("decrease", 1), ("increase", -1)]:
        expected = msprt(d, v, TAU_D ** 2 * s2, sign)
        case("guardrail", f"guardrail_{c[1]}of{c[0]}_vs_{t[1]}of{t[0]}_{direction}", dict(inp, direction=direction, alpha=0.05),
             {"statistic": sign * d / math.sqrt(v), "pValue": expected, "worse": expected <= 0.05})
for sa, sb in WELCH:
    d, v, s2 = mean_stats(sa, sb)
    if v == 0:
        continue
    inp = {"control": sa, "treatment": sb}
    case("sequential", f"sequential_mean_{sa['units']}v{sb['units']}_{sa['sum']}", inp, {"pValue": msprt(d, v, TAU_D ** 2 * s2)})
    for direction, sign in [("decrease", 1), ("increase", -1)]:
        expected = msprt(d, v, TAU_D ** 2 * s2, sign)
        case("guardrail", f"guardrail_mean_{sa['units']}v{sb['units']}_{sa['sum']}_{direction}",
             dict(inp, direction=direction, alpha=0.05),
             {"statistic": sign * d / math.sqrt(v), "pValue": expected, "worse": expected <= 0.05})

# ---------------------------------------------------------------- the deciding test (EffectTest): relative via the
# delta method with Welch df, else absolute via scipy's Welch t-test from summary statistics
def effect_test(c, t, gamma):
    """c, t = (n, mean, per-unit variance); returns the expected EffectTest fields, or None when undefined."""
    (nc, mc, sc2), (nt, mt, st2) = c, t
    if nc < 2 or nt < 2:
        return None
    df = None
    if mc != 0:
        var = (st2 / nt) / mc ** 2 + mt ** 2 * (sc2 / nc) / mc ** 4
        if var > 0:
            df = welch_df(sc2, nc, st2, nt)
            est, se, scale = mt / mc - 1, math.sqrt(var), "relative"
            stat = est / se
            p = 2 * stats.t.sf(abs(stat), df)
    if df is None:
        if sc2 / nc + st2 / nt == 0:
            return None
        res = stats.ttest_ind_from_stats(mt, math.sqrt(st2), nt, mc, math.sqrt(sc2), nc, equal_var=False)
        est, se, scale = mt - mc, math.sqrt(sc2 / nc + st2 / nt), "absolute"
        stat, p, df = float(res.statistic), float(res.pvalue), welch_df(sc2, nc, st2, nt)
    h = stats.t.ppf(1 - gamma / 2, df) * se
    return {"scale": scale, "estimate": est, "standardError": se, "df": df, "statistic": stat, "pValue": p,
            "lower": est - h, "upper": est + h}


EFFECT_PROPORTIONS = Z_CASES + [((10, 4), (10, 7)), ((40, 12), (4, 3)), ((200, 20), (200, 0))]
for ((nc, xc), (nt, xt)), gamma in zip(EFFECT_PROPORTIONS, [0.05, 0.0125] * len(EFFECT_PROPORTIONS)):
    pc, pt = xc / nc, xt / nt
    exp = effect_test((nc, pc, pc * (1 - pc)), (nt, pt, pt * (1 - pt)), gamma)
    case("effectTest", f"effectTest_{xc}of{nc}_vs_{xt}of{nt}_{gamma}",
         {"control": {"units": nc, "conversions": xc}, "treatment": {"units": nt, "conversions": xt}, "errorRate": gamma},
         exp if exp else {"undefined": True})
for (sa, sb), gamma in zip(WELCH, [0.05, 0.01, 0.05, 0.0125, 0.05, 0.05]):
    (m1, v1), (m2, v2) = moments(sa), moments(sb)
    exp = effect_test((sa["units"], m1, v1), (sb["units"], m2, v2), gamma)
    case("effectTest", f"effectTest_mean_{sa['units']}v{sb['units']}_{sa['sum']}_{gamma}",
         {"control": sa, "treatment": sb, "errorRate": gamma}, exp if exp else {"undefined": True})
# a mean whose control is 0 falls back to the absolute test
zero_c = {"units": 50, "sum": "0", "sumSquares": "12.5"}
_, zero_t = raw_sample(21, 60, "count")
m2, v2 = moments(zero_t)
case("effectTest", "effectTest_mean_control0", {"control": zero_c, "treatment": zero_t, "errorRate": 0.05},
     effect_test((50, 0.0, float(Fraction(50 * 12.5) / (50 * 49))), (60, m2, v2), 0.05))


# ---------------------------------------------------------------- Benjamini–Hochberg (scipy's false_discovery_control)
def bh(p):
    """BH step-up in numpy, cross-checked against scipy below."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out.tolist()


for name, p in [("bh_example", [0.01, 0.04, 0.03, 0.005]), ("bh_ties", [0.02, 0.02, 0.5, 0.001, 1.0]),
                ("bh_single", [0.042]), ("bh_capped", [0.3, 0.6, 0.9]),
                ("bh_random12", np.random.default_rng(8).random(12).round(6).tolist()),
                ("bh_mixed", [1e-8, 0.049, 0.0501, 0.2, 0.0004, 0.9999])]:
    expected = bh(p)
    assert np.allclose(expected, stats.false_discovery_control(p, method="bh"), rtol=1e-13, atol=0)
    case("bh", name, {"pValues": p}, {"adjusted": expected})


# ---------------------------------------------------------------- always-valid interval: the θ₀ where the numerically
# integrated mSPRT p-value of θ̂ − θ₀ crosses α (root-finding, no closed form)
def sequential_interval(d, v, tau2, alpha):
    f = lambda theta0: math.log(msprt(d - theta0, v, tau2)) - math.log(alpha)
    step = math.sqrt(v)
    while f(d + step) > 0:
        step *= 2
    half = optimize.brentq(lambda h: f(d + h), 0.0, step, xtol=1e-15 * max(1.0, abs(d)) + 1e-16 * step, rtol=1e-14,
                           maxiter=500)
    return d - half, d + half


def tuned_tau(alpha, units_per_arm):
    """gbstats' rho = sqrt((c + ln(c + 1))/N*), c = −2 ln α, for N* = 2n* units in all; on our scale τ_d = 2ρ."""
    c = -2 * math.log(alpha)
    return 2 * math.sqrt((c + math.log(c + 1)) / (2 * units_per_arm))


for alpha, n_star in [(0.05, 2500), (0.05, 1587.2), (0.01, 10_000), (0.1, 500), (0.025, 100_000)]:
    tau = tuned_tau(alpha, n_star)
    # the tuned mixture gives (nearly) the narrowest interval at n* units per arm: within 0.5 % of the minimum
    width = lambda t: sequential_interval(0.0, 2 / n_star, t * t * 1.0, alpha)[1]
    best = optimize.minimize_scalar(width, bounds=(tau / 10, tau * 10), method="bounded", options={"xatol": 1e-8})
    assert width(tau) <= best.fun * 1.005, (alpha, n_star, width(tau), best.fun)
    case("sequentialTuning", f"sequentialTuning_{alpha}_{n_star}", {"alpha": alpha, "expectedUnitsPerArm": n_star},
         {"mixingEffectSize": tau})

for c, t in [((1000, 100), (1000, 130)), ((10_000, 1000), (10_000, 1100)), ((5012, 512), (4988, 573)),
             ((2000, 200), (2000, 200)), ((500, 5), (500, 30)), ((1_000_000, 100_000), (1_000_000, 100_300))]:
    d, v, s2 = prop_stats(c, t)
    for tau_d, alpha in [(TAU_D, 0.05), (tuned_tau(0.05, 2500), 0.025)]:
        lo, hi = sequential_interval(d, v, tau_d ** 2 * s2, alpha)
        case("sequentialCi", f"sequentialCi_{c[1]}of{c[0]}_vs_{t[1]}of{t[0]}_{tau_d:.4f}_{alpha}",
             {"control": {"units": c[0], "conversions": c[1]}, "treatment": {"units": t[0], "conversions": t[1]},
              "mixingEffectSize": tau_d, "alpha": alpha}, {"lower": lo, "upper": hi})
for sa, sb in WELCH:
    d, v, s2 = mean_stats(sa, sb)
    if v == 0:
        continue
    tau_d = tuned_tau(0.05, 2500)
    lo, hi = sequential_interval(d, v, tau_d ** 2 * s2, 0.05)
    case("sequentialCi", f"sequentialCi_mean_{sa['units']}v{sb['units']}_{sa['sum']}",
         {"control": sa, "treatment": sb, "mixingEffectSize": tau_d, "alpha": 0.05}, {"lower": lo, "upper": hi})

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    doc = {"generator": "reference.py", "numpy": np.__version__, "scipy": scipy.__version__,
           "tolerance": "1e-6 absolute, or relative above 1", "cases": CASES}
    with open(os.path.join(here, "reference.json"), "w", encoding="utf-8") as out:
        json.dump(doc, out, indent=1)
        out.write("\n")
    print(f"{len(CASES)} cases written")
