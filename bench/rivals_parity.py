#!/usr/bin/python3
"""scikit-learn side of bench/rivals_parity.ts (not run on its own).

Usage: /usr/bin/python3 bench/rivals_parity.py SOURCE ROWS SEED DETECTORS
SOURCE is an ADBench .npz path or `synthetic:D` (seeded Gaussian blobs in D dimensions with 1% uniform
outliers). At most ROWS rows are kept, drawn with np.random.RandomState(SEED).choice(n, m, replace=False)
(sorted); synthetic data are generated with RandomState(SEED). DETECTORS is a comma list of `lof`,
`ocsvm`. Fits LocalOutlierFactor and/or OneClassSVM with defaults (single thread) and prints one JSON
object with the rows, labels, scores and fit+score seconds (wall and process CPU) to stdout. ROWS 0 prints the number of rows of the .npz instead.
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


def load(source, rows, seed):
    if source.startswith("synthetic:"):
        d = int(source.split(":")[1])
        rs = np.random.RandomState(seed)
        n_out = max(1, rows // 100)
        centers = rs.uniform(-5, 5, size=(3, d))
        inl = centers[rs.randint(0, 3, rows - n_out)] + rs.randn(rows - n_out, d)
        out = rs.uniform(-10, 10, size=(n_out, d))
        X = np.vstack([inl, out])
        y = np.r_[np.zeros(rows - n_out, int), np.ones(n_out, int)]
        return np.ascontiguousarray(X, dtype=np.float64), y
    with np.load(source, allow_pickle=False) as z:
        X = np.ascontiguousarray(z["X"], dtype=np.float64)
        y = np.asarray(z["y"]).astype(int).ravel()
    if X.shape[0] > rows:
        idx = np.sort(np.random.RandomState(seed).choice(X.shape[0], rows, replace=False))
        X, y = np.ascontiguousarray(X[idx]), y[idx]
    return X, y


def main():
    source, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if rows == 0:  # just the number of rows of an .npz
        with np.load(source, allow_pickle=False) as z:
            print(int(z["y"].shape[0]))
        return
    detectors = sys.argv[4].split(",") if len(sys.argv) > 4 else ["lof", "ocsvm"]
    X, y = load(source, rows, seed)
    out = {"rows": int(X.shape[0]), "cols": int(X.shape[1]), "X": X.ravel().tolist(), "y": y.tolist(), "sklearn": {}}
    if "lof" in detectors:
        t, c = time.perf_counter(), time.process_time()
        lof = LocalOutlierFactor().fit(X)
        s = lof.negative_outlier_factor_
        out["sklearn"]["lof"] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "scores": s.tolist(),
                                 "auc": float(roc_auc_score(y, -s)), "method": lof._fit_method}
    if "ocsvm" in detectors:
        t, c = time.perf_counter(), time.process_time()
        svm = OneClassSVM().fit(X)
        s = svm.score_samples(X)
        out["sklearn"]["ocsvm"] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "scores": s.tolist(),
                                   "auc": float(roc_auc_score(y, -s)), "method": "libsvm"}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
