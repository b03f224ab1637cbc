#!/bin/bash
# Submits a cogov sweep as a SLURM job array of SHARDS tasks plus a merge job that
# runs when all of them have ended (and merges only if every shard finished).
#
#   scripts/slurm/submit.sh EXPERIMENT.toml RESULTS_DIR SHARDS [TASKS]
#
# TASKS (default 1-SHARDS) submits only some shards, in sbatch's --array syntax
# ("3", "2,7", "4-6"): how a failed or interrupted shard is re-run (it resumes where
# it stopped; finished shards are left alone). A new merge job comes with them.
#
# Environment:
#   COGOV        the cogov binary (default: `cogov` on PATH); it must be reachable at
#                the same path on the compute nodes
#   SBATCH_EXTRA extra sbatch options for the shards and the merge, e.g.
#                "--partition=short --account=proj"
#   SHARD_SBATCH_EXTRA  extra sbatch options for the shards only, e.g.
#                "--cpus-per-task=8 --time=02:00:00" (the merge needs one core)
#   THROTTLE     run at most this many shards at once (sbatch --array=...%THROTTLE)
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 EXPERIMENT.toml RESULTS_DIR SHARDS [TASKS]" >&2
    exit 2
fi
if [ ! -f "$1" ]; then
    echo "error: experiment file $1 not found" >&2
    exit 2
fi
EXPERIMENT=$(realpath "$1")
RESULTS=$(realpath -m "$2")
SHARDS=$3
TASKS=${4:-1-$SHARDS}
case $SHARDS in
    '' | *[!0-9]* | 0*) echo "error: SHARDS must be a positive whole number, not '$SHARDS'" >&2; exit 2 ;;
esac
case $TASKS in
    *[!0-9,-]*) echo "error: TASKS is a list of shard numbers such as 3 or 2,7 or 4-6, not '$TASKS'" >&2; exit 2 ;;
esac
if [ -n "${THROTTLE:-}" ]; then
    TASKS="$TASKS%$THROTTLE"
fi
HERE=$(dirname "$(realpath "$0")")

# The jobs run elsewhere: hand them the binary by absolute path.
COGOV=${COGOV:-cogov}
if ! resolved=$(command -v "$COGOV"); then
    echo "error: cogov binary '$COGOV' not found; build it (cargo build --release) and set COGOV=/path/to/cogov" >&2
    exit 2
fi
COGOV=$(realpath "$resolved")

# Array indices must stay below the cluster's MaxArraySize (1001 by default).
if max=$(scontrol show config 2>/dev/null | awk '$1 == "MaxArraySize" { print $3 }') &&
    [ -n "$max" ] && [ "$SHARDS" -ge "$max" ]; then
    echo "error: $SHARDS shards need array indices up to $SHARDS, but this cluster's MaxArraySize is $max;" \
        "use at most $(( max - 1 )) shards (more threads per shard instead)" >&2
    exit 2
fi

mkdir -p "$RESULTS"
export EXPERIMENT RESULTS SHARDS COGOV COGOV_SLURM_DIR="$HERE"
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_EXTRA:-} ${SHARD_SBATCH_EXTRA:-} --array="$TASKS" \
    --chdir="$RESULTS" --export=ALL "$HERE/shard.sbatch")
array=${array%%;*}
# afterany: the merge runs once every task has ended, succeeded or not, and either
# merges or says which shards to re-run.
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_EXTRA:-} --dependency="afterany:$array" \
    --chdir="$RESULTS" --export=ALL "$HERE/merge.sbatch")
merge=${merge%%;*}
echo "submitted shards $TASKS of $SHARDS as job array $array and the merge as job $merge"
echo "logs: $RESULTS/cogov-shard-${array}_K.out and $RESULTS/cogov-merge-$merge.out"
echo "results will be in $RESULTS/merged"
