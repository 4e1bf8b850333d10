#!/usr/bin/python3
"""scikit-learn side of bench/iforest.ts: times IsolationForest(n_jobs=1) fit + score_samples on the
data that bench wrote (raw little-endian float64 rows, uint8 labels) and prints one JSON line; writes the
scores of the first run (random_state 0) to DIR/sklearn.f64 for the parity column.

    /usr/bin/python3 bench/iforest_sklearn.py DIR N D REPEATS
"""
import json
import resource
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score


def main():
    directory, n, d, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    X = np.fromfile(f"{directory}/X.f64", dtype="<f8").reshape(n, d)
    y = np.fromfile(f"{directory}/y.u8", dtype="u1")
    best = None
    for r in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        model = IsolationForest(n_jobs=1, random_state=r).fit(X)
        t1 = time.perf_counter()
        scores = model.score_samples(X)
        t2, c2 = time.perf_counter(), time.process_time()
        if r == 0:
            scores.astype("<f8").tofile(f"{directory}/sklearn.f64")
        run = {"fit": t1 - t0, "score": t2 - t1, "total": t2 - t0, "cpu": c2 - c0, "auc": float(roc_auc_score(y, -scores))}
        if best is None or run["total"] < best["total"]:
            best = run
    best["maxRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(best))


if __name__ == "__main__":
    main()
