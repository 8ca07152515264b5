"""Reference for DerivedCovariatesReferenceTest: per-unit raw events with a known correlation rho between the
pre-exposure total x and the in-experiment total y, and numpy's per-arm n, sum x, sum x^2, sum y, sum y^2, sum xy.

Each unit is exposed at 2026-11-24T12:00Z + u seconds (lookback 14 days: its window is 2026-11-10 .. 2026-11-23, whole
UTC days). Its pre-exposure total x (in cents) is split into 1-3 keyless events on days inside the window; it also
gets keyless events outside the window (2026-11-09, and the exposure day before exposure) that must not count;
its in-experiment total y comes as 1-2 keyless events after exposure. x = 5000 + 1500 z1, y = 5000 + 1500 (rho z1 +
sqrt(1 - rho^2) z2), rounded to cents. Sums are formed in integer cents with numpy int64 (exact), and the JSON
gives them as decimal strings in currency units. Run: python3 derived_covariates_reference.py > derived_covariates_reference.json
"""
import json
import numpy as np

RHO = 0.7
UNITS = 1000
rng = np.random.default_rng(20261202)

z1 = rng.standard_normal(UNITS)
z2 = rng.standard_normal(UNITS)
x = np.rint(5000 + 1500 * z1).astype(np.int64)
y = np.rint(5000 + 1500 * (RHO * z1 + np.sqrt(1 - RHO ** 2) * z2)).astype(np.int64)
arm = np.where(np.arange(UNITS) % 2 == 0, "control", "treatment")


def cents(v):
    v = int(v)
    sign = "-" if v < 0 else ""
    return f"{sign}{abs(v) // 100}.{abs(v) % 100:02d}"


def split(total, parts):
    cuts = sorted(rng.integers(-3000, 3000, parts - 1).tolist())
    pieces = [int(c) for c in np.diff([0] + cuts + [0])] if parts > 1 else []
    pieces = pieces[:-1] if parts > 1 else []
    pieces.append(int(total) - sum(pieces))
    return pieces


units = []
for u in range(UNITS):
    exposed = np.datetime64("2026-11-24T12:00:00") + np.timedelta64(u % 3600, "s")
    events = []
    for piece in split(x[u], int(rng.integers(1, 4))):
        day = int(rng.integers(1, 15))  # 1..14 days before the exposure day: inside the window
        at = np.datetime64("2026-11-24T00:00:00") - np.timedelta64(day, "D") + np.timedelta64(int(rng.integers(0, 86400)), "s")
        events.append({"value": cents(piece), "at": str(at) + "Z"})
    events.append({"value": cents(int(rng.integers(100, 9000))), "at": "2026-11-09T23:59:59Z"})  # the day before: out
    events.append({"value": cents(int(rng.integers(100, 9000))), "at": "2026-11-24T00:00:00Z"})  # exposure day: out
    post = split(y[u], int(rng.integers(1, 3)))
    for i, piece in enumerate(post):
        events.append({"value": cents(piece), "at": str(exposed + np.timedelta64(60 + i, "s")) + "Z"})
    units.append({"unit": f"unit-{u}", "arm": str(arm[u]), "exposedAt": str(exposed) + "Z", "events": events})

arms = {}
for a in ("control", "treatment"):
    m = arm == a
    xs, ys = x[m], y[m]
    arms[a] = {"n": int(m.sum()), "sumX": cents(xs.sum()), "sumXSquares": str(int((xs * xs).sum())),
               "sumY": cents(ys.sum()), "sumYSquares": str(int((ys * ys).sum())), "sumXY": str(int((xs * ys).sum()))}

print(json.dumps({"rho": RHO, "lookbackDays": 14, "metric": "revenue", "squaresInCents2": True,
                  "sampleCorrelation": float(np.corrcoef(x, y)[0, 1]), "arms": arms, "units": units}, indent=None))
