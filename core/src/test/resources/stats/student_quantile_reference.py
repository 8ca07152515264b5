"""Reference values for Student t quantiles (StudentQuantileReferenceTest).

The t with P(T <= t) = p on a grid of probabilities and degrees of freedom: integer and fractional (Welch)
degrees of freedom from 1 to 10^9, and probabilities from 1e-20 to 1 - 1e-9, close around the median too, the
confidence levels' among them. Each t is solved with mpmath at 50 digits on the exact distribution function
(regularized incomplete beta), started from scipy's t.ppf, and scipy's own value is kept beside it: scipy is off
by up to ~4e-9 relative within 1e-8 of the median (and, further out than this grid, gives 8e153 for 5e199 at
p = 1e-300 and df = 1.5, and -inf at p = 1e-300 for df >= 3). Java's Distributions.studentQuantile must agree within 1e-12 relative.
Run: python3 student_quantile_reference.py (writes student_quantile_reference.json).
"""
import json
import math
import os

import mpmath as mp
import scipy
from scipy import stats

PROBABILITIES = [1e-20, 1e-16, 1e-12, 1e-9, 1e-6, 1e-4, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4,
                 0.45, 0.49, 0.499, 0.5 - 1e-8, 0.5, 0.5 + 1e-8, 0.501, 0.51, 0.55, 0.6, 0.75, 0.8, 0.9, 0.95, 0.975,
                 0.99, 0.995, 0.999, 0.9995, 1 - 1e-6, 1 - 1e-9]
DEGREES_OF_FREEDOM = [1, 1.5, 2, 3, 4.25, 5, 7, 10, 19, 29.5, 30, 31.7, 50, 99, 250.5, 1000, 4321.25, 10000, 99999.5,
                      5e5, 1e6, 2.5e7, 1e9]
mp.mp.dps = 50


def exact(p, df, start):
    """The t > 0 beyond which the tail is q = min(p, 1 - p), sign restored; solved in ln t."""
    if p == 0.5:
        return 0.0
    q = mp.mpf(p) if p < 0.5 else 1 - mp.mpf(p)
    nu = mp.mpf(df)

    def tail(s):
        t2 = mp.exp(2 * s)
        return mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + t2), regularized=True) / 2

    s = mp.findroot(lambda s: mp.log(tail(s)) - mp.log(q), mp.log(abs(start)))
    t = float(mp.exp(s))
    return t if p > 0.5 else -t


cases = []
for df in DEGREES_OF_FREEDOM:
    for p in PROBABILITIES:
        approx = float(stats.t.ppf(p, df))
        if not math.isfinite(approx):
            continue
        cases.append({"p": p, "df": df, "t": exact(p, df, approx), "scipy": approx})
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "student_quantile_reference.json")
with open(out, "w") as f:
    json.dump({"generator": "student_quantile_reference.py", "scipy": scipy.__version__, "mpmath": mp.__version__,
               "tolerance": 1e-12, "cases": cases}, f, indent=1)
    f.write("\n")
