#!/usr/bin/python3
"""Regenerate test/fixtures/numpy-*.json: reference draws from NumPy's legacy RandomState.

Run with the Python that has NumPy (Debian: /usr/bin/python3, numpy 1.24):

    /usr/bin/python3 scripts/gen-numpy-fixtures.py

test/random.test.ts compares src/random.ts against these files: integers exactly, floats to 1e-15.
"""
import json
import os

import numpy as np

SEEDS = [0, 1, 42, 2**32 - 1, 12345]
LAMS = [0, 0.5, 1, 5, 9.99, 10, 15, 100, 1e4]
RANDINT_CASES = [(0, 10), (5, 1000), (-100, 100), (0, 2), (0, 2**31 - 1), (0, 2**32), (0, 2**32 + 5), (3, 2**40)]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def per_seed(seed):
    out = {"seed": seed}
    r = np.random.RandomState(seed)
    out["randomSample"] = floats(r.random_sample(40))
    r = np.random.RandomState(seed)
    out["randn"] = floats(r.randn(41))  # odd count exercises the cached second Gaussian
    r = np.random.RandomState(seed)
    out["normal"] = floats(r.normal(3.5, 2.0, 25))
    r = np.random.RandomState(seed)
    out["uniform"] = floats(r.uniform(-2.0, 7.0, 25))
    r = np.random.RandomState(seed)
    out["exponential"] = floats(r.exponential(1.5, 25))
    out["poisson"] = []
    for lam in LAMS:
        r = np.random.RandomState(seed)
        out["poisson"].append({"lam": lam, "values": ints(r.poisson(lam, 200))})
    out["randint"] = []
    for low, high in RANDINT_CASES:
        r = np.random.RandomState(seed)
        out["randint"].append({"low": low, "high": high, "values": ints(r.randint(low, high, size=30))})
    r = np.random.RandomState(seed)
    a = np.arange(25)
    r.shuffle(a)
    out["shuffle25"] = ints(a)
    r = np.random.RandomState(seed)
    out["permutation300"] = ints(r.permutation(300))
    r = np.random.RandomState(seed)
    out["choiceReplace"] = ints(r.choice(50, 20, replace=True))
    r = np.random.RandomState(seed)
    out["choiceNoReplace"] = ints(r.choice(50, 20, replace=False))
    # One generator, interleaved calls: the Gaussian cache and the stream position carry across methods.
    r = np.random.RandomState(seed)
    seq = []
    seq.append(["randn", float(r.randn())])
    seq.append(["rand", float(r.random_sample())])
    seq.append(["randn", float(r.randn())])
    seq.append(["poisson3", int(r.poisson(3))])
    seq.append(["poisson30", int(r.poisson(30))])
    seq.append(["randint", int(r.randint(0, 1000))])
    seq.append(["normal", float(r.normal(1.0, 0.5))])
    seq.append(["exponential", float(r.exponential(2.0))])
    seq.append(["uniform", float(r.uniform(1.0, 2.0))])
    seq.append(["randn", float(r.randn())])
    out["interleaved"] = seq
    return out


def sklearn_iforest_fixture():
    """Mean IsolationForest scores over 10 seeds on a small blob, when scikit-learn is installed."""
    try:
        from sklearn.ensemble import IsolationForest
    except ImportError:
        print("scikit-learn not installed: numpy-iforest-sklearn.json not regenerated")
        return
    import sklearn
    from sklearn.ensemble._iforest import _average_path_length

    r = np.random.RandomState(0)
    X = np.vstack([r.randn(285, 2), r.uniform(-6, 6, size=(15, 2))])
    scores = [IsolationForest(random_state=s).fit(X).score_samples(X) for s in range(10)]
    offsets = [float(IsolationForest(random_state=s, contamination=0.1).fit(X).offset_) for s in range(10)]
    ns = [1, 2, 3, 10, 255, 256, 1000]
    data = {
        "sklearn": sklearn.__version__,
        "X": [floats(row) for row in X],
        "meanScore": floats(np.mean(scores, axis=0)),
        "offsetsContamination0.1": offsets,
        "averagePathLength": {"n": ns, "c": floats(_average_path_length(np.array(ns)))},
    }
    with open(os.path.join(OUT, "numpy-iforest-sklearn.json"), "w") as f:
        json.dump(data, f)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    data = {"numpy": np.__version__, "seeds": [per_seed(s) for s in SEEDS]}
    with open(os.path.join(OUT, "numpy-random.json"), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    perc = []
    for seed, n in [(3, 101), (7, 10), (11, 53), (5, 2)]:
        values = np.random.RandomState(seed).randn(n)
        qs = [0, 100 * 0.001, 100 * 0.01, 100 * 0.05, 100 * 0.1, 100 * 0.2, 100 * 0.25, 100 * 0.5, 37.5, 99.9, 100]
        perc.append({"values": floats(values), "q": qs, "percentile": [float(np.percentile(values, q)) for q in qs]})
    with open(os.path.join(OUT, "numpy-percentile.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": perc}, f)
        f.write("\n")
    sklearn_iforest_fixture()
    np.random.seed(42)
    tutorial = {"numpy": np.__version__, "poisson_lam5_size50_seed42": ints(np.random.poisson(lam=5, size=50))}
    with open(os.path.join(OUT, "numpy-tutorial.json"), "w") as f:
        json.dump(tutorial, f)
        f.write("\n")


if __name__ == "__main__":
    main()
