"""Writes numpy-repr.json: numpy's repr of random float64 arrays, the reference format.test.ts
checks gradlab's tensor text against. Run from the repository root: python3 test/src/tensor/numpy-repr.py

numpy prints with floatmode="maxprec_equal" (every entry with the same decimals: gradlab's layout)
and a line width one less than gradlab's, as "array(" is one character shorter than "tensor(".
The values are stored as Python reprs, which read back exactly (nan, inf and -0.0 included).
"""
import json
import random
import sys

import numpy as np

LINEWIDTH = 100  # gradlab's default
random.seed(20240607)


def value():
    r = random.random()
    if r < 0.25:  # any magnitude
        return random.choice([1, -1]) * 10 ** random.uniform(-12, 12)
    if r < 0.4:  # integers
        return float(random.randint(-10 ** random.randint(0, 10), 10 ** random.randint(0, 10)))
    if r < 0.55:  # exact binary fractions: ties when rounded
        return random.randint(-400, 400) / 2 ** random.randint(0, 12)
    if r < 0.65:  # short decimals
        return round(random.uniform(-1000, 1000), random.randint(0, 9))
    if r < 0.7:
        return random.choice([0.0, -0.0, float("nan"), float("inf"), float("-inf")])
    if r < 0.8:  # around the 1e-4 switch to scientific notation
        return random.choice([1, -1]) * 10 ** random.uniform(-4.2, -3.8)
    if r < 0.9:  # around the 1e8 switch
        return random.choice([1, -1]) * 10 ** random.uniform(7.8, 8.2)
    return random.choice([5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2,
                          9.999999999999999e22, 1e23, 0.125, 2.5, 1e-5, 99999.99999999])


cases = []
for _ in range(150):
    precision = random.choice([None, None, 1, 2, 3, 4, 6, 10, 12, 15, 17])
    shape = random.choice([(random.randint(1, 6),)] * 3 + [(), (2, random.randint(1, 12)), (2, 2, 2)])
    values = [value() for _ in range(int(np.prod(shape)))]
    np.set_printoptions(precision=8 if precision is None else precision, floatmode="maxprec_equal",
                        linewidth=LINEWIDTH - 1)
    cases.append({"precision": precision, "shape": list(shape), "values": [repr(v) for v in values],
                  "numpy": repr(np.array(values).reshape(shape))})

with open("test/src/tensor/numpy-repr.json", "w") as out:  # one case a line
    out.write(f'{{"numpy": "{np.__version__}", "linewidth": {LINEWIDTH}, "cases": [\n')
    out.write(",\n".join(json.dumps(c) for c in cases))
    out.write("\n]}\n")
sys.stderr.write(f"{len(cases)} cases from numpy {np.__version__}\n")
