"""Reference coefficients for logistic.ts (L-BFGS and Newton), from scikit-learn 1.2.

The rows come from the same mulberry32 stream and formulas as logistic-lbfgs.test.ts (wideProblem):
4 dense columns then 60 sparse 0/1 columns, 2 labels. "coef" is the minimiser of
LogisticRegression's objective (penalty='l2', C, intercept unpenalised) from solver='newton-cholesky'
at tol=1e-12 (max |gradient| of C·Σ log-loss + ½‖w‖² below 1e-12). "lbfgsCoef" is the same model
with solver='lbfgs' at tol=1e-12: scipy's L-BFGS-B stops on its relative-decrease test (ftol =
64·eps) long before that, here at max |gradient| 4e-4 for C = 1, so its coefficients sit up to
~1.5e-4 from the minimiser; "lbfgsGradMax" records how far.
  /usr/bin/python3 src/lib/models/classic/logistic_reference.py > src/lib/models/classic/logistic.reference.json
"""
import json
import math

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from sklearn_reference import mulberry32


def wide_problem(seed=17, rows=400, dense=4, sparse=60):
    rng = mulberry32(seed)
    x = np.zeros((rows, dense + sparse), dtype=np.float64)
    y = np.zeros((rows, 2), dtype=np.int64)
    for r in range(rows):
        d = [float(np.float32(rng() * 2 - 1)) for _ in range(dense)]
        ones = [c for c in range(sparse) if rng() < 0.06]
        x[r, :dense] = d
        for c in ones:
            x[r, dense + c] = 1
        has = lambda c: 1 if c in ones else 0
        z0 = 1.5 * d[0] - d[1] + 2 * has(3) - 1.5 * has(10) + 0.5 * sum(has(c) for c in range(20, 30)) - 0.3
        z1 = -d[2] + 0.8 * d[3] + 1.2 * has(5) + has(41) - 0.5
        y[r, 0] = 1 if rng() < 1 / (1 + math.exp(-z0)) else 0
        y[r, 1] = 1 if rng() < 1 / (1 + math.exp(-z1)) else 0
    return x, y


def grad_max(x, y, C, coef):
    """max |gradient| of C·Σ log-loss + ½‖w‖² (intercept last, unpenalised) at coef."""
    w, b = coef[:-1], coef[-1]
    e = C * (1 / (1 + np.exp(-(x @ w + b))) - y)
    return float(np.abs(np.r_[x.T @ e + w, e.sum()]).max())


def main():
    x, y = wide_problem()
    fits = []
    for C in (1.0, 0.1):
        for label in range(2):
            coef = {}
            for solver in ("newton-cholesky", "lbfgs"):
                m = LogisticRegression(penalty="l2", C=C, solver=solver, tol=1e-12, max_iter=100000)
                m.fit(x, y[:, label])
                coef[solver] = np.r_[m.coef_[0], m.intercept_[0]]
            fits.append(
                {
                    "C": C,
                    "label": label,
                    "coef": coef["newton-cholesky"].tolist(),
                    "gradMax": grad_max(x, y[:, label], C, coef["newton-cholesky"]),
                    "lbfgsCoef": coef["lbfgs"].tolist(),
                    "lbfgsGradMax": grad_max(x, y[:, label], C, coef["lbfgs"]),
                }
            )
    print(
        json.dumps(
            {
                "source": "src/lib/models/classic/logistic_reference.py, scikit-learn "
                + sklearn.__version__
                + " LogisticRegression(penalty='l2', C, tol=1e-12, max_iter=100000),"
                + " coef: solver='newton-cholesky', lbfgsCoef: solver='lbfgs'",
                "positives": y.sum(axis=0).tolist(),
                "fits": fits,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
