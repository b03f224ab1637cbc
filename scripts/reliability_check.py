#!/usr/bin/env python3
"""Tries to break cogov the ways users and machines do, and checks it holds.

Each case runs the real binary in a scratch directory and prints one line: PASS or
FAIL, what was checked, and what was measured. The exit code is the number of
failed cases (0 when all pass).

  python3 scripts/reliability_check.py [--cogov target/release/cogov]

Cases (issue 15 of the tracker):
  - a second writer on a live results directory (with and without --resume) is
    refused naming the first one's pid, and the first finishes with every run id
    exactly once;
  - two runs without --out started together take distinct directories;
  - a named pipe as the scenario, as an `extends` base or as a sweep's scenario
    is refused within 1 s;
  - finished results whose final move fails are finished by the command the
    message names;
  - a memory bomb (47 million residents on 64 threads, the issue's 4 million
    residents with 1,000 enterprises a grid under a budget), a 10-million-point
    design and 200,000 days of daily time series are refused before they
    allocate 1 GB or write anything;
  - a results file edited before --resume is refused, never glued;
  - merge --out inside a shard is refused;
  - no error message of any case exceeds 10 KB (a 10 MB line and a 10 MB key
    included).
"""

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMALL = """name = "small"
[run]
ticks = 30
warmup_ticks = 10
[district]
width = 3
height = 3
"""

MAX_MESSAGE = 10 * 1024
results = []
largest_message = [0, ""]


def check(name, ok, measured):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {measured}", flush=True)


def run(cogov, cwd, *args, timeout=120):
    """Runs cogov to the end; returns (exit code, stdout, stderr, seconds, peak RSS
    in bytes of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    try:
        p = subprocess.run([cogov, *args], cwd=cwd, capture_output=True, timeout=timeout)
        code, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        code, out, err = "timeout", e.stdout or b"", e.stderr or b""
    seconds = time.monotonic() - start
    # ru_maxrss is the largest child so far (KiB on Linux): only meaningful when it
    # grew, so callers compare it with a bound well above every earlier child.
    rss = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) * 1024
    if len(err) > largest_message[0]:
        largest_message[:] = [len(err), " ".join(args)[:80]]
    return code, out.decode(errors="replace"), err.decode(errors="replace"), seconds, rss


def start(cogov, cwd, *args):
    return subprocess.Popen(
        [cogov, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_for_rows(path, rows=3, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if path.read_text().count("\n") >= rows:
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def run_ids(path):
    lines = path.read_text().splitlines()[1:]
    return [int(line.split(",")[0]) for line in lines]


def two_writers(cogov, d):
    (d / "s.toml").write_text(SMALL)
    cmd = ["run", "s.toml", "-n", "1000", "-j", "1", "-q", "--out", "d"]
    first = start(cogov, d, *cmd)
    if not wait_for_rows(d / "d.partial" / "runs.csv"):
        check("two writers", False, "the first run never started")
        first.kill()
        return
    resumed = run(cogov, d, *cmd, "--resume")
    again = run(cogov, d, *cmd)
    code = first.wait()
    ids = run_ids(d / "d" / "runs.csv") if (d / "d" / "runs.csv").exists() else []
    pid = f"pid {first.pid}"
    ok = (
        resumed[0] == 2
        and pid in resumed[2]
        and again[0] == 2
        and pid in again[2]
        and code == 0
        and ids == list(range(1000))
    )
    check(
        "a second writer, with or without --resume, is refused and the first is whole",
        ok,
        f"second writers exited {resumed[0]} and {again[0]} naming {pid}: "
        f"{pid in resumed[2] and pid in again[2]}; the first exited {code} with "
        f"{len(ids)} rows, {len(ids) - len(set(ids))} duplicated run ids",
    )


def same_second(cogov, d):
    (d / "s.toml").write_text(SMALL)
    both = [start(cogov, d, "run", "s.toml", "-n", "50", "-j", "1", "-q") for _ in range(2)]
    codes = [p.wait() for p in both]
    made = sorted(p.name for p in (d / "output").iterdir())
    finished = [m for m in made if not m.endswith(".partial")]
    check(
        "two runs without --out take distinct directories",
        codes == [0, 0] and len(finished) == 2,
        f"exit codes {codes}, directories {made}",
    )


def pipes(cogov, d):
    os.mkfifo(d / "pipe.toml")
    (d / "child.toml").write_text('name = "c"\nextends = "pipe.toml"\n')
    (d / "sweep.toml").write_text(
        'name = "w"\nscenario = "pipe.toml"\ndesign = "grid"\n'
        '[parameters]\n"police.officers_per_10k" = [5.0, 10.0]\n'
    )
    worst, codes = 0.0, []
    for args in (
        ["check", "pipe.toml"],
        ["run", "pipe.toml", "--out", "p"],
        ["check", "child.toml"],
        ["sweep", "sweep.toml", "--out", "q"],
    ):
        code, _, _, seconds, _ = run(cogov, d, *args, timeout=10)
        worst = max(worst, seconds)
        codes.append(code)
    check(
        "named pipes are refused at once",
        all(c not in (0, "timeout") for c in codes) and worst < 1.0,
        f"exit codes {codes}, slowest {worst * 1000:.0f} ms",
    )


def stranded(cogov, d):
    (d / "s.toml").write_text(SMALL)
    (d / "d").mkdir()
    cmd = ["run", "s.toml", "-n", "400", "-j", "1", "-q", "--out", "d"]
    p = start(cogov, d, *cmd)
    wait_for_rows(d / "d.partial" / "runs.csv")
    # The target is taken while the run works: the final move must fail.
    (d / "d" / "someone-elses.txt").write_text("mine\n")
    _, err = p.communicate()
    err = err.decode(errors="replace")
    names_the_way = "then run the same command with --resume" in err
    (d / "d" / "someone-elses.txt").unlink()
    code, *_ = run(cogov, d, *cmd, "--resume")
    ids = run_ids(d / "d" / "runs.csv") if (d / "d" / "runs.csv").exists() else []
    check(
        "stranded results are finished by the command the message names",
        p.returncode == 2 and names_the_way and code == 0 and ids == list(range(400)),
        f"the move failed with exit {p.returncode} (way out named: {names_the_way}); "
        f"--resume exited {code} with {len(ids)} of 400 runs",
    )


def bombs(cogov, d):
    (d / "huge.toml").write_text(
        'name = "huge"\n[district]\nwidth = 100\nheight = 100\nhouseholds_per_grid = 1800\n'
    )
    (d / "issue.toml").write_text(
        'name = "issue"\n[district]\nwidth = 40\nheight = 40\nhouseholds_per_grid = 954\n'
        "[community]\nenterprises_per_grid = 1000.0\n"
    )
    (d / "base.toml").write_text(SMALL)
    (d / "grid.toml").write_text(
        'name = "g"\nscenario = "base.toml"\ndesign = "grid"\n[parameters]\n'
        '"police.officers_per_10k" = { min = 1.0, max = 100.0, steps = 1000 }\n'
        '"residents.system_legitimacy" = { min = 0.1, max = 0.9, steps = 100 }\n'
        '"police.procedural_justice" = { min = 0.1, max = 0.9, steps = 100 }\n'
    )
    (d / "days.toml").write_text(SMALL.replace("ticks = 30", "ticks = 100000").replace(
        "warmup_ticks = 10", "warmup_ticks = 100000"))
    cases = [
        ("47 million residents on 64 threads", ["run", "huge.toml", "-j", "64", "--out", "a"]),
        ("4 million residents, 1,000 enterprises a grid, --max-memory 500M",
         ["run", "issue.toml", "-j", "2", "--max-memory", "500M", "--out", "b"]),
        ("a 10-million-point grid sweep", ["sweep", "grid.toml", "--out", "c"]),
        ("200,000 days of daily time series, --max-disk 1G",
         ["run", "days.toml", "--timeseries-every", "1", "--max-disk", "1G", "--out", "e"]),
    ]
    for name, args in cases:
        code, _, err, seconds, rss = run(cogov, d, *args)
        out = Path(d / args[-1])
        wrote = out.exists() or Path(f"{out}.partial").exists()
        check(
            f"refused before it allocates 1 GB: {name}",
            code == 2 and rss < 1 << 30 and not wrote and "--allow-large" in err,
            f"exit {code} in {seconds:.2f} s, peak {rss / 1e6:.0f} MB, wrote nothing: {not wrote}",
        )


def edited(cogov, d):
    (d / "s.toml").write_text(SMALL)
    cmd = ["run", "s.toml", "-n", "1000", "-j", "1", "-q", "--out", "d"]
    p = start(cogov, d, *cmd)
    runs = d / "d.partial" / "runs.csv"
    wait_for_rows(runs, rows=20)
    p.send_signal(signal.SIGINT)
    p.wait()
    lines = runs.read_text().split("\n")
    lines[2] = lines[2] + ",9"  # a row made longer
    runs.write_text("\n".join(lines))
    code, _, err, _, _ = run(cogov, d, *cmd, "--resume")
    check(
        "a results file edited before --resume is refused",
        p.returncode == 130 and code == 2 and "was changed" in err,
        f"interrupted with exit {p.returncode}; --resume exited {code}",
    )


def merge_inside(cogov, d):
    (d / "s.toml").write_text(SMALL)
    for k in (1, 2):
        run(cogov, d, "run", "s.toml", "-n", "4", "-q", "--shard", f"{k}/2", "--out", f"s{k}")
    code, _, err, _, _ = run(cogov, d, "merge", "s1", "s2", "--out", "s1/merged")
    check(
        "merge --out inside a shard is refused",
        code == 2 and "outside every shard" in err and not (d / "s1" / "merged").exists(),
        f"exit {code}",
    )


def huge_lines(cogov, d):
    line = "x = [" + "1, " * 3_500_000 + "\n"
    (d / "line.toml").write_text('name = "l"\n' + line)
    (d / "key.toml").write_text('name = "k"\n' + "k" * 10_000_000 + " = 1\n")
    worst = 0.0
    for f in ("line.toml", "key.toml"):
        code, _, err, seconds, _ = run(cogov, d, "check", f)
        worst = max(worst, seconds)
    check(
        "errors on 10 MB lines and keys are short and quick",
        largest_message[0] <= MAX_MESSAGE and worst < 5.0,
        f"slowest {worst:.2f} s",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cogov", default="target/release/cogov", help="the binary to try")
    cogov = os.path.abspath(parser.parse_args().cogov)
    if not os.access(cogov, os.X_OK):
        sys.exit(f"no cogov binary at {cogov}: build it with `cargo build --release`")
    for case in (two_writers, same_second, pipes, stranded, bombs, edited, merge_inside,
                 huge_lines):
        with tempfile.TemporaryDirectory() as tmp:
            case(cogov, Path(tmp))
    check(
        "no error message exceeds 10 KB",
        largest_message[0] <= MAX_MESSAGE,
        f"largest {largest_message[0]} bytes (from `{largest_message[1]}`)",
    )
    failed = results.count(False)
    print(f"{len(results) - failed} of {len(results)} passed")
    sys.exit(failed)


if __name__ == "__main__":
    main()
