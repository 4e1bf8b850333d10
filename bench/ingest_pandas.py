"""pandas side of bench/ingest.ts. Prints one JSON line.

  python3 bench/ingest_pandas.py parse AUTH_LOG [YEAR OUT.csv]   # str.extract + to_datetime + groupby([ip, minute]).size()
                                                  # (with OUT.csv: also written as "ip,minute,count", ISO minutes)
  python3 bench/ingest_pandas.py count ROWS_CSV   # groupby(['user', 'minute']).size(), best of 3
  python3 bench/ingest_pandas.py csv EXPORT_CSV OUT.csv  # read_csv + filter + groupby([src_ip, minute]).size()
"""
import json
import resource
import sys
import time

import pandas as pd

# Same lines as siemlab's failed_password: "Failed password for [invalid user ]USER from IP port N".
FAILED = r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ sshd\[\d+\]: Failed password for (?:invalid user )?.*? from (\S+) port \d+"


def parse(path, year=None, out=None):
    c0 = time.process_time()
    t0 = time.perf_counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = pd.Series(f.read().splitlines())
    t1 = time.perf_counter()
    ext = lines.str.extract(FAILED).dropna()
    t2 = time.perf_counter()
    if year is None:
        when = pd.to_datetime(ext[0], format="%b %d %H:%M:%S")
    else:
        when = pd.to_datetime(ext[0] + " " + year, format="%b %d %H:%M:%S %Y")
    t3 = time.perf_counter()
    sizes = pd.DataFrame({"ip": ext[1], "minute": when.dt.floor("min")}).groupby(["ip", "minute"]).size()
    if out is not None:
        frame = sizes.reset_index()
        frame["minute"] = frame["minute"].dt.strftime("%Y-%m-%dT%H:%M:00.000Z")
        frame.to_csv(out, index=False, header=["ip", "minute", "count"])
    t4 = time.perf_counter()
    cpu = time.process_time() - c0
    return {
        "seconds": t4 - t0, "cpu_s": cpu, "read_s": t1 - t0, "extract_s": t2 - t1, "datetime_s": t3 - t2, "groupby_s": t4 - t3,
        "groups": int(len(sizes)), "total": int(sizes.sum()), "read": int(len(lines)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def count(path):
    df = pd.read_csv(path)
    best = float("inf")
    groups = 0
    for _ in range(3):
        t0 = time.perf_counter()
        minute = df["t"] // 60000
        sizes = df.assign(minute=minute).groupby(["user", "minute"]).size()
        best = min(best, time.perf_counter() - t0)
        groups = int(len(sizes))
    return {"seconds": best, "groups": groups}


def csv(path, out):
    """Failed logins per source address per minute from a SIEM export (bench/ingest.ts section 3)."""
    df = pd.read_csv(path)
    failed = df[df["action"] == "login_failed"]
    minute = pd.to_datetime(failed["_time"], utc=True).dt.floor("min").dt.strftime("%Y-%m-%dT%H:%M:00.000Z")
    sizes = pd.DataFrame({"ip": failed["src_ip"], "minute": minute}).groupby(["ip", "minute"]).size()
    sizes.reset_index().to_csv(out, index=False, header=["ip", "minute", "count"])
    return {"groups": int(len(sizes)), "total": int(sizes.sum())}


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    print(json.dumps(parse(path, *sys.argv[3:5]) if mode == "parse" else csv(path, sys.argv[3]) if mode == "csv" else count(path)))
