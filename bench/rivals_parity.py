#!/usr/bin/python3
"""scikit-learn side of bench/rivals_parity.ts (not run on its own).

Usage: /usr/bin/python3 bench/rivals_parity.py PATH.npz MAX_ROWS SEED
Loads an ADBench .npz, keeps at most MAX_ROWS rows drawn with np.random.RandomState(SEED).choice(n, m,
replace=False) (sorted), fits LocalOutlierFactor and OneClassSVM with defaults, and prints one JSON object
with the rows, labels, scores and single-thread timings to stdout.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.neighbors import LocalOutlierFactor  # noqa: E402
from sklearn.svm import OneClassSVM  # noqa: E402


def main():
    path, max_rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with np.load(path, allow_pickle=False) as z:
        X = np.ascontiguousarray(z["X"], dtype=np.float64)
        y = np.asarray(z["y"]).astype(int).ravel()
    if X.shape[0] > max_rows:
        idx = np.sort(np.random.RandomState(seed).choice(X.shape[0], max_rows, replace=False))
        X, y = X[idx], y[idx]
    out = {"rows": int(X.shape[0]), "cols": int(X.shape[1]), "X": X.ravel().tolist(), "y": y.tolist(), "sklearn": {}}
    t = time.perf_counter()
    lof = LocalOutlierFactor().fit(X)
    s = lof.negative_outlier_factor_
    out["sklearn"]["lof"] = {"seconds": time.perf_counter() - t, "scores": s.tolist(), "auc": float(roc_auc_score(y, -s))}
    t = time.perf_counter()
    svm = OneClassSVM().fit(X)
    s = svm.score_samples(X)
    out["sklearn"]["ocsvm"] = {"seconds": time.perf_counter() - t, "scores": s.tolist(), "auc": float(roc_auc_score(y, -s))}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
