"""scikit-learn side of bench/wide-tabular.ts: fits one model kind one-vs-rest on the matrix the TS
side wrote and prints {"fitS": seconds}. Single-threaded like ours: n_jobs=1, and the TS side
sets OMP/OpenBLAS/MKL to 1 thread.
  /usr/bin/python3 bench/wide-tabular.py matrix.json forest|logistic
Forest: RandomForestClassifier(n_estimators=200, random_state=0) per label, on the dense float32
matrix ("forest-dense") or on the CSC sparse one ("forest-sparse"): the TS side times both and
compares against the faster (on this matrix the sparse one: dense binary columns make sklearn's
splitter sort long runs of zeros). Logistic: LogisticRegression(C=1, solver='lbfgs',
max_iter=1000) per label on the CSR matrix (scipy sparse; sklearn's default tol=1e-4).
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

d = json.load(open(sys.argv[1]))
rows = d["rows"]
dense = np.array(d["dense"], dtype=np.float32).reshape(rows, d["denseCols"])
onehot = sp.csr_matrix(
    (np.ones(len(d["indices"]), dtype=np.float32), np.array(d["indices"]), np.array(d["indptr"])),
    shape=(rows, d["sparseCols"]),
)
y = np.array(d["y"], dtype=np.int64).reshape(rows, d["labels"])

if sys.argv[2].startswith("forest"):
    if sys.argv[2] == "forest-dense":
        x = np.hstack([dense, onehot.toarray()])
    else:
        x = sp.hstack([sp.csc_matrix(dense), onehot.tocsc()]).tocsc()
    t = time.perf_counter()
    for c in range(y.shape[1]):
        RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=1).fit(x, y[:, c])
else:
    x = sp.hstack([sp.csr_matrix(dense.astype(np.float64)), onehot.astype(np.float64)]).tocsr()
    t = time.perf_counter()
    fits = [LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000).fit(x, y[:, c]) for c in range(y.shape[1])]
    fit_s = time.perf_counter() - t
    # Where sklearn stopped, on our scale (max |gradient| of C·Σ log-loss + ½‖w‖²; ours stops at 1e-6).
    grads = []
    for c, m in enumerate(fits):
        e = 1 / (1 + np.exp(-(x @ m.coef_[0] + m.intercept_[0]))) - y[:, c]
        grads.append(float(np.abs(np.r_[x.T @ e + m.coef_[0], e.sum()]).max()))
    print(json.dumps({"fitS": fit_s, "iterations": int(sum(int(m.n_iter_[0]) for m in fits)), "gradMax": max(grads)}))
    sys.exit(0)
print(json.dumps({"fitS": time.perf_counter() - t}))
