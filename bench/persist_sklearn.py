#!/usr/bin/python3
"""scikit-learn side of bench/persist.ts: fits IsolationForest(random_state=0) on the rows bench wrote (raw
little-endian float64), then times joblib.dump and joblib.load of the fitted model (best of REPEATS) and load + score_samples of 1,000 rows, checks
that the loaded model scores identically, and prints one JSON line.

    /usr/bin/python3 bench/persist_sklearn.py DIR N D REPEATS
"""
import json
import os
import sys
import time

import joblib
import numpy as np
from sklearn.ensemble import IsolationForest


def main():
    directory, n, d, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    X = np.fromfile(f"{directory}/X.f64", dtype="<f8").reshape(n, d)
    model = IsolationForest(n_jobs=1, random_state=0).fit(X)
    path = f"{directory}/sklearn-iforest.joblib"
    save = load = load_score = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        joblib.dump(model, path)
        t1 = time.perf_counter()
        back = joblib.load(path)
        t2 = time.perf_counter()
        joblib.load(path).score_samples(X[:1000])
        t3 = time.perf_counter()
        save, load, load_score = min(save, t1 - t0), min(load, t2 - t1), min(load_score, t3 - t2)
    identical = bool(np.array_equal(model.score_samples(X[:2000]), back.score_samples(X[:2000])))
    nodes = int(sum(e.tree_.node_count for e in model.estimators_))
    print(json.dumps({"save": save, "load": load, "loadScore": load_score, "bytes": os.path.getsize(path), "identical": identical, "nodes": nodes}))


if __name__ == "__main__":
    main()
