"""Reference values for multilabel.test.ts, computed with scikit-learn 1.2.1.

Run: /usr/bin/python3 src/lib/metrics/reference.py
Prints the seeded matrices and the metrics as JSON; the test pastes them verbatim.
"""
import json
import warnings

import numpy as np
from sklearn.metrics import (accuracy_score, f1_score, hamming_loss,
                             precision_recall_fscore_support)

warnings.filterwarnings("ignore")
rng = np.random.RandomState(109)
y_true = (rng.rand(12, 5) < 0.35).astype(int)
y_pred = (rng.rand(12, 5) < 0.35).astype(int)
# Edge cases: movie 0 has no true and no predicted label; label 4 is never true nor predicted.
y_true[0, :] = 0
y_pred[0, :] = 0
y_true[:, 4] = 0
y_pred[:, 4] = 0

p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
print(json.dumps({
    "yTrue": y_true.tolist(),
    "yPred": y_pred.tolist(),
    "hammingLoss": hamming_loss(y_true, y_pred),
    "exactMatch": accuracy_score(y_true, y_pred),
    "microF1": f1_score(y_true, y_pred, average="micro", zero_division=0),
    "macroF1": f1_score(y_true, y_pred, average="macro", zero_division=0),
    "samplesF1": f1_score(y_true, y_pred, average="samples", zero_division=0),
    # no sklearn function: share of movies with a predicted label that is true (numpy)
    "atLeastOne": float(np.mean((y_true & y_pred).any(axis=1))),
    "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
}))
