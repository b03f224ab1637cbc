#!/usr/bin/env python3
"""Times one command as a whole process: wall clock, and the CPU time of its tree.

Usage: timecmd.py LOG -- CMD [ARG...]

Runs CMD once with its stdout and stderr appended to LOG, and prints one line
`wall_s,cpu_user_s,cpu_sys_s,max_rss_mb` on stdout. The wall time is
time.perf_counter() from just before the process is spawned to just after it has been
waited for, so it includes interpreter or program start-up, imports, worker start-up
and output writing. The CPU times are the growth of RUSAGE_CHILDREN over the run, which
covers every descendant that was waited for (Pool workers, threads). max_rss_mb is
the largest resident set of any single descendant so far (Linux reports KiB).
Exits with CMD's exit code; on failure the tail of LOG goes to stderr.
"""

import resource
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    log, cmd = argv[0], argv[2:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "ab") as out:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        with open(log, "rb") as f:
            tail = f.read()[-4000:].decode(errors="replace")
        print(f"timecmd: {cmd[0]} exited with {proc.returncode}; end of {log}:\n{tail}",
              file=sys.stderr)
        return proc.returncode if proc.returncode > 0 else 1
    user = after.ru_utime - before.ru_utime
    sys_ = after.ru_stime - before.ru_stime
    print(f"{wall:.4f},{user:.4f},{sys_:.4f},{after.ru_maxrss / 1024:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
