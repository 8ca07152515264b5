"""Independent reference for holdout membership (docs/hashing.md's Python, nothing of Splitline's Java).

A unit is held out iff hash_v2(seed, unit_id) < percent / 100. For the unit ids "unit-0" ... "unit-99999"
and "用户-0" ... "用户-9999" this prints, per (seed, percent), how many units are held out, and the first
five held-out ids, as JSON (committed beside it as counts.json):

    python3 reference.py > counts.json
"""
import json


def fnv1a32(text: str) -> int:
    data = text.encode("utf-16-le")
    h = 0x811C9DC5
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def hash_v2(seed: str, unit_id: str) -> int:
    """The hash in ten-thousandths (an integer, so the comparison with the percent is exact)."""
    return fnv1a32(str(fnv1a32(seed + unit_id))) % 10000


UNITS = [f"unit-{i}" for i in range(100_000)] + [f"用户-{i}" for i in range(10_000)]
cases = []
for seed in ("q1-holdout", "another seed"):
    hashes = [hash_v2(seed, u) for u in UNITS]
    for percent in ("0.01", "1", "2.5", "5", "7.37", "50"):
        basis_points = round(float(percent) * 100)
        held = [u for u, h in zip(UNITS, hashes) if h < basis_points]
        cases.append({"seed": seed, "percent": float(percent), "heldOut": len(held), "first": held[:5]})
print(json.dumps({"units": len(UNITS), "cases": cases}, ensure_ascii=False, indent=1))
