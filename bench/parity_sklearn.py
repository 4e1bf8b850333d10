#!/usr/bin/python3
"""scikit-learn side of bench/parity.ts: ROC AUC of IsolationForest(random_state=seed, n_jobs=1) with
default options on each ADBench .npz file, for each seed. Prints one JSON object {file: [auc per seed]}.

    /usr/bin/python3 bench/parity_sklearn.py ADBENCH_DIR SEEDS FILE...
"""
import json
import os
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score


def main():
    directory, seeds, files = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], sys.argv[3:]
    out = {}
    for f in files:
        data = np.load(os.path.join(directory, f))
        X, y = data["X"], data["y"]
        out[f] = [
            float(roc_auc_score(y, -IsolationForest(random_state=s, n_jobs=1).fit(X).score_samples(X))) for s in seeds
        ]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
