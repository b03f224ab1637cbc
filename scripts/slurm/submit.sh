#!/bin/bash
# Submits a cogov sweep as a SLURM job array of SHARDS tasks plus a merge job that
# runs when all of them have succeeded.
#
#   scripts/slurm/submit.sh EXPERIMENT.toml RESULTS_DIR SHARDS
#
# Environment: COGOV (path to the cogov binary, default `cogov` on PATH); any extra
# sbatch options in SBATCH_EXTRA (for example "--partition=short --account=proj").
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 EXPERIMENT.toml RESULTS_DIR SHARDS" >&2
    exit 2
fi
EXPERIMENT=$(realpath "$1")
RESULTS=$(realpath -m "$2")
SHARDS=$3
HERE=$(dirname "$(realpath "$0")")
mkdir -p "$RESULTS"

export EXPERIMENT RESULTS COGOV="${COGOV:-cogov}"
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_EXTRA:-} --array="1-$SHARDS" \
    --chdir="$RESULTS" --export=ALL "$HERE/shard.sbatch")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_EXTRA:-} --dependency="afterok:${array%%;*}" \
    --chdir="$RESULTS" --export=ALL "$HERE/merge.sbatch")
echo "submitted shards as job $array and the merge as job $merge"
echo "results will be in $RESULTS/merged"
