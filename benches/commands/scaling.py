#!/usr/bin/env python3
"""How cogov's experiments scale with cores, from measured serial and parallel parts.

Times whole `cogov` processes (wall clock, median of REPEATS, commands interleaved so
drift of a shared machine hits all alike) and derives:

0. Start-up: a whole `cogov run` of a tiny co-governance district for one day (its
   files and HTML report included).
1. The Mesa-parity batch (scenarios/reference/mesa_parity.toml at 200 steps, 10
   replications, as benches/peer/mesa_epstein.sh runs it): one run alone, ten on 1
   and on 2 threads, the report alone (`cogov report`) and the checking alone
   (`cogov check`).
2. A sweep of 200 small runs (benches/commands/sweep_lhs.toml, -n 2) on 1 and 2
   threads, with and without a daily time series.

For both experiments: the serial part S is the core-time left idle on 2 threads (2
T(2) minus the CPU time the process used), checked against the parts measured alone
(start-up, the report, the analysis); the parallel part P is the rest of the CPU
time; the model T(N) = S + ceil(J / N) P / J for J runs (a run is not split between
cores) must give T(1) back, and predicts 4, 16 and 64 cores.

  python3 benches/commands/scaling.py [--cogov target/release/cogov] [--repeats 7]
"""

import argparse
import os
import resource
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
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def model(name, t1, t2, cpu2, runs, report):
    """The scaling model of one experiment from its medians on 1 and 2 threads."""
    # Core-time left idle on 2 threads is the part only one core could work on.
    serial = max(0.0, 2 * t2 - cpu2)
    parallel = cpu2 - serial
    print(f"   1 thread {t1 * 1000:.1f} ms; 2 threads {t2 * 1000:.1f} ms (speed-up {t1 / t2:.2f}), "
          f"{cpu2 * 1000:.0f} ms of CPU")
    print(f"   serial part S = 2 T(2) - CPU(2) = {serial * 1000:.1f} ms (measured alone: {report}); "
          f"parallel part {parallel * 1000:.0f} ms, {parallel / runs * 1000:.2f} ms a run")
    print(f"   model T(N) = S + ceil(J / N) P / J: T(1) {(serial + parallel) * 1000:.1f} ms against {t1 * 1000:.1f} measured")
    for cores in (4, 16, 64):
        # A run is not split between cores: ceil(J / N) rounds of runs.
        rounds = -(-runs // cores)
        t = serial + rounds * parallel / runs
        print(f"   predicted on {cores:>2} cores: {t * 1000:7.1f} ms, speed-up {t1 / t:5.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cogov", default=str(REPO / "target/release/cogov"))
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    cogov = os.path.abspath(args.cogov)
    if not os.access(cogov, os.X_OK):
        sys.exit(f"scaling.py: no cogov binary at {cogov}: run `cargo build --release` first, or give --cogov PATH")
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
    cpus = {name: [] for name in cases}
    for _ in range(args.repeats):
        for name, cmd in cases.items():
            extra = [] if cmd[1] in ("check", "report", "analyse") else ["--out", out()]
            wall, cpu = timed(cmd + extra, work)
            times[name].append(wall)
            cpus[name].append(cpu)
    med = {name: statistics.median(t) for name, t in times.items()}
    cpu = {name: statistics.median(t) for name, t in cpus.items()}
    for name, t in times.items():
        print(f"{name:<58} median {med[name] * 1000:8.1f} ms  [{min(t) * 1000:.1f}-{max(t) * 1000:.1f}], "
              f"CPU {cpu[name] * 1000:7.1f} ms")

    print("\n0. Start-up: a tiny run takes "
          f"{med['start-up: a tiny run (3 x 3 grids of 10 households, one day)'] * 1000:.1f} ms as a whole process")

    print("\n1. The Mesa-parity batch, 10 runs")
    model("mp", med["mp: 10 runs, 1 thread"], med["mp: 10 runs, 2 threads"], cpu["mp: 10 runs, 2 threads"], 10,
          f"start-up {med['mp: check'] * 1000:.1f} ms (check), the report {med['mp: report alone'] * 1000:.1f} ms")

    print("\n2. A sweep of 200 small runs")
    model("sweep", med["sweep: 200 runs, 1 thread"], med["sweep: 200 runs, 2 threads"],
          cpu["sweep: 200 runs, 2 threads"], 200,
          f"the report and analysis {med['sweep: report and analysis alone'] * 1000:.1f} ms")
    print(f"   a daily time series adds "
          f"{(med['sweep: 200 runs, 1 thread, daily series'] - med['sweep: 200 runs, 1 thread']) * 1000:.0f} ms "
          f"on 1 thread (rendered beside the worker)")
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
