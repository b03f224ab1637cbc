#!/usr/bin/env bash
# Peer benchmark: Mesa's own Epstein civil-violence example against cogov's Mesa-parity
# scenario (scenarios/reference/mesa_parity.toml, model "civil_violence").
#
# What it measures:
#  1. Speed. A batch of REPS replications (default 10, fixed seeds) x STEPS steps
#     (default 200) with 1 and with 2 workers, each batch timed as a whole process
#     (wall clock, python's time.perf_counter in timecmd.py), repeated REPEATS times
#     (default 3); the table shows the median [min-max], Mesa/cogov and each side's
#     speed-up from 1 to 2 workers. Mesa: mesa_run.py imports
#     mesa.examples.advanced.epstein_civil_violence's model from the installed Mesa
#     (nothing copied), keeps the example's own DataCollector on (as the example does),
#     and spreads the replications over a multiprocessing Pool. cogov:
#     `target/release/cogov run SCEN -n REPS --seed S -j W -q --out DIR`.
#  2. Agreement in distribution. AGREE_N runs a side (default 40) of the end-of-run
#     counts of quiet, active and jailed citizens, compared with two-sample
#     Kolmogorov-Smirnov and Mann-Whitney U tests (agree.py).
# How: a Python venv with the pinned Mesa (requirements.txt) is made or reused; cogov
# is built with `cargo build --release --locked`; raw timings, samples and a summary
# go to a new results directory. Run with --help for the options.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
REQ="$HERE/requirements.txt"

usage() {
    cat <<EOF
Usage: benches/peer/mesa_epstein.sh [--quick] [--mesa-only | --reuse-mesa DIR] [--help]

Times Mesa's bundled Epstein civil-violence example (Mesa pinned in
benches/peer/requirements.txt) against cogov's Mesa-parity scenario
(scenarios/reference/mesa_parity.toml), with 1 and 2 workers, and checks that their
end-of-run counts of quiet, active and jailed citizens agree in distribution.

Options:
  --quick           smoke run: 1 repeat and 10 runs a side for the agreement
                    (environment variables below still win)
  --mesa-only       run only the Mesa half (no cargo build, no cogov)
  --reuse-mesa DIR  take Mesa's timings and samples from an earlier results
                    directory DIR instead of running Mesa again
  -h, --help        show this help

Environment (defaults in brackets):
  PEER_VENV          Python virtual environment [benches/peer/.venv]; reused when
                     it has the pinned versions, else they are installed into it
  PEER_PYTHON        interpreter that creates the venv [python3] (>= 3.11)
  PEER_OUT           results directory, must not exist
                     [output/peer-mesa-<UTC time>]
  PEER_REPEATS       timed repeats of each batch [3; 1 with --quick]
  PEER_REPLICATIONS  replications in a timed batch [10]
  PEER_STEPS         steps (Mesa model.step() calls, cogov ticks) per run [200]
  PEER_WORKERS       worker counts to time, space-separated ["1 2"]
  PEER_AGREE_N       runs a side for the agreement test [40; 10 with --quick]
  PEER_SEED          Mesa's first seed (seeds S..S+N-1) and cogov's --seed [1]
  PEER_DATACOLLECTOR on|off: Mesa's DataCollector as in its example, or off [on]
  PEER_ALPHA         per-test significance level of the agreement verdicts [0.01]

Writes to the results directory: config.txt, mesa_timings.csv, cogov_timings.csv,
timing_summary.csv, mesa_batches/ (per-run counts of the timed Mesa batches),
cogov_batches/ (cogov's results directories), mesa_final_counts.csv and
cogov_final_counts.csv (the agreement samples), agreement.csv, logs/, summary.txt.
A full run takes about 15 minutes on 2 idle cores, nearly all of it Mesa (one Mesa
run of 200 steps takes about 12 s); --quick about 5. Other load on the machine
distorts the timings: config.txt records the load average, the table CPU/wall.
EOF
}

die() {
    echo "mesa_epstein.sh: $*" >&2
    exit 1
}
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

QUICK=0
RUN_MESA=1
RUN_COGOV=1
REUSE_MESA=""
while (($#)); do
    case "$1" in
    --quick) QUICK=1 ;;
    --mesa-only) RUN_COGOV=0 ;;
    --reuse-mesa)
        (($# >= 2)) || die "--reuse-mesa needs a directory"
        REUSE_MESA=$2
        RUN_MESA=0
        shift
        ;;
    --reuse-mesa=*)
        REUSE_MESA=${1#*=}
        RUN_MESA=0
        ;;
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
((RUN_COGOV || RUN_MESA)) || die "--mesa-only and --reuse-mesa leave nothing to run"

if ((QUICK)); then def_repeats=1 def_agree=10; else def_repeats=3 def_agree=40; fi
VENV=${PEER_VENV:-$HERE/.venv}
PYTHON=${PEER_PYTHON:-python3}
REPEATS=${PEER_REPEATS:-$def_repeats}
REPS=${PEER_REPLICATIONS:-10}
STEPS=${PEER_STEPS:-200}
read -r -a WORKERS <<<"${PEER_WORKERS:-1 2}"
AGREE_N=${PEER_AGREE_N:-$def_agree}
SEED=${PEER_SEED:-1}
DATACOLLECTOR=${PEER_DATACOLLECTOR:-on}
ALPHA=${PEER_ALPHA:-0.01}
OUT=${PEER_OUT:-$REPO/output/peer-mesa-$(date -u +%Y%m%dT%H%M%SZ)}

for v in REPEATS REPS STEPS AGREE_N; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
[[ $SEED =~ ^[0-9]+$ ]] || die "PEER_SEED must be a non-negative integer"
((${#WORKERS[@]} > 0)) || die "PEER_WORKERS is empty"
MAXW=0
for w in "${WORKERS[@]}"; do
    [[ $w =~ ^[1-9][0-9]*$ ]] || die "PEER_WORKERS must hold positive integers, not '$w'"
    if ((w > MAXW)); then MAXW=$w; fi
done
[[ $DATACOLLECTOR == on || $DATACOLLECTOR == off ]] || die "PEER_DATACOLLECTOR is on or off"
((AGREE_N >= 30 || QUICK)) || log "WARNING: PEER_AGREE_N=$AGREE_N < 30: the agreement test is weak"

SCEN_BASE="$REPO/scenarios/reference/mesa_parity.toml"
COGOV="$REPO/target/release/cogov"
TIMING_HEADER="side,workers,repeat,replications,steps,seed,wall_s,cpu_user_s,cpu_sys_s,max_rss_mb,inproc_batch_s"

# --- checks that can fail early, before anything long runs ---------------------------
if ((RUN_COGOV)); then
    [[ -f $SCEN_BASE ]] || die "$SCEN_BASE does not exist (yet); use --mesa-only"
    [[ $REPO != *[\"\\]* ]] || die "the repository path contains a quote or backslash"
    command -v cargo >/dev/null || die "cargo not found"
fi
if [[ -n $REUSE_MESA ]]; then
    for f in mesa_timings.csv mesa_final_counts.csv; do
        [[ -f $REUSE_MESA/$f ]] || die "--reuse-mesa: $REUSE_MESA/$f not found"
    done
fi
[[ ! -e $OUT ]] || die "results directory $OUT exists; results are never overwritten"
mkdir -p "$(dirname "$OUT")"
mkdir "$OUT" # fails if it appeared meanwhile: nothing is overwritten
mkdir "$OUT/logs"
on_exit() {
    local rc=$?
    if ((rc != 0)); then echo "mesa_epstein.sh: failed ($rc); partial results in $OUT" >&2; fi
}
trap on_exit EXIT

# --- the Python environment -----------------------------------------------------------
PY_MIN=11
# shellcheck source=venv.sh
source "$HERE/venv.sh"

# --- Mesa -----------------------------------------------------------------------------
# Times the Mesa batches: REPEATS rounds, each of every worker count in turn.
mesa_timing() {
    local csv="$OUT/mesa_timings.csv" r w name t inproc
    mkdir "$OUT/mesa_batches"
    echo "$TIMING_HEADER" >"$csv"
    log "Mesa: untimed warm-up (1 run, 1 step)"
    "$VPY" "$HERE/mesa_run.py" --reps 1 --steps 1 --workers 1 \
        --csv "$OUT/logs/mesa_warmup.csv" >"$OUT/logs/mesa_warmup.log" 2>&1
    for ((r = 1; r <= REPEATS; r++)); do
        for w in "${WORKERS[@]}"; do
            name="w${w}_r${r}"
            log "Mesa: timing $REPS runs x $STEPS steps, $w worker(s), repeat $r/$REPEATS"
            t=$("$VPY" "$HERE/timecmd.py" "$OUT/logs/mesa_$name.log" -- \
                "$VPY" "$HERE/mesa_run.py" --reps "$REPS" --seed "$SEED" --steps "$STEPS" \
                --workers "$w" --datacollector "$DATACOLLECTOR" \
                --csv "$OUT/mesa_batches/$name.csv")
            inproc=$(sed -n 's/^inproc_batch_s=//p' "$OUT/logs/mesa_$name.log" | tail -n 1)
            echo "mesa,$w,$r,$REPS,$STEPS,$SEED,$t,$inproc" >>"$csv"
            log "Mesa: ${t%%,*} s wall (in-process batch $inproc s)"
        done
    done
}

# Mesa's agreement sample: seeds SEED..SEED+AGREE_N-1, end-of-run counts.
mesa_samples() {
    local t
    log "Mesa: $AGREE_N runs x $STEPS steps for the agreement test ($MAXW workers)"
    t=$("$VPY" "$HERE/timecmd.py" "$OUT/logs/mesa_agree.log" -- \
        "$VPY" "$HERE/mesa_run.py" --reps "$AGREE_N" --seed "$SEED" --steps "$STEPS" \
        --workers "$MAXW" --datacollector "$DATACOLLECTOR" \
        --csv "$OUT/mesa_final_counts.csv")
    log "Mesa: agreement sample took ${t%%,*} s"
}

reuse_mesa() {
    log "Mesa: reusing the timings and samples of $REUSE_MESA"
    cp "$REUSE_MESA/mesa_timings.csv" "$REUSE_MESA/mesa_final_counts.csv" "$OUT/"
    if [[ -d $REUSE_MESA/mesa_batches ]]; then cp -r "$REUSE_MESA/mesa_batches" "$OUT/"; fi
    if [[ -f $REUSE_MESA/config.txt ]]; then
        cp "$REUSE_MESA/config.txt" "$OUT/logs/mesa_reused_config.txt"
    fi
}

# --- cogov ----------------------------------------------------------------------------
build_cogov() {
    log "cogov: cargo build --release --locked"
    (cd "$REPO" && cargo build --release --locked) 2>&1 | tee "$OUT/logs/cargo_build.log" >&2
    [[ -x $COGOV ]] || die "$COGOV was not built"
}

# Checks that cogov's results directory $1 has runs.csv with $2 runs and the columns
# the comparison reads, and that -q printed that directory (log $3).
check_cogov_out() {
    local dir=$1 n=$2 logf=$3 printed
    [[ -f $dir/runs.csv ]] || die "cogov wrote no $dir/runs.csv"
    "$VPY" - "$dir/runs.csv" "$n" <<'PY' || die "cogov's $dir/runs.csv is not as expected"
import csv
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
need = ["run", "seed", "final_quiet", "final_active", "final_jailed"]
missing = [c for c in need if not rows or c not in rows[0]]
if missing:
    sys.exit(f"{path}: missing columns {missing}")
if len(rows) != n:
    sys.exit(f"{path}: {len(rows)} runs, expected {n}")
for r in rows:
    for c in need[2:]:
        float(r[c])
PY
    printed=$(grep -v '^[[:space:]]*$' "$logf" | tail -n 1 || true)
    if [[ -z $printed || $(realpath -m -- "$printed") != $(realpath -m -- "$dir") ]]; then
        log "WARNING: cogov -q printed '$printed', expected $dir"
    fi
}

# The cogov half: the same batches as Mesa (REPS x STEPS, each worker count, REPEATS
# rounds, whole-process wall time), then AGREE_N runs for the agreement test. Every
# invocation gets a fresh --out directory.
run_cogov() {
    local scen="$OUT/cogov_scenario.toml" csv="$OUT/cogov_timings.csv" r w name dir t
    cat >"$scen" <<EOF
extends = "$SCEN_BASE"
[run]
ticks = $STEPS
EOF
    mkdir "$OUT/cogov_batches"
    echo "$TIMING_HEADER" >"$csv"
    log "cogov: untimed warm-up (1 run)"
    (cd "$REPO" && "$COGOV" run "$scen" -n 1 --seed "$SEED" -j 1 -q \
        --out "$OUT/cogov_batches/warmup") >"$OUT/logs/cogov_warmup.log" 2>&1 ||
        die "cogov warm-up failed; see $OUT/logs/cogov_warmup.log"
    for ((r = 1; r <= REPEATS; r++)); do
        for w in "${WORKERS[@]}"; do
            name="w${w}_r${r}"
            dir="$OUT/cogov_batches/$name"
            log "cogov: timing $REPS runs x $STEPS ticks, $w worker(s), repeat $r/$REPEATS"
            t=$(cd "$REPO" && "$VPY" "$HERE/timecmd.py" "$OUT/logs/cogov_$name.log" -- \
                "$COGOV" run "$scen" -n "$REPS" --seed "$SEED" -j "$w" -q --out "$dir")
            check_cogov_out "$dir" "$REPS" "$OUT/logs/cogov_$name.log"
            echo "cogov,$w,$r,$REPS,$STEPS,$SEED,$t," >>"$csv"
            log "cogov: ${t%%,*} s wall"
        done
    done

    dir="$OUT/cogov_batches/agree"
    log "cogov: $AGREE_N runs x $STEPS ticks for the agreement test ($MAXW workers)"
    t=$(cd "$REPO" && "$VPY" "$HERE/timecmd.py" "$OUT/logs/cogov_agree.log" -- \
        "$COGOV" run "$scen" -n "$AGREE_N" --seed "$SEED" -j "$MAXW" -q --out "$dir")
    check_cogov_out "$dir" "$AGREE_N" "$OUT/logs/cogov_agree.log"
    cp "$dir/runs.csv" "$OUT/cogov_final_counts.csv"
    log "cogov: agreement sample took ${t%%,*} s"
}

# --- configuration and report ---------------------------------------------------------
write_config() {
    {
        echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "host: $(uname -srm), $(nproc) logical CPUs"
        echo "load_average_at_start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
        echo "python: $("$VPY" -c 'import sys; print(sys.version.split()[0])')"
        echo "packages: $("$VPY" -m pip freeze --disable-pip-version-check | tr '\n' ' ')"
        echo "cogov_commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo n/a)$(
            [[ -z $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]] ||
                echo ' (tracked files modified)'
        )"
        if ((RUN_COGOV)); then echo "rustc: $(rustc --version 2>/dev/null || echo n/a)"; fi
        echo "mesa: $([[ -n $REUSE_MESA ]] && echo "reused from $REUSE_MESA" || echo run here)"
        echo "cogov: $( ((RUN_COGOV)) && echo "run here, scenario $SCEN_BASE" || echo skipped)"
        echo "settings: repeats=$REPEATS replications=$REPS steps=$STEPS workers=${WORKERS[*]}" \
            "agree_n=$AGREE_N seed=$SEED datacollector=$DATACOLLECTOR alpha=$ALPHA quick=$QUICK"
        echo "timing: whole-process wall clock (time.perf_counter around the process)," \
            "untimed warm-up first; Mesa seeds $SEED..$((SEED + REPS - 1)), cogov --seed $SEED"
    } >"$OUT/config.txt"
}

report() {
    {
        echo "== Mesa Epstein example vs cogov Mesa-parity scenario =="
        cat "$OUT/config.txt"
        echo
        "$VPY" "$HERE/timing_table.py" "$OUT/mesa_timings.csv" "$OUT/cogov_timings.csv" \
            "$OUT/timing_summary.csv"
        echo
        if [[ -f $OUT/mesa_final_counts.csv && -f $OUT/cogov_final_counts.csv ]]; then
            "$VPY" "$HERE/agree.py" "$OUT/mesa_final_counts.csv" "$OUT/cogov_final_counts.csv" \
                --alpha "$ALPHA" --out "$OUT/agreement.csv"
        else
            echo "Agreement: skipped (no cogov sample); Mesa's end-of-run counts:"
            "$VPY" - "$OUT/mesa_final_counts.csv" <<'PY'
import csv
import statistics
import sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for c in ("quiet", "active", "jailed", "citizens", "cops"):
    xs = [float(r[c]) for r in rows]
    sd = statistics.stdev(xs) if len(xs) > 1 else float("nan")
    print(f"  {c:<8} n={len(xs)} mean={statistics.fmean(xs):8.2f} sd={sd:7.2f} "
          f"range=[{min(xs):g}, {max(xs):g}]")
PY
        fi
        echo
        echo "Results: $OUT"
    } | tee "$OUT/summary.txt"
}

# --- main -----------------------------------------------------------------------------
setup_venv
if ((RUN_COGOV)); then build_cogov; fi
write_config
if ((RUN_MESA)); then
    mesa_timing
    mesa_samples
else
    reuse_mesa
fi
if ((RUN_COGOV)); then run_cogov; fi
report
