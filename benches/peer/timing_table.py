#!/usr/bin/env python3
"""Summarises the batch timings of Mesa's Epstein example and cogov's Mesa-parity run.

Usage: timing_table.py MESA_TIMINGS.csv COGOV_TIMINGS.csv [OUT.csv]
(either CSV may be missing; its side is then shown as n/a)

Both CSVs have one row per timed batch: side, workers, repeat, replications, steps,
seed, wall_s (whole-process wall clock, from timecmd.py), cpu_user_s, cpu_sys_s,
max_rss_mb, inproc_batch_s (Mesa only: the Pool batch inside the process, without
interpreter start-up and the import of Mesa). The CPU columns are shown too: CPU/wall
well below the worker count flags other load on the machine.

Prints, per worker count: each side's median wall time with its min-max over the
repeats, the ratio of the medians Mesa/cogov, and the range that ratio can take over
the repeats (Mesa min / cogov max to Mesa max / cogov min). Then each side's speed-up
from 1 to 2 workers (median at 1 / median at 2, range likewise). Writes the same
numbers to OUT.csv when given (must not exist).
"""

import csv
import os
import statistics
import sys


def load(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def by_workers(rows, col="wall_s"):
    out = {}
    for r in rows:
        if r.get(col, "") != "":
            out.setdefault(int(r["workers"]), []).append(float(r[col]))
    return out


def stats(xs):
    if not xs:
        return None
    return statistics.median(xs), min(xs), max(xs), len(xs)


def fmt(s):
    if s is None:
        return "n/a"
    med, lo, hi, n = s
    return f"{med:8.2f} [{lo:.2f}-{hi:.2f}] n={n}"


def ratio(a, b):
    if a is None or b is None or b[0] <= 0 or b[2] <= 0 or b[1] <= 0:
        return None
    return a[0] / b[0], a[1] / b[2], a[2] / b[1]


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return f"{r[0]:7.2f}x [{r[1]:.2f}-{r[2]:.2f}]"


def three(t):
    """The first three numbers of a stats or ratio tuple as CSV cells, or blanks."""
    return [f"{x:.4f}" for x in t[:3]] if t else ["", "", ""]


def settings(rows):
    return sorted({(r["replications"], r["steps"]) for r in rows})


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    mesa, cogov = load(argv[0]), load(argv[1])
    out_csv = argv[2] if len(argv) > 2 else None
    sm, sc = settings(mesa), settings(cogov)
    for name, s in (("Mesa", sm), ("cogov", sc)):
        if len(s) > 1:
            print(f"WARNING: {name} timings mix settings (replications, steps): {s}")
    if sm and sc and sm != sc:
        print(f"WARNING: the sides ran different batches: Mesa {sm}, cogov {sc}")
    reps_steps = (sm or sc or [("?", "?")])[0]
    m, c = by_workers(mesa), by_workers(cogov)
    mi = by_workers(mesa, "inproc_batch_s")
    workers = sorted(set(m) | set(c))

    print(f"Batch wall time, seconds: {reps_steps[0]} replications x {reps_steps[1]} "
          "steps, whole process, median [min-max] over repeats")
    print(f"{'workers':>7}  {'Mesa':<28}  {'cogov':<28}  {'Mesa/cogov':<24}  "
          "Mesa in-process batch")
    table = []
    for w in workers:
        sm_, sc_ = stats(m.get(w, [])), stats(c.get(w, []))
        r = ratio(sm_, sc_)
        print(f"{w:>7}  {fmt(sm_):<28}  {fmt(sc_):<28}  {fmt_ratio(r):<24}  "
              f"{fmt(stats(mi.get(w, [])))}")
        table.append(("batch", w, sm_, sc_, r))

    print("\nCPU time of the process tree (user + sys), median seconds, and CPU/wall "
          "(about W when W workers are busy; lower means waiting or other load):")
    for name, rows in (("Mesa", mesa), ("cogov", cogov)):
        cpu = {}
        for r in rows:
            if r.get("cpu_user_s", "") != "" and float(r["wall_s"]) > 0:
                t = float(r["cpu_user_s"]) + float(r["cpu_sys_s"])
                cpu.setdefault(int(r["workers"]), []).append((t, t / float(r["wall_s"])))
        for w in sorted(cpu):
            print(f"  {name:<6} workers={w}: cpu {statistics.median(x[0] for x in cpu[w]):8.2f} s"
                  f"  cpu/wall {statistics.median(x[1] for x in cpu[w]):.2f}")
    print("\nSpeed-up from 1 to 2 workers (median at 1 / median at 2 [range over repeats]):")
    for name, d in (("Mesa", m), ("cogov", c)):
        r = ratio(stats(d.get(1, [])), stats(d.get(2, [])))
        print(f"  {name:<6} {fmt_ratio(r)}")
        table.append((f"speedup_{name}", "1->2", None, None, r))

    if out_csv:
        with open(out_csv, "x", newline="") as f:
            wr = csv.writer(f)
            wr.writerow(["row", "workers", "mesa_median_s", "mesa_min_s", "mesa_max_s",
                         "cogov_median_s", "cogov_min_s", "cogov_max_s",
                         "ratio_median", "ratio_low", "ratio_high"])
            for kind, w, a, b, r in table:
                wr.writerow([kind, w, *three(a), *three(b), *three(r)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
