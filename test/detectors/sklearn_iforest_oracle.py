"""scikit-learn's IsolationForest as an oracle for test/detectors/isolation-forest-sklearn.test.ts.

Reads {"cases": [...]} as JSON on stdin and writes one JSON result per case on stdout. A case is either
{"kind": "iforest", "X": rows | "npz": path, "stride": k, "limit": m, "seed", "contamination",
"maxSamples", "maxFeatures", "bootstrap", "nEstimators"} (values <= 1 of maxSamples/maxFeatures are
fractions, as in siemlab) or {"kind": "swr", "n", "k", "seed"} for sample_without_replacement.
Run by the test with Debian's /usr/bin/python3 (python3-sklearn 1.2.1).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.utils.random import sample_without_replacement


def rows(case):
    if "X" in case:
        return np.asarray(case["X"], dtype=np.float64)
    X = np.load(case["npz"])["X"].astype(np.float64)
    return X[:: case.get("stride", 1)][: case.get("limit", len(X))]


def count_or_fraction(v):
    return v if isinstance(v, str) else (float(v) if v <= 1 else int(v))


def run(case):
    if case["kind"] == "swr":
        return sample_without_replacement(case["n"], case["k"], random_state=case["seed"]).tolist()
    X = rows(case)
    f = IsolationForest(
        n_estimators=case.get("nEstimators", 100),
        max_samples=count_or_fraction(case.get("maxSamples", "auto")),
        max_features=count_or_fraction(case.get("maxFeatures", 1.0)),
        bootstrap=case.get("bootstrap", False),
        contamination=case.get("contamination", "auto"),
        random_state=case["seed"],
    ).fit(X)
    return {
        "rows": len(X),
        "offset": float(f.offset_),
        "scoreSamples": f.score_samples(X).tolist(),
        "decision": f.decision_function(X).tolist(),
        "predict": f.predict(X).tolist(),
    }


cases = json.load(sys.stdin)["cases"]
json.dump({"sklearn": sklearn.__version__, "results": [run(c) for c in cases]}, sys.stdout)
