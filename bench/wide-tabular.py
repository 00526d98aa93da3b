"""scikit-learn side of bench/wide-tabular.ts: fits one model kind one-vs-rest on the matrix the TS
side wrote and prints {"fitS": seconds}. Single-threaded like ours: n_jobs=1, and the TS side
sets OMP/OpenBLAS/MKL to 1 thread.
  /usr/bin/python3 bench/wide-tabular.py matrix.json forest|logistic
Forest: RandomForestClassifier(n_estimators=200, random_state=0) per label on the dense float32
matrix (sklearn's fastest input for trees). Logistic: LogisticRegression(C=1, solver='lbfgs',
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

if sys.argv[2] == "forest":
    x = np.hstack([dense, onehot.toarray()])
    t = time.perf_counter()
    for c in range(y.shape[1]):
        RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=1).fit(x, y[:, c])
else:
    x = sp.hstack([sp.csr_matrix(dense.astype(np.float64)), onehot.astype(np.float64)]).tocsr()
    t = time.perf_counter()
    for c in range(y.shape[1]):
        LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000).fit(x, y[:, c])
print(json.dumps({"fitS": time.perf_counter() - t}))
