"""Reference values for Student t quantiles (StudentQuantileReferenceTest).

scipy.stats.t.ppf(p, df) on a grid of probabilities and degrees of freedom: integer and fractional (Welch)
degrees of freedom from 1 to 10^9, and probabilities from 1e-12 to 1 - 1e-9, the confidence levels' among them.
Java's Distributions.studentQuantile must agree within 1e-12 relative. Run: python3 student_quantile_reference.py
(writes student_quantile_reference.json).
"""
import json
import os

import scipy
from scipy import stats

PROBABILITIES = [1e-12, 1e-9, 1e-6, 1e-4, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75,
                 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9995, 1 - 1e-6, 1 - 1e-9]
DEGREES_OF_FREEDOM = [1, 1.5, 2, 3, 4.25, 5, 7, 10, 19, 29.5, 30, 31.7, 50, 99, 250.5, 1000, 4321.25, 10000, 99999.5,
                      5e5, 1e6, 2.5e7, 1e9]

cases = [{"p": p, "df": df, "t": float(stats.t.ppf(p, df))} for df in DEGREES_OF_FREEDOM for p in PROBABILITIES]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "student_quantile_reference.json")
with open(out, "w") as f:
    json.dump({"generator": "student_quantile_reference.py", "scipy": scipy.__version__, "tolerance": 1e-12,
               "cases": cases}, f, indent=1)
    f.write("\n")
