#!/usr/bin/env bash
# How good cogov's estimates of memory and time are: for scenarios that each make one
# part of a run large (residents, grids, enterprises, NGOs, grid workers, police
# units, days of the daily record, the civil-violence lattice), the estimate
# `cogov check` prints for one run on one thread against the peak resident memory
# and wall time GNU time measures for that run (`cogov run -n 1 -j 1`).
# Usage: benches/commands/footprint.sh   (prints a table; a few minutes)
# Environment: OUT (scratch directory, default a new temporary one).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n 2,8p "$0"; exit 0; }
OUT=${OUT:-$(mktemp -d /tmp/cogov-footprint.XXXXXX)}
mkdir -p "$OUT"
[[ -x /usr/bin/time ]] || { echo "footprint.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
(cd "$REPO" && cargo build --release --locked -q)
COGOV="$REPO/target/release/cogov"

# scenario NAME DAYS KEY=VALUE...: a co-governance scenario of one replication,
# DAYS days long (half of them warm-up beyond 100,000, the most of each).
scenario() {
    local name=$1 days=$2 warmup=0
    shift 2
    if (( days > 100000 )); then warmup=$((days - 100000)); days=100000; fi
    {
        echo "name = \"$name\""
        printf '[run]\nreplications = 1\nwarmup_ticks = %s\nticks = %s\n' "$warmup" "$days"
        for kv in "$@"; do echo "$kv"; done
    } > "$OUT/$name.toml"
}

scenario residents 30 '[district]' 'width = 40' 'height = 40' 'households_per_grid = 1200'
scenario grids 30 '[district]' 'width = 400' 'height = 400' 'households_per_grid = 1'
scenario enterprises 30 '[district]' 'width = 40' 'height = 40' '[community]' 'enterprises_per_grid = 1000.0'
scenario ngos 30 '[district]' 'width = 40' 'height = 40' '[community]' 'ngos_per_grid = 100.0'
scenario grid_workers 30 '[district]' 'width = 40' 'height = 40' '[community]' 'grid_workers_per_grid = 100.0'
scenario police_units 30 '[district]' 'width = 40' 'height = 40' '[police]' 'officers_per_10k = 200.0' 'auxiliaries_per_officer = 20.0'
scenario issue_bomb 730 '[district]' 'width = 40' 'height = 40' 'households_per_grid = 954' '[community]' 'enterprises_per_grid = 1000.0'
scenario long_days 200000 '[district]' 'width = 3' 'height = 3' 'households_per_grid = 10'
scenario default_district 730
cat > "$OUT/lattice.toml" <<'EOF'
name = "lattice"
model = "civil_violence"
[run]
replications = 1
ticks = 20
[lattice]
width = 2000
height = 2000
EOF

printf '%-17s %12s %12s %7s %12s %12s %7s\n' case "est. memory" "peak RSS" ratio "est. time" "wall time" ratio
for name in residents grids enterprises ngos grid_workers police_units issue_bomb long_days default_district lattice; do
    estimate=$("$COGOV" check "$OUT/$name.toml" | sed -n 's/^estimate for `cogov run` (1 run): about \(.*\) of memory at the peak, .* of files and \(.*\) on .*/\1|\2/p')
    memory=${estimate%|*}
    time_text=${estimate#*|}
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$COGOV" run "$OUT/$name.toml" -n 1 -j 1 -q \
        --allow-large --out "$OUT/r-$name" > /dev/null 2>&1
    read -r wall rss < "$OUT/time.txt"
    rm -rf "$OUT/r-$name"
    python3 - "$name" "$memory" "$rss" "$time_text" "$wall" <<'PY'
import sys
name, memory, rss_kb, time_text, wall = sys.argv[1:]
units = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}
value, unit = memory.split()
est = float(value) * units[unit]
rss = float(rss_kb) * 1024
if time_text == "under a second":
    est_s = 0.5
elif time_text == "1 second":
    est_s = 1.0
else:
    n, u = time_text.split()
    est_s = float(n) * {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}[u]
print(f"{name:<17} {memory:>12} {rss / 1e6:>9.0f} MB {est / rss:>7.2f} {time_text:>12} {float(wall):>10.2f} s {est_s / max(float(wall), 0.01):>7.2f}")
PY
done
