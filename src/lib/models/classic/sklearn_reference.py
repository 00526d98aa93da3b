"""Reference figures for the classic forest, from scikit-learn 1.2 on the same synthetic rows.

The rows come from the same mulberry32 stream and formula as synthetic.ts (makeSynthetic).
  /usr/bin/python3 src/lib/models/classic/sklearn_reference.py            # accuracy reference (forest.test.ts)
  /usr/bin/python3 src/lib/models/classic/sklearn_reference.py --bench    # fit times, dense 6000 x 30 x 7
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def rng():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rng


def make_synthetic(seed, rows, cols, labels, noise):
    rng = mulberry32(seed)
    x = np.zeros((rows, cols), dtype=np.float64)
    y = np.zeros((rows, labels), dtype=np.int64)
    for r in range(rows):
        row = [rng() for _ in range(cols)]
        x[r] = row
        for l in range(labels):
            s = row[l % cols] + row[(l + 1) % cols] + row[(l + 2) % cols] + noise * (rng() - 0.5)
            y[r, l] = 1 if s > 1.5 else 0
    return x.astype(np.float32), y


# The agreement problem of forest.test.ts: 3,000 training rows, 2,000 test rows.
AGREE = dict(seed=7, rows=5000, cols=10, labels=1, noise=0.6)


def accuracy_reference():
    x, y = make_synthetic(**AGREE)
    accs = []
    for rs in range(10):
        m = RandomForestClassifier(n_estimators=100, random_state=rs, n_jobs=-1).fit(x[:3000], y[:3000, 0])
        accs.append(float((m.predict(x[3000:]) == y[3000:, 0]).mean()))
    return {"first_values": [mulberry32(1)() for _ in range(1)], "test_accuracy_mean": float(np.mean(accs)),
            "test_accuracy_std": float(np.std(accs)), "random_states": 10}


def bench():
    x, y = make_synthetic(seed=1, rows=6000, cols=30, labels=7, noise=0.6)
    out = {}
    for name, jobs in (("ovr_7x100_njobs_all_s", -1), ("ovr_7x100_njobs_1_s", 1)):
        t = time.perf_counter()
        for l in range(7):
            RandomForestClassifier(n_estimators=100, random_state=l, n_jobs=jobs).fit(x, y[:, l])
        out[name] = time.perf_counter() - t
    t = time.perf_counter()
    RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=-1).fit(x, y)
    out["multioutput_100_njobs_all_s"] = time.perf_counter() - t
    return out


if __name__ == "__main__":
    print(json.dumps(bench() if "--bench" in sys.argv else accuracy_reference(), indent=1))
