#!/usr/bin/env python3
"""How cogov's experiments scale with cores, from measured serial and parallel parts.

Times whole `cogov` processes (wall clock, median of REPEATS, commands interleaved so
drift of a shared machine hits all alike) and derives:

0. Start-up: a whole `cogov run` of a tiny co-governance district for one day (its
   files and HTML report included).
1. The Mesa-parity batch (scenarios/reference/mesa_parity.toml at 200 steps, 10
   replications, as benches/peer/mesa_epstein.sh runs it): one run alone, ten on 1
   and on 2 threads, the report alone (`cogov report`) and the checking alone
   (`cogov check`). From them: the cost of a run, the fixed cost of the process, and
   how much of the 2-thread time each explains.
2. A sweep of 200 small runs (benches/commands/sweep_lhs.toml, -n 2) on 1 and 2
   threads, with and without a daily time series: Amdahl's serial fraction s from
   the 2-thread speed-up S2 (s = 2 / S2 - 1), checked against the parts measured
   alone (the report, the writing of rows), and the predicted speed-up
   1 / (s + (1 - s) / N) for N = 4, 16 and 64 cores.

  python3 benches/commands/scaling.py [--cogov target/release/cogov] [--repeats 7]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def timed(cmd, cwd):
    start = time.monotonic()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cogov", default=str(REPO / "target/release/cogov"))
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    cogov = os.path.abspath(args.cogov)
    work = Path(tempfile.mkdtemp(prefix="cogov-scaling."))
    mp = work / "mp.toml"
    mp.write_text(
        (REPO / "scenarios/reference/mesa_parity.toml").read_text().replace("ticks = 1000", "ticks = 200")
    )
    sweep = str(HERE / "sweep_lhs.toml")
    n = [0]

    def out():
        n[0] += 1
        return str(work / f"r{n[0]}")

    def keep(name):
        return str(work / name)

    # Finished directories for the report-alone timings.
    subprocess.run([cogov, "run", str(mp), "-n", "10", "-q", "--out", keep("mp10")], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([cogov, "sweep", sweep, "-n", "2", "-q", "--out", keep("sw")], check=True,
                   stdout=subprocess.DEVNULL)
    tiny = [cogov, "run", "-n", "1", "-j", "1", "-q", "--set", "run.ticks=1", "--set", "run.warmup_ticks=0",
            "--set", "district.width=3", "--set", "district.height=3", "--set", "district.households_per_grid=10"]
    cases = {
        "start-up: a tiny run (3 x 3 grids of 10 households, one day)": tiny,
        "mp: check": [cogov, "check", str(mp)],
        "mp: 1 run, 1 thread": [cogov, "run", str(mp), "-n", "1", "-j", "1", "-q"],
        "mp: 10 runs, 1 thread": [cogov, "run", str(mp), "-n", "10", "-j", "1", "-q"],
        "mp: 10 runs, 2 threads": [cogov, "run", str(mp), "-n", "10", "-j", "2", "-q"],
        "mp: report alone": [cogov, "report", keep("mp10")],
        "sweep: 200 runs, 1 thread": [cogov, "sweep", sweep, "-n", "2", "-j", "1", "-q"],
        "sweep: 200 runs, 2 threads": [cogov, "sweep", sweep, "-n", "2", "-j", "2", "-q"],
        "sweep: 200 runs, 1 thread, daily series": [cogov, "sweep", sweep, "-n", "2", "-j", "1",
                                                     "-q", "--timeseries-every", "1"],
        "sweep: report and analysis alone": [cogov, "analyse", keep("sw"), "-q"],
    }
    times = {name: [] for name in cases}
    for _ in range(args.repeats):
        for name, cmd in cases.items():
            extra = [] if cmd[1] in ("check", "report", "analyse") else ["--out", out()]
            times[name].append(timed(cmd + extra, work))
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name:<44} median {med[name] * 1000:8.1f} ms  [{min(t) * 1000:.1f}-{max(t) * 1000:.1f}]")

    print("\n0. Start-up: a tiny run takes "
          f"{med['start-up: a tiny run (3 x 3 grids of 10 households, one day)'] * 1000:.1f} ms as a whole process")

    print("\n1. The Mesa-parity batch")
    one, ten1, ten2 = med["mp: 1 run, 1 thread"], med["mp: 10 runs, 1 thread"], med["mp: 10 runs, 2 threads"]
    per_run = (ten1 - one) / 9
    fixed = one - per_run
    balanced = fixed + 5 * per_run
    print(f"   a run: {per_run * 1000:.1f} ms; fixed cost of the process: {fixed * 1000:.1f} ms "
          f"(checking {med['mp: check'] * 1000:.1f} ms, the report {med['mp: report alone'] * 1000:.1f} ms)")
    print(f"   2 threads: measured {ten2 * 1000:.1f} ms; fixed + 5 runs a thread would be {balanced * 1000:.1f} ms; "
          f"speed-up {ten1 / ten2:.2f} measured, {ten1 / balanced:.2f} if only the fixed cost were serial")

    print("\n2. A sweep of 200 small runs")
    s1, s2 = med["sweep: 200 runs, 1 thread"], med["sweep: 200 runs, 2 threads"]
    speedup = s1 / s2
    serial = max(0.0, 2 / speedup - 1)
    print(f"   speed-up on 2 threads {speedup:.3f}: serial fraction s = {serial:.3f} "
          f"({serial * s1 * 1000:.0f} ms of {s1 * 1000:.0f} ms)")
    print(f"   measured alone: report and analysis {med['sweep: report and analysis alone'] * 1000:.0f} ms; "
          f"a daily time series adds {(med['sweep: 200 runs, 1 thread, daily series'] - s1) * 1000:.0f} ms "
          f"of formatting and writing")
    for cores in (4, 16, 64):
        predicted = 1 / (serial + (1 - serial) / cores)
        print(f"   predicted on {cores:>2} cores: speed-up {predicted:5.1f}, {200 / (s1 / predicted):6.0f} runs/s")
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
