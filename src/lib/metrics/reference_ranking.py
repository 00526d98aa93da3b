"""Reference values for ranking.test.ts, computed with scikit-learn 1.2.1 (Debian python3-sklearn).

Run: /usr/bin/python3 src/lib/metrics/reference_ranking.py
Prints one JSON object per case; the test pastes them verbatim (NaN is a valid TypeScript literal).
Case "random": seeded probabilities rounded to 2 decimals (ties, values on bin edges, 0 and 1),
label 4 never true and label 5 always true. Case "ranking": rows with no true label and with every
label true. Case "doc": the roc_curve / precision_recall_curve docstring example.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, brier_score_loss, coverage_error,
                             label_ranking_average_precision_score, label_ranking_loss, log_loss,
                             multilabel_confusion_matrix, precision_recall_curve, roc_auc_score,
                             roc_curve)

warnings.filterwarnings("ignore")
EPS = 1e-15
N_BINS = 10


def reliability(y, p):
    """calibration_curve(strategy='uniform') plus the bin counts and ECE it implies."""
    prob_true, prob_pred = calibration_curve(y, p, n_bins=N_BINS, strategy="uniform")
    bins = np.linspace(0.0, 1.0, N_BINS + 1)
    counts = np.bincount(np.searchsorted(bins[1:-1], p), minlength=N_BINS)
    counts = counts[counts > 0]
    ece = float(np.sum(counts / counts.sum() * np.abs(prob_pred - prob_true)))
    return {"observed": prob_true.tolist(), "meanPredicted": prob_pred.tolist(),
            "count": counts.tolist(), "ece": ece}


def roc_auc_or_nan(y, p):
    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")


def case(y, p, curves_for):
    cols = y.shape[1]
    per_auc = [roc_auc_or_nan(y[:, c], p[:, c]) for c in range(cols)]
    defined = [c for c in range(cols) if not np.isnan(per_auc[c])]
    y_pred = (p >= 0.5).astype(int)
    out = {
        "yTrue": y.tolist(), "scores": p.tolist(),
        "rocAuc": per_auc,
        "microRocAuc": roc_auc_score(y, p, average="micro"),
        # sklearn raises for average='macro' when a label has one class: macro over the others.
        "macroRocAuc": roc_auc_score(y[:, defined], p[:, defined], average="macro"),
        "averagePrecision": average_precision_score(y, p, average=None).tolist(),
        "microAp": average_precision_score(y, p, average="micro"),
        "macroAp": average_precision_score(y, p, average="macro"),
        "logLoss": log_loss(y.ravel(), p.ravel(), eps=EPS),
        "perLabelLogLoss": [log_loss(y[:, c], p[:, c], eps=EPS, labels=[0, 1]) for c in range(cols)],
        "brier": brier_score_loss(y.ravel(), p.ravel()),
        "perLabelBrier": [brier_score_loss(y[:, c], p[:, c], pos_label=1) for c in range(cols)],
        "coverageError": coverage_error(y, p),
        "lrap": label_ranking_average_precision_score(y, p),
        "labelRankingLoss": label_ranking_loss(y, p),
        "confusion": multilabel_confusion_matrix(y, y_pred).tolist(),
        "reliability": reliability(y.ravel(), p.ravel()),
        "curves": {},
    }
    for c in curves_for:
        fpr, tpr, th = roc_curve(y[:, c], p[:, c])
        fpr_all, tpr_all, _ = roc_curve(y[:, c], p[:, c], drop_intermediate=False)
        prec, rec, pth = precision_recall_curve(y[:, c], p[:, c])
        out["curves"][c] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": th.tolist(),
                            "fprAll": fpr_all.tolist(), "tprAll": tpr_all.tolist(),
                            "precision": prec.tolist(), "recall": rec.tolist(),
                            "prThresholds": pth.tolist()}
    return out


rng = np.random.RandomState(13)
p = np.round(rng.rand(40, 6), 2)
p[0, 0], p[1, 1], p[2, 2] = 0.0, 1.0, 0.3  # clipped log loss; a value on a bin edge
y = (rng.rand(40, 6) < p).astype(int)
y[0, 0], y[1, 1] = 1, 0  # confidently wrong cells: log loss relies on the clip
y[:, 4] = 0
y[:, 5] = 1
random_case = case(y, p, curves_for=[0, 1, 2, 3, 4, 5])

rng = np.random.RandomState(109)
p2 = np.round(rng.rand(30, 4), 1)  # coarse: many ties within rows
y2 = (rng.rand(30, 4) < 0.4).astype(int)
y2[0, :] = 0
y2[1, :] = 1
ranking_case = case(y2, p2, curves_for=[0])

y3, p3 = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
fpr3, tpr3, th3 = roc_curve(y3, p3)
prec3, rec3, pth3 = precision_recall_curve(y3, p3)
doc = {"yTrue": y3.tolist(), "scores": p3.tolist(), "fpr": fpr3.tolist(), "tpr": tpr3.tolist(),
       "thresholds": th3.tolist(), "precision": prec3.tolist(), "recall": rec3.tolist(),
       "prThresholds": pth3.tolist(), "rocAuc": roc_auc_score(y3, p3),
       "ap": average_precision_score(y3, p3)}

print(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "random": random_case,
                  "ranking": ranking_case, "doc": doc}))
