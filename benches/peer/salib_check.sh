#!/usr/bin/env bash
# Cross-check: `cogov analyse` computes the same sensitivity indices as SALib.
#
# What it checks: on the same points and the same outputs, cogov's point estimates of
# S1, ST, S2 (Sobol designs) and mu, mu_star, sigma (Morris designs) equal SALib's
# sobol.analyze and morris.analyze to at least 6 significant digits, and cogov's 95%
# bootstrap intervals have the width SALib's have, within the sampling noise of two
# independent sets of 1000 resamples (salib_check.py derives and prints the bound).
# How: four small sweeps of salib_scenario.toml (a 3 x 3 district over 90 days):
#   salib_sobol.toml              sobol, 4 parameters, N = 128: 768 points
#   salib_sobol2.toml             the same with second_order = true: 1280 points
#   salib_morris.toml             morris, 6 parameters, 20 trajectories, 4 levels
#   salib_morris_candidates.toml  the same, 20 trajectories chosen among 100
# each with 2 replications, then `cogov analyse DIR --resamples 1000` on each, then
# salib_check.py, which averages runs.csv per point as cogov does, runs SALib (pinned
# in requirements-salib.txt, in a venv made or reused here) and compares every
# metric that varies. Run with --help for the options.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
REQ="$HERE/requirements-salib.txt"
EXPERIMENTS=(salib_sobol salib_sobol2 salib_morris salib_morris_candidates)

usage() {
    cat <<EOF
Usage: benches/peer/salib_check.sh [--cogov PATH] [--strict] [--detail LIST] [--help]

Runs four small sweeps (benches/peer/salib_*.toml: Sobol first-order, Sobol
second-order, Morris, Morris with candidates), analyses each with
\`cogov analyse DIR --resamples N\`, and checks with SALib (pinned in
benches/peer/requirements-salib.txt) that the point estimates agree to 6
significant digits and the bootstrap intervals within resampling noise. Exits 0
when they agree, 1 on a disagreement, 2 when something could not be run or read.

Options:
  --cogov PATH    use this cogov binary instead of building one with
                  \`cargo build --release --locked\`
  --strict        also count as disagreements the cases where cogov's estimate or
                  interval is undefined (NA, Inf) and SALib returns its conventional 0
  --detail LIST   metrics whose estimates are listed, comma-separated, 'all' or
                  'none' [incidents_per_1000,trust_in_police,participation_rate,
                  mean_response_time]
  -h, --help      show this help

Environment (defaults in brackets):
  PEER_VENV        Python virtual environment [benches/peer/.venv-salib]; reused
                   when it has the pinned versions, else they are installed into it
  PEER_PYTHON      interpreter that creates the venv [python3] (>= 3.10)
  PEER_OUT         results directory, must not exist [output/peer-salib-<UTC time>]
  PEER_RESAMPLES   bootstrap resamples, for cogov and SALib alike [1000]
  PEER_SALIB_SEED  seed of SALib's bootstrap draws, not 0 [1]
  PEER_THREADS     cogov's worker threads [one per logical CPU]

Writes to the results directory: config.txt, one sweep directory per experiment
(with cogov's sensitivity.csv), comparison.csv (every estimate: cogov, SALib,
differences, interval ratio), logs/, summary.txt. Takes about 40 s on 2 cores once
cogov is built and the venv exists (the venv takes about 30 s to make).
EOF
}

die() {
    echo "salib_check.sh: $*" >&2
    exit 2
}
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

COGOV=""
CHECK_ARGS=()
while (($#)); do
    case "$1" in
    --cogov)
        (($# >= 2)) || die "--cogov needs a path"
        COGOV=$2
        shift
        ;;
    --cogov=*) COGOV=${1#*=} ;;
    --strict) CHECK_ARGS+=(--strict) ;;
    --detail)
        (($# >= 2)) || die "--detail needs a list"
        CHECK_ARGS+=(--detail "$2")
        shift
        ;;
    --detail=*) CHECK_ARGS+=(--detail "${1#*=}") ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        die "unknown argument: $1"
        ;;
    esac
    shift
done

VENV=${PEER_VENV:-$HERE/.venv-salib}
PYTHON=${PEER_PYTHON:-python3}
RESAMPLES=${PEER_RESAMPLES:-1000}
SEED=${PEER_SALIB_SEED:-1}
THREADS=${PEER_THREADS:-}
OUT=${PEER_OUT:-$REPO/output/peer-salib-$(date -u +%Y%m%dT%H%M%SZ)}
START=$(date +%s.%N)

[[ $RESAMPLES =~ ^[1-9][0-9]*$ && $RESAMPLES -ge 2 ]] || die "PEER_RESAMPLES must be an integer >= 2"
[[ $SEED =~ ^[1-9][0-9]*$ ]] || die "PEER_SALIB_SEED must be a positive integer"
[[ -z $THREADS || $THREADS =~ ^[1-9][0-9]*$ ]] || die "PEER_THREADS must be a positive integer"
for e in "${EXPERIMENTS[@]}"; do
    [[ -f $HERE/$e.toml ]] || die "$HERE/$e.toml not found"
done
if [[ -n $COGOV ]]; then
    [[ -x $COGOV ]] || die "--cogov $COGOV is not an executable"
    COGOV=$(cd "$(dirname "$COGOV")" && pwd)/$(basename "$COGOV")
else
    command -v cargo >/dev/null || die "cargo not found (or give --cogov PATH)"
fi
[[ ! -e $OUT ]] || die "results directory $OUT exists; results are never overwritten"
mkdir -p "$(dirname "$OUT")"
mkdir "$OUT" # fails if it appeared meanwhile: nothing is overwritten
mkdir "$OUT/logs"
on_exit() {
    local rc=$?
    if ((rc != 0 && rc != 1)); then echo "salib_check.sh: failed ($rc); partial results in $OUT" >&2; fi
}
trap on_exit EXIT

# --- the Python environment -----------------------------------------------------------
PY_MIN=10
# shellcheck source=venv.sh
source "$HERE/venv.sh"

# --- cogov ----------------------------------------------------------------------------
build_cogov() {
    log "cogov: cargo build --release --locked"
    (cd "$REPO" && cargo build --release --locked) 2>&1 | tee "$OUT/logs/cargo_build.log" >&2
    COGOV="$REPO/target/release/cogov"
    [[ -x $COGOV ]] || die "$COGOV was not built"
}

# Sweeps experiment $1 into $OUT/$1 and analyses it. Every point must have run: exit
# code 3 (some runs failed) is accepted, as salib_check.py leaves out what cogov
# leaves out, but reported.
sweep_and_analyse() {
    local name=$1 dir="$OUT/$1" rc=0 t0 t1
    local threads=()
    if [[ -n $THREADS ]]; then threads=(-j "$THREADS"); fi
    t0=$(date +%s.%N)
    log "cogov sweep $name.toml"
    (cd "$REPO" && "$COGOV" sweep "$HERE/$name.toml" -q "${threads[@]}" --out "$dir") \
        >"$OUT/logs/$name.sweep.log" 2>&1 || rc=$?
    if ((rc == 3)); then
        log "WARNING: some runs of $name failed (failures.csv); their groups are left out"
    elif ((rc != 0)); then
        die "cogov sweep $name.toml failed ($rc); see $OUT/logs/$name.sweep.log"
    fi
    if [[ -s $dir/runaways.csv ]]; then
        log "WARNING: $name has runs flagged as runaways (runaways.csv); left out as cogov does"
    fi
    log "cogov analyse $name --resamples $RESAMPLES"
    (cd "$REPO" && "$COGOV" analyse "$dir" --resamples "$RESAMPLES" -q) \
        >"$OUT/logs/$name.analyse.log" 2>&1 ||
        die "cogov analyse $dir failed; see $OUT/logs/$name.analyse.log"
    [[ -f $dir/sensitivity.csv ]] || die "cogov analyse wrote no $dir/sensitivity.csv"
    t1=$(date +%s.%N)
    log "$name: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
}

write_config() {
    {
        echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "host: $(uname -srm), $(nproc) logical CPUs"
        echo "python: $("$VPY" -c 'import sys; print(sys.version.split()[0])')"
        echo "packages: $("$VPY" -m pip freeze --disable-pip-version-check | tr '\n' ' ')"
        echo "cogov: $COGOV ($("$COGOV" --version 2>/dev/null || echo 'version n/a'))"
        echo "cogov_commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo n/a)$(
            [[ -z $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]] ||
                echo ' (tracked files modified)'
        )"
        echo "experiments: ${EXPERIMENTS[*]} (benches/peer/*.toml)"
        echo "settings: resamples=$RESAMPLES salib_seed=$SEED threads=${THREADS:-all}"
    } >"$OUT/config.txt"
}

# --- main -----------------------------------------------------------------------------
setup_venv
if [[ -z $COGOV ]]; then build_cogov; fi
write_config
DIRS=()
for e in "${EXPERIMENTS[@]}"; do
    sweep_and_analyse "$e"
    DIRS+=("$OUT/$e")
done
log "comparing with SALib"
report() {
    local rc=0
    echo "== cogov analyse vs SALib =="
    cat "$OUT/config.txt"
    echo
    "$VPY" "$HERE/salib_check.py" --resamples "$RESAMPLES" --seed "$SEED" \
        --out "$OUT/comparison.csv" "${CHECK_ARGS[@]}" "${DIRS[@]}" || rc=$?
    echo
    echo "Results: $OUT"
    echo "Total time: $(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
    return "$rc"
}
rc=0
report 2>&1 | tee "$OUT/summary.txt" || rc=$?
exit "$rc"
