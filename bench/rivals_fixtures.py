#!/usr/bin/python3
"""Regenerate the scikit-learn reference fixtures used by helper tests of the rival detectors and metrics.

Run from the repo root with Debian's Python (scikit-learn 1.2.1):
    /usr/bin/python3 bench/rivals_fixtures.py
Writes test/eval/fixtures/metrics-sklearn.json and test/detectors/fixtures/rivals-sklearn.json.
Inputs are generated here with a seeded NumPy RandomState and stored next to the expected outputs, so the
TypeScript tests need neither Python nor NumPy.
"""
import json
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # scikit-learn's brute-force neighbours: one thread, index order

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, precision_recall_curve, roc_auc_score, roc_curve)
from sklearn.neighbors import BallTree, KDTree, LocalOutlierFactor
from sklearn.svm import OneClassSVM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lst(a):
    return [float(v) for v in np.asarray(a).ravel()]


def metrics_cases():
    rs = np.random.RandomState(7)
    cases = []
    # continuous scores, ties from rounding, heavy ties, small hand case
    for name, n, rate, decimals in [("continuous", 200, 0.1, None), ("rounded", 150, 0.2, 1), ("ties", 60, 0.3, 0)]:
        y = (rs.rand(n) < rate).astype(int)
        y[0], y[1] = 1, 0
        s = rs.randn(n) + 1.5 * y
        if decimals is not None:
            s = np.round(s, decimals)
        cases.append((name, y, s))
    cases.append(("hand", np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])))
    out = []
    for name, y, s in cases:
        fpr, tpr, thr = roc_curve(y, s)
        p, r, t = precision_recall_curve(y, s)
        out.append({
            "name": name, "labels": [int(v) for v in y], "scores": lst(s),
            "rocAuc": float(roc_auc_score(y, s)), "averagePrecision": float(average_precision_score(y, s)),
            "roc": {"fpr": lst(fpr), "tpr": lst(tpr), "thresholds": lst(thr[1:])},
            "pr": {"precision": lst(p), "recall": lst(r), "thresholds": lst(t)},
        })
    return out


def lof_cases():
    rs = np.random.RandomState(3)
    X = np.vstack([rs.randn(70, 3), rs.randn(8, 3) * 0.3 + 4.0, rs.uniform(-6, 6, size=(5, 3))])
    X = np.vstack([X, X[:3]])  # exact duplicates
    Xnew = np.vstack([rs.randn(10, 3) * 2.0, X[5:7]])
    out = []
    for k, c in [(20, "auto"), (5, 0.1), (200, "auto")]:
        lof = LocalOutlierFactor(n_neighbors=k, contamination=c).fit(X)
        nov = LocalOutlierFactor(n_neighbors=k, contamination=c, novelty=True).fit(X)
        out.append({"nNeighbors": k, "contamination": c, "offset": float(lof.offset_),
                    "negativeOutlierFactor": lst(lof.negative_outlier_factor_),
                    "noveltyScores": lst(nov.score_samples(Xnew))})
    return {"X": X.tolist(), "Xnew": Xnew.tolist(), "cases": out}


def lof_tie_cases():
    """Integer grid data: many rows tied at the k-th distance, so which tied rows become neighbours matters.

    scikit-learn's trees pick them in their build and walk order; its brute force in index order through the
    same heap (single thread: OMP_NUM_THREADS=1 is set at the top of this script).
    """
    out = []
    for seed, (n, d, levels, k) in enumerate([(600, 3, 5, 20), (900, 2, 30, 10), (400, 1, 60, 7), (700, 6, 3, 20)]):
        rs = np.random.RandomState(100 + seed)
        X = rs.randint(0, levels, size=(n, d)).astype(float)
        Xnew = rs.randint(0, levels, size=(40, d)).astype(float)
        case = {"X": X.tolist(), "Xnew": Xnew.tolist(), "nNeighbors": k,
                "kdTreeIdx": [int(v) for v in KDTree(X, leaf_size=30).get_arrays()[1]],
                "ballTreeIdx": [int(v) for v in BallTree(X, leaf_size=30).get_arrays()[1]]}
        for alg in ["kd_tree", "ball_tree", "brute"]:
            lof = LocalOutlierFactor(n_neighbors=k, algorithm=alg).fit(X)
            nov = LocalOutlierFactor(n_neighbors=k, algorithm=alg, novelty=True).fit(X)
            case[alg] = {"negativeOutlierFactor": lst(lof.negative_outlier_factor_),
                         "noveltyScores": lst(nov.score_samples(Xnew))}
        out.append(case)
    return out


def ocsvm_cases():
    rs = np.random.RandomState(11)
    X = np.vstack([rs.randn(90, 2), rs.randn(10, 2) * 0.5 + [3.0, 3.0]]) * [1.0, 3.0]
    Xnew = rs.randn(15, 2) * 2.5
    out = []
    for nu, gamma in [(0.5, "scale"), (0.1, "scale"), (0.2, "auto"), (0.05, 0.3)]:
        m = OneClassSVM(nu=nu, gamma=gamma).fit(X)
        out.append({"nu": nu, "gamma": gamma, "offset": float(m.offset_[0]),
                    "nSupport": int(m.support_.shape[0]),
                    "trainDecision": lst(m.decision_function(X)), "newDecision": lst(m.decision_function(Xnew))})
    return {"X": X.tolist(), "Xnew": Xnew.tolist(), "cases": out}


def main():
    meta = {"generator": "bench/rivals_fixtures.py", "sklearn": sklearn.__version__, "numpy": np.__version__}
    with open(os.path.join(ROOT, "test/eval/fixtures/metrics-sklearn.json"), "w") as f:
        json.dump({"meta": meta, "cases": metrics_cases()}, f)
    with open(os.path.join(ROOT, "test/detectors/fixtures/rivals-sklearn.json"), "w") as f:
        json.dump({"meta": meta, "lof": lof_cases(), "lofTies": lof_tie_cases(), "ocsvm": ocsvm_cases()}, f)
    print("wrote fixtures with scikit-learn", sklearn.__version__)


if __name__ == "__main__":
    main()
