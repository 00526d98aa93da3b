"""scikit-learn side of bench/sklearn-compare.ts: SVC(rbf) and RandomForestClassifier one-vs-rest
on the split written by the TS side; prints JSON. Run by the TS script with /usr/bin/python3."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, hamming_loss
from sklearn.svm import SVC

d = json.load(open(sys.argv[1]))
xtr, ytr = np.array(d["xTrain"]), np.array(d["yTrain"], dtype=int)
xte, yte = np.array(d["xTest"]), np.array(d["yTest"], dtype=int)


def scores(pred):
    at_least_one = np.mean([(p & t).any() for p, t in zip(pred, yte)])
    return {"hammingLoss": hamming_loss(yte, pred), "exactMatch": accuracy_score(yte, pred), "atLeastOne": float(at_least_one)}


def svm():
    t = time.time()
    by_decision, by_proba = [], []
    for c in range(ytr.shape[1]):
        m = SVC(kernel="rbf", C=1.0, gamma="scale", probability=True, random_state=0).fit(xtr, ytr[:, c])
        by_decision.append(m.predict(xte))
        by_proba.append((m.predict_proba(xte)[:, 1] >= 0.5).astype(int))
    out = {"predict": scores(np.array(by_decision).T), "proba>=0.5": scores(np.array(by_proba).T)}
    out["fitMs"] = round((time.time() - t) * 1000)
    return out


def forest(seed):
    pred = [RandomForestClassifier(n_estimators=100, random_state=seed).fit(xtr, ytr[:, c]).predict(xte) for c in range(ytr.shape[1])]
    return scores(np.array(pred).T)


forests = [forest(s) for s in (1, 2, 3)]
print(json.dumps({"svm": svm(), "forestMeanHammingLoss": float(np.mean([f["hammingLoss"] for f in forests])), "forest": forests}))
