#!/bin/bash
# Runs scripts/slurm/ on a real single-node SLURM cluster started on this machine, and
# checks that the merged results are byte-identical to a one-machine run.
#
#   scripts/slurm/local-cluster-test.sh
#
# What it does, all inside one private temporary directory:
#   1. installs Debian's slurmctld, slurmd, slurm-client and munge when missing;
#   2. writes a single-node slurm.conf for this machine (its hostname, CPUs, memory)
#      and starts munged, slurmctld and slurmd by hand, as root;
#   3. runs a small sweep on one machine, then submits it through submit.sh as a job
#      array of 3 shards plus a merge job, and compares the merged data files;
#   4. submits it again through a stand-in binary that kills shard 2 after its first
#      checkpoint and fails shard 3 before it starts, checks that the merge job refuses
#      the incomplete set and names both, re-runs them with the command the merge job
#      printed (shard 2 resumes its .partial directory) and compares again;
#   5. stops every daemon and job it started and removes the directory, also on
#      failure or Ctrl-C.
# It exits non-zero, with the reason and the cluster's state and logs, on any failure.
#
# Environment:
#   COGOV       the cogov binary to test (default: cargo build --release here, then
#               target/release/cogov)
#   EXPERIMENT  the sweep to run (default: a 48-run grid written by this script,
#               with failed runs and time series); e.g.
#               scenarios/sweeps/sweep_liability_x_incentives.toml (250 runs)
#   TIMEOUT     seconds to wait for each submission to finish (default 300)
#   KEEP=1      keep the temporary directory (configuration, logs, results)
#
# Run as root, or as a user who may sudo (it then re-runs itself with sudo).
set -euo pipefail

HERE=$(dirname "$(realpath "$0")")
REPO=$(realpath "$HERE/../..")
SHARDS=3
TIMEOUT=${TIMEOUT:-300}
MARK=COGOV_SLURM_TEST_RUN    # set in the environment of every process this test starts
export PATH="$PATH:/usr/sbin:/sbin"
# Nothing of a cluster the caller may be on (or of their submit.sh settings) leaks in.
unset "${!SLURM_@}" "${!SBATCH_@}" SHARD_SBATCH_EXTRA THROTTLE
START=$SECONDS

say() { printf '[local-cluster-test %3ds] %s\n' "$(( SECONDS - START ))" "$*"; }
fail() {
    printf '[local-cluster-test] FAILED: %s\n' "$*" >&2
    if [ "${CLUSTER_UP:-0}" = 1 ]; then
        diagnose >&2 || true
    fi
    exit 1
}

# --- the binary ---------------------------------------------------------------------
if [ -z "${COGOV:-}" ]; then
    command -v cargo >/dev/null ||
        fail "cargo not found: install Rust (rustup) or set COGOV=/path/to/cogov"
    say "building cogov (cargo build --release)"
    cargo build --release --manifest-path "$REPO/Cargo.toml" ||
        fail "cargo build --release failed"
    COGOV=$REPO/target/release/cogov
fi
[ -x "$COGOV" ] || fail "COGOV=$COGOV is not an executable file"
COGOV=$(realpath "$COGOV")

# --- root -----------------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "run this as root (the SLURM daemons need root), or install sudo"
    say "not root: re-running with sudo"
    exec sudo env "PATH=$PATH" "COGOV=$COGOV" "TIMEOUT=$TIMEOUT" \
        "EXPERIMENT=${EXPERIMENT:-}" "KEEP=${KEEP:-}" bash "$0" "$@"
fi

# --- packages -------------------------------------------------------------------------
missing_tools() {
    local t
    for t in munged munge unmunge slurmctld slurmd slurmstepd sbatch srun squeue scontrol sinfo scancel; do
        command -v "$t" >/dev/null || echo "$t"
    done
}
if [ -n "$(missing_tools)" ]; then
    say "installing slurmctld, slurmd, slurm-client and munge (missing: $(missing_tools | paste -sd' ' -))"
    export DEBIAN_FRONTEND=noninteractive
    # Debian starts (and enables) a package's services when it installs them; this test
    # starts its own daemons, so keep the packages' services off.
    POLICY=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\n# written by cogov local-cluster-test.sh while it installs SLURM\nexit 101\n' >"$POLICY"
        chmod 755 "$POLICY"
        made_policy=1
    fi
    install_status=0
    { apt-get update -q && apt-get install -y -q --no-install-recommends \
        slurmctld slurmd slurm-client munge; } || install_status=$?
    if [ "$made_policy" = 1 ]; then
        rm -f "$POLICY"
    fi
    [ "$install_status" = 0 ] || fail "apt-get install of the SLURM packages failed"
    [ -z "$(missing_tools)" ] || fail "still missing after install: $(missing_tools | paste -sd' ' -)"
fi
say "$(slurmctld -V), $(munged --version 2>&1 | awk '{ print $1 }')"

# --- the private directory and clean-up ------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cogov-slurm-test.XXXXXX")
chmod 700 "$TMP"
mkdir -p "$TMP/munge" "$TMP/ctld" "$TMP/slurmd" "$TMP/log"
MUNGED_PID='' CTLD_PID='' SLURMD_PID='' CLUSTER_UP=0

stop_pid() { # NAME PID: TERM, up to 15 s, then KILL
    local name=$1 pid=$2 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name (pid $pid) did not stop; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    [ "${i:-0}" -gt 0 ] && say "stopped $name (pid $pid)"
}
# Processes started by this test (the daemons, slurmstepd, the jobs) carry MARK=TMP.
marked_pids() {
    local p
    for p in /proc/[0-9]*; do
        # (A process may end, or be out of reach, while this looks.)
        if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "$MARK=$TMP"; then
            echo "${p#/proc/}"
        fi
    done
}
cleanup() {
    local status=$? pids i
    set +e
    trap - EXIT INT TERM
    if [ -n "$CTLD_PID" ] && kill -0 "$CTLD_PID" 2>/dev/null; then
        # This cluster runs only this test's jobs: cancel whatever is left.
        pids=$(squeue -h -o %A 2>/dev/null | sort -u)
        if [ -n "$pids" ]; then
            say "cancelling jobs left in the queue: $(echo "$pids" | paste -sd' ' -)"
            # shellcheck disable=SC2086
            scancel $pids 2>/dev/null
            for i in $(seq 100); do
                [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.2
            done
        fi
    fi
    stop_pid slurmd "$SLURMD_PID"
    stop_pid slurmctld "$CTLD_PID"
    stop_pid munged "$MUNGED_PID"
    pids=$(marked_pids)
    if [ -n "$pids" ]; then
        say "stopping leftover processes of this test: $(echo "$pids" | paste -sd' ' -)"
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null
        sleep 1
        pids=$(marked_pids)
        # shellcheck disable=SC2086
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    fi
    pids=$(marked_pids)
    if [ -n "$pids" ]; then
        printf '[local-cluster-test] FAILED: processes still running: %s\n' "$pids" >&2
        [ "$status" = 0 ] && status=1
    fi
    if [ "${KEEP:-}" = 1 ]; then
        say "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    if [ "$status" = 0 ]; then
        say "PASSED in $(( SECONDS - START )) s; nothing left running"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

diagnose() {
    local f
    echo "===== squeue"
    squeue -a -o '%.10i %.14j %.9T %.10M %.20R' 2>&1
    echo "===== scontrol show job"
    scontrol show job -o 2>&1 | sed 's/^/  /'
    echo "===== sinfo"
    sinfo -N -o '%N %T %C %m %E' 2>&1
    for f in "$TMP"/log/*.log; do
        echo "===== $f (last 40 lines)"
        tail -n 40 "$f"
    done
    for f in "$TMP"/results*/*.out; do
        [ -e "$f" ] || continue
        echo "===== $f"
        cat "$f"
    done
}

# --- the experiment and its one-machine results ----------------------------------------
if [ -n "${EXPERIMENT:-}" ]; then
    EXP=$(realpath "$EXPERIMENT")
else
    # 12 points x 4 replications; the points with community role 0.7 and admin burden
    # 0.35 break a parameter rule, so failures.csv has rows; a time series every 30 days.
    EXP=$TMP/slurm_local_test.toml
    cat >"$EXP" <<EOF
name = "slurm_local_test"
description = "scripts/slurm/local-cluster-test.sh: a small grid with failing points and time series"
scenario = '$REPO/scenarios/tongxiang_baseline.toml'
design = "grid"
replications = 4
timeseries_every = 30

[parameters]
"police.community_role_share" = [0.15, 0.7]
"police.admin_burden_share" = [0.2, 0.35]
"liability.clarity" = [0.3, 0.6, 0.9]
EOF
fi
[ -f "$EXP" ] || fail "experiment file $EXP not found"

# The binary under test, copied so that a rebuild meanwhile cannot mix two versions.
cp "$COGOV" "$TMP/cogov"
say "testing $COGOV ($("$TMP/cogov" --version))"
COGOV=$TMP/cogov

say "one-machine run: cogov sweep $EXP"
status=0
"$COGOV" sweep "$EXP" --out "$TMP/single" --quiet >"$TMP/single.log" 2>&1 || status=$?
if [ "$status" != 0 ] && [ "$status" != 3 ]; then
    cat "$TMP/single.log" >&2
    fail "the one-machine run exited with $status"
fi

# --- the cluster --------------------------------------------------------------------------
NODE=$(hostname -s)
# CPUs, sockets, cores, threads and memory as slurmd sees them.
HW=$(slurmd -C | head -n 1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=' | paste -sd' ' -)
[ -n "$HW" ] || fail "slurmd -C did not describe this machine"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=16817
while ! port_free "$PORT" || ! port_free $(( PORT + 1 )); do
    PORT=$(( PORT + 2 ))
    [ "$PORT" -lt 17000 ] || fail "no two free ports between 16817 and 17000"
done

SOCKET=$TMP/munge/munge.socket.2
export SLURM_CONF=$TMP/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Single-node cluster of scripts/slurm/local-cluster-test.sh; everything in $TMP.
ClusterName=cogovtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$(( PORT + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$TMP/ctld
SlurmdSpoolDir=$TMP/slurmd
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$TMP/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=3600
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE $HW State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
: >"$TMP/plugstack.conf"

say "starting munged (socket $SOCKET)"
# A key of its own, so that neither /etc/munge nor a munged already running matters.
head -c 1024 /dev/urandom >"$TMP/munge/munge.key"
chmod 400 "$TMP/munge/munge.key"
env "$MARK=$TMP" munged --foreground --force --socket="$SOCKET" --key-file="$TMP/munge/munge.key" \
    --pid-file="$TMP/munge/munged.pid" --seed-file="$TMP/munge/munged.seed" \
    --log-file="$TMP/log/munged.log" >>"$TMP/log/munged.log" 2>&1 &
MUNGED_PID=$!
for _ in $(seq 100); do
    [ -S "$SOCKET" ] && break
    kill -0 "$MUNGED_PID" 2>/dev/null || break
    sleep 0.1
done
munge -n -S "$SOCKET" | unmunge -S "$SOCKET" >/dev/null 2>&1 || {
    cat "$TMP/log/munged.log" >&2
    fail "munged did not start (its log is above)"
}

say "starting slurmctld and slurmd (node $NODE: $HW; ports $PORT, $(( PORT + 1 )))"
env "$MARK=$TMP" slurmctld -D -c -f "$SLURM_CONF" >>"$TMP/log/slurmctld.stderr.log" 2>&1 &
CTLD_PID=$!
CLUSTER_UP=1
for _ in $(seq 150); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    kill -0 "$CTLD_PID" 2>/dev/null || fail "slurmctld exited"
    sleep 0.2
done
scontrol ping 2>/dev/null | grep -q 'is UP' || fail "slurmctld did not answer within 30 s"
env "$MARK=$TMP" slurmd -D -f "$SLURM_CONF" -N "$NODE" >>"$TMP/log/slurmd.stderr.log" 2>&1 &
SLURMD_PID=$!
state=''
for _ in $(seq 150); do
    state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    kill -0 "$SLURMD_PID" 2>/dev/null || fail "slurmd exited"
    sleep 0.2
done
[ "$state" = idle ] || fail "node $NODE is '$state', not idle, 30 s after slurmd started"
say "cluster up: node $NODE idle"

# --- helpers for the submissions ------------------------------------------------------------
# One core per shard, so that two run at once on a 2-core machine.
SHARD_OPTS="--cpus-per-task=1 --time=00:10:00"
indent() { sed 's/^/    /'; }
# Reads the job ids from submit.sh's output into ARRAY and MERGE.
job_ids() {
    ARRAY='' MERGE=''
    read -r ARRAY MERGE < <(sed -n 's/.* as job array \([0-9]*\) and the merge as job \([0-9]*\)$/\1 \2/p' <<<"$1") || true
    [ -n "$MERGE" ] || fail "could not read the job ids from submit.sh's output"
}
# Submits through submit.sh (arguments after COGOV go to it); sets ARRAY and MERGE.
submit() {
    local cogov=$1 out
    shift
    out=$(env "$MARK=$TMP" COGOV="$cogov" SHARD_SBATCH_EXTRA="$SHARD_OPTS" \
        "$HERE/submit.sh" "$@") || fail "submit.sh $* failed"
    indent <<<"$out"
    job_ids "$out"
}
wait_jobs() { # JOBID...: until none is pending or running, at most TIMEOUT s
    local deadline=$(( SECONDS + TIMEOUT )) ids
    ids=$(IFS=,; echo "$*")
    while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "jobs $ids still not finished after $TIMEOUT s"
        sleep 0.5
    done
}
job_field() { # JOBID FIELD: the field of scontrol show job (one line per array task)
    scontrol show job -o "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
task_state() { # ARRAY TASK
    scontrol show job -o "$1" | grep -E "(^| )ArrayTaskId=$2( |$)" | tr ' ' '\n' | sed -n 's/^JobState=//p'
}
compare() { # DIR: its data files against the one-machine run's
    local dir=$1 f name
    for name in runs.csv summary.csv points.csv failures.csv; do
        [ -f "$TMP/single/$name" ] || fail "the one-machine run wrote no $name"
    done
    for f in "$TMP"/single/*.csv; do
        name=$(basename "$f")
        [ -f "$dir/$name" ] || fail "$dir has no $name"
        cmp -s "$f" "$dir/$name" || {
            cmp "$f" "$dir/$name" >&2 || true
            fail "$dir/$name differs from the one-machine run's"
        }
    done
    for f in "$dir"/*.csv; do
        [ -f "$TMP/single/$(basename "$f")" ] || fail "$f is not in the one-machine run"
    done
    say "identical to the one-machine run: $(cd "$dir" && for f in *.csv; do
        printf '%s (%s bytes) ' "$f" "$(wc -c <"$f")"; done)"
}

# --- 1. the sweep as a job array and a merge --------------------------------------------------
R1=$TMP/results
say "submitting $EXP as $SHARDS shards and a merge"
t=$SECONDS
submit "$COGOV" "$EXP" "$R1" "$SHARDS"
wait_jobs "$ARRAY" "$MERGE"
for k in $(seq 1 "$SHARDS"); do
    s=$(task_state "$ARRAY" "$k")
    [ "$s" = COMPLETED ] || fail "shard $k (job ${ARRAY}_$k) ended $s"
done
s=$(job_field "$MERGE" JobState)
[ "$s" = COMPLETED ] || fail "the merge (job $MERGE) ended $s"
[ -f "$R1/merged/manifest.json" ] || fail "the merge job wrote no $R1/merged"
say "shards and merge completed in $(( SECONDS - t )) s"
compare "$R1/merged"

# --- 2. a killed shard and a missing one: refused, re-run, resumed, merged ---------------------
R2=$TMP/results-resume
FLAKY=$TMP/cogov-flaky
{
    echo '#!/bin/bash'
    echo "# cogov for local-cluster-test.sh: shard 2 is killed after its first checkpoint and"
    echo "# shard 3 fails before it starts, the first time each is run."
    printf 'real=%q\nstate=%q\n' "$COGOV" "$TMP"
    cat <<'EOF'
set -euo pipefail
shard='' out='' prev=''
for a in "$@"; do
    case $prev in --shard) shard=$a ;; --out) out=$a ;; esac
    prev=$a
done
case $shard in
    2/*)
        if mkdir "$state/shard-2-killed" 2>/dev/null; then
            "$real" "$@" &
            pid=$!
            for _ in $(seq 3000); do
                [ -e "$out.partial/checkpoint.json" ] && break
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.01
            done
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" || true
            echo "test: killed shard 2 (pid $pid) after its first checkpoint" >&2
            exit 137
        fi ;;
    3/*)
        if mkdir "$state/shard-3-failed" 2>/dev/null; then
            echo "test: shard 3 fails before it starts" >&2
            exit 1
        fi ;;
esac
exec "$real" "$@"
EOF
} >"$FLAKY"
chmod 755 "$FLAKY"

say "submitting again with shard 2 killed mid-run and shard 3 failing"
t=$SECONDS
submit "$FLAKY" "$EXP" "$R2" "$SHARDS"
wait_jobs "$ARRAY" "$MERGE"
[ "$(task_state "$ARRAY" 1)" = COMPLETED ] || fail "shard 1 (job ${ARRAY}_1) ended $(task_state "$ARRAY" 1)"
for k in 2 3; do
    s=$(task_state "$ARRAY" "$k")
    [ "$s" = FAILED ] || fail "shard $k (job ${ARRAY}_$k) should have failed but ended $s"
done
[ -f "$R2/shard-2-of-3.partial/checkpoint.json" ] ||
    fail "shard 2 left no checkpointed $R2/shard-2-of-3.partial (did it finish before it could be killed?)"
s=$(job_field "$MERGE" JobState)
[ "$s" = FAILED ] || fail "the merge (job $MERGE) should have refused the incomplete shards but ended $s"
LOG=$R2/cogov-merge-$MERGE.out
grep -q '^  missing .*: shard 3$' "$LOG" || fail "the merge's log does not name shard 3 as missing: $(cat "$LOG")"
grep -q '^  unfinished .*: shard 2$' "$LOG" || fail "the merge's log does not name shard 2 as unfinished: $(cat "$LOG")"
[ ! -e "$R2/merged" ] || fail "the merge wrote $R2/merged from an incomplete set"
say "merge refused the incomplete set, naming shards 2 (unfinished) and 3 (missing), in $(( SECONDS - t )) s"
sed 's/^/    | /' "$LOG"

RERUN=$(grep -A1 '^re-run only those shards' "$LOG" | tail -n 1)
case $RERUN in
    *"/submit.sh $EXP $R2 3 2,3") ;;
    *) fail "unexpected re-run command in the merge's log: $RERUN" ;;
esac
say "re-running with the merge log's command:$RERUN"
t=$SECONDS
# The command is this test's own output, quoted with printf %q.
out=$(eval "env $MARK=$(printf %q "$TMP") SHARD_SBATCH_EXTRA=$(printf %q "$SHARD_OPTS") $RERUN") ||
    fail "the re-run command failed"
indent <<<"$out"
job_ids "$out"
wait_jobs "$ARRAY" "$MERGE"
for k in 2 3; do
    s=$(task_state "$ARRAY" "$k")
    [ "$s" = COMPLETED ] || fail "re-run shard $k (job ${ARRAY}_$k) ended $s"
done
grep -q 'resuming the interrupted shard' "$R2/cogov-shard-${ARRAY}_2.out" ||
    fail "re-run shard 2 did not resume its partial directory: $(cat "$R2/cogov-shard-${ARRAY}_2.out")"
s=$(job_field "$MERGE" JobState)
[ "$s" = COMPLETED ] || fail "the merge after the re-run (job $MERGE) ended $s"
say "shard 2 resumed, shard 3 ran, merge completed in $(( SECONDS - t )) s"
compare "$R2/merged"
