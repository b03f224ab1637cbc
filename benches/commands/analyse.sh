#!/usr/bin/env bash
# How long `cogov analyse` takes on 100,000 runs, and how much memory: the sweep of
# analyse_sobol_100k.toml (a Sobol design with second-order rows over 8 parameters,
# 9,990 points x 10 replications of a tiny district, analyse_tiny.toml) is made once
# (about 2.5 minutes on 2 cores), then `cogov analyse DIR` is timed REPEATS times with
# GNU time: wall time and peak resident memory, median of the repeats. The analysis
# reads runs.csv (107 MB), computes S1, ST and 28 second-order indices with 1,000
# bootstrap resamples for every metric, writes sensitivity.csv and rebuilds the
# report; `cogov report DIR` is timed too, to tell the two apart.
# Usage: benches/commands/analyse.sh   Environment: REPEATS (default 5), SWEEP (the
# sweep's directory, kept between runs; default /tmp/cogov-analyse-100k).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n 2,11p "$0"; exit 0; }
REPEATS=${REPEATS:-5}
SWEEP=${SWEEP:-/tmp/cogov-analyse-100k}
[[ -x /usr/bin/time ]] || { echo "analyse.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

(cd "$REPO" && cargo build --release --locked -q)
COGOV="$REPO/target/release/cogov"
if [[ ! -f "$SWEEP/manifest.json" ]]; then
    echo "making the 100,000-run sweep in $SWEEP (once)" >&2
    (cd "$HERE" && "$COGOV" sweep analyse_sobol_100k.toml -q --out "$SWEEP" >/dev/null)
fi
runs=$(($(wc -l < "$SWEEP/runs.csv") - 1))

# median of the wall times and of the peak memories of REPEATS runs of a command
measure() {
    local label=$1
    shift
    local walls=() rss=()
    for _ in $(seq 1 "$REPEATS"); do
        /usr/bin/time -f "%e %M" -o /tmp/cogov-analyse-time.txt "$@" >/dev/null 2>&1
        read -r w m < /tmp/cogov-analyse-time.txt
        walls+=("$w")
        rss+=("$m")
    done
    local mw mm
    mw=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mm=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-38s %6s s %6s MB\n' "$label" "$mw" "$(awk -v k="$mm" 'BEGIN {printf "%.0f", k / 1024}')"
}

echo "$runs runs in $SWEEP; median of $REPEATS"
measure "cogov analyse (S1, ST, S2, report)" "$COGOV" analyse "$SWEEP" -q
measure "cogov report (the report alone)" "$COGOV" report "$SWEEP"
measure "cogov analyse --metric (one metric)" "$COGOV" analyse "$SWEEP" -q --metric incidents_per_1000
