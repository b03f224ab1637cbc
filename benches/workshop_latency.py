#!/usr/bin/env python3
"""How soon the workshop page sees numbers: time from sending `POST /api/run` to the
first `update` line, to the `map` line and to `done`, through the real server.

Usage: python3 benches/workshop_latency.py [path/to/cogov] [samples]

Starts `cogov workshop --port 0` (the built-in default district), sends `samples`
requests one after another (the clarified-responsibility lever, 20 replications,
charts and map, as the page sends them) and prints each time's median and range.
Standard library only.
"""

import http.client
import json
import statistics
import subprocess
import sys
import time


def one_run(host, port):
    body = json.dumps({
        "changes": {"liability.clarity": 0.9},
        "replications": 20,
        "charts": True,
        "map": True,
        "client": "latency",
    })
    conn = http.client.HTTPConnection(host, port, timeout=120)
    started = time.perf_counter()
    conn.request("POST", "/api/run", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 200, response.status
    seen = {}
    for line in response:  # http.client undoes the chunking
        kind = json.loads(line)["type"]
        seen.setdefault(kind, time.perf_counter() - started)
    conn.close()
    return seen


def main():
    cogov = sys.argv[1] if len(sys.argv) > 1 else "target/release/cogov"
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    server = subprocess.Popen([cogov, "workshop", "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = next(w for w in server.stdout.readline().split() if w.startswith("http://"))
        host, port = url[len("http://"):].rstrip("/").split(":")
        runs = [one_run(host, int(port)) for _ in range(samples)]
    finally:
        server.terminate()
        server.wait()
    for kind in ["start", "update", "map", "done"]:
        times = sorted(r[kind] * 1000 for r in runs if kind in r)
        print(f"first {kind:<6}  median {statistics.median(times):7.0f} ms"
              f"   range {times[0]:.0f} to {times[-1]:.0f} ms   ({len(times)} runs)")


if __name__ == "__main__":
    main()
