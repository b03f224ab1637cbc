#!/usr/bin/env bash
# Whole-command benchmarks of cogov, timed as processes with /usr/bin/time (GNU time):
#  1. parallel efficiency: a sweep of 200 small runs (sweep_lhs.toml, 2 replications)
#     on 1 and 2 threads, REPEATS times, alternating; the speed-up is the median of
#     the paired ratios (time on 1 thread / time on 2 threads);
#  2. memory against the number of runs: the same sweep with 1,000 and 10,000 runs
#     (-n 10 and -n 100), peak resident memory (max RSS) and runs per second;
#  3. a one-million-resident run (million.toml): peak memory and time;
#  4. the default job (the comparison `cogov` runs with no command: 140 runs), wall
#     time.
# Usage: benches/commands/run.sh [--quick]   (--quick: 3 repeats, no 10,000-run sweep)
# Environment: REPEATS (default 7), OUT (results directory, default a new temporary
# one). Prints a table; raw timings go to OUT/timings.csv.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n 2,12p "$0"; exit 0; }
REPEATS=${REPEATS:-$([[ $QUICK == 1 ]] && echo 3 || echo 7)}
OUT=${OUT:-$(mktemp -d /tmp/cogov-bench.XXXXXX)}
mkdir -p "$OUT"
[[ -x /usr/bin/time ]] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

(cd "$REPO" && cargo build --release --locked -q)
COGOV="$REPO/target/release/cogov"
CSV="$OUT/timings.csv"
echo "case,repeat,threads,wall_s,max_rss_kb" > "$CSV"
n=0

# timed CASE REPEAT THREADS -- command...: appends wall time and peak memory.
timed() {
    local case=$1 repeat=$2 threads=$3
    shift 4
    n=$((n + 1))
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" --out "$OUT/r$n" >/dev/null
    read -r wall rss < "$OUT/time.txt"
    echo "$case,$repeat,$threads,$wall,$rss" >> "$CSV"
    rm -rf "$OUT/r$n"
}

cd "$HERE"
echo "1/4 parallel efficiency ($REPEATS repeats of 200 runs on 1 and 2 threads)" >&2
for r in $(seq 1 "$REPEATS"); do
    timed sweep200 "$r" 1 -- "$COGOV" sweep sweep_lhs.toml -n 2 -q -j 1
    timed sweep200 "$r" 2 -- "$COGOV" sweep sweep_lhs.toml -n 2 -q -j 2
done
echo "2/4 memory against runs" >&2
timed sweep1k 1 2 -- "$COGOV" sweep sweep_lhs.toml -n 10 -q -j 2
if [[ $QUICK == 0 ]]; then
    timed sweep10k 1 2 -- "$COGOV" sweep sweep_lhs.toml -n 100 -q -j 2
fi
echo "3/4 one million residents" >&2
timed million 1 1 -- "$COGOV" run million.toml -q -j 1 --timeseries-every 0
echo "4/4 the default job" >&2
S="$REPO/scenarios"
for r in $(seq 1 3); do
    # The default job's scenarios, in its order.
    timed default "$r" 2 -- "$COGOV" compare "$S/tongxiang_baseline.toml" \
        "$S/reform_change_concept.toml" "$S/reform_clarify_responsibility.toml" \
        "$S/reform_define_rights.toml" "$S/reform_optimise_operations.toml" \
        "$S/reform_improve_logistics.toml" "$S/reform_combined.toml" -q -j 2
done

python3 - "$CSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def pick(case, threads=None):
    return [r for r in rows if r["case"] == case and (threads is None or r["threads"] == str(threads))]
one, two = pick("sweep200", 1), pick("sweep200", 2)
ratios = [float(a["wall_s"]) / float(b["wall_s"]) for a, b in zip(one, two)]
med = lambda xs: statistics.median(xs)
w1, w2 = [float(r["wall_s"]) for r in one], [float(r["wall_s"]) for r in two]
print(f"sweep of 200 runs: 1 thread {med(w1):.2f} s [{min(w1):.2f}-{max(w1):.2f}], "
      f"2 threads {med(w2):.2f} s [{min(w2):.2f}-{max(w2):.2f}]")
print(f"  speed-up on 2 threads: median {med(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}] over {len(ratios)} pairs")
for case, runs in [("sweep1k", 1000), ("sweep10k", 10000)]:
    for r in pick(case):
        print(f"{case}: {runs} runs in {float(r['wall_s']):.1f} s, {runs / float(r['wall_s']):.0f} runs/s, "
              f"peak RSS {int(r['max_rss_kb']) / 1024:.1f} MiB")
for r in pick("million"):
    print(f"one million residents, 30 days: {float(r['wall_s']):.2f} s, peak RSS {int(r['max_rss_kb']) / 1024:.1f} MiB")
d = [float(r["wall_s"]) for r in pick("default")]
print(f"default job (140 runs): median {med(d):.2f} s [{min(d):.2f}-{max(d):.2f}]")
PY
echo "raw timings: $CSV" >&2
