#!/usr/bin/env python3
"""Runs Mesa's own bundled Epstein civil-violence example headless, as a batch.

What it measures: a batch of N replications (seeds S, S+1, ..., S+N-1) of
`mesa.examples.advanced.epstein_civil_violence.model.EpsteinCivilViolence` with the
example's default parameters (40x40 torus, citizen density 0.7, cop density 0.074,
vision 7, legitimacy 0.8, max jail term 1000), each advanced by exactly STEPS calls of
`model.step()`, spread over W worker processes (a multiprocessing Pool, fork start
method, one replication per task). The model class is imported from the installed Mesa
package; none of its code is copied here.

How:
- Seeding: Mesa 3.x's `Model.__init__(seed=..., rng=...)`; the example accepts only
  `seed=` and passes it on, and Mesa then builds `model.random = random.Random(seed)`
  (the only generator the example draws from) and `model.rng =
  numpy.random.default_rng(seed)`.
- One `model.step()` is one tick: every agent (citizens and cops, one fresh random
  order, `agents.shuffle_do("step")`) takes one turn, then the example recounts the
  citizens' states and its DataCollector collects. The example stops itself only after
  `max_iters` (default 1000) steps, so 200 steps never end early; we call step()
  STEPS times regardless and record `model.running`.
- Data collection: KEPT as the example does by default (its step() calls its own
  DataCollector: three model reporters plus two agent reporters for every agent, every
  step). `--datacollector off` replaces that one model's `datacollector.collect` by a
  no-op after construction, to show what collection costs; it draws no random numbers,
  so the trajectories are the same.
- End-of-run counts: the example keeps `model.QUIET`, `model.ACTIVE` and
  `model.ARRESTED` (set by `_update_counts()`, a groupby on the citizens' `state` after
  every step; its DataCollector's "quiet"/"active"/"arrested" reporters read these
  attributes). "jailed" here is `model.ARRESTED`. They are cross-checked against a
  direct count of the citizens' `state`.

Outputs: one CSV row per replication to --csv, and a last stdout line
`inproc_batch_s=<seconds>` (from just before the Pool is created to after it is
joined; it excludes interpreter start-up and the import of Mesa, which the caller's
whole-process wall time includes).
"""

import argparse
import csv
import functools
import multiprocessing as mp
import sys
import time

_T_START = time.perf_counter()

from mesa.examples.advanced.epstein_civil_violence.agents import (  # noqa: E402
    Citizen,
    CitizenState,
    Cop,
)
from mesa.examples.advanced.epstein_civil_violence.model import (  # noqa: E402
    EpsteinCivilViolence,
)

_IMPORT_S = time.perf_counter() - _T_START

FIELDS = [
    "seed",
    "steps",
    "quiet",
    "active",
    "jailed",
    "citizens",
    "cops",
    "running",
    "datacollector",
    "run_s",
]


def _no_collect(_model):
    """Stands in for DataCollector.collect when collection is switched off."""


def run_one(seed, steps, collect):
    """One replication: the example's defaults, `steps` calls of model.step()."""
    t0 = time.perf_counter()
    model = EpsteinCivilViolence(seed=seed)
    if not collect:
        model.datacollector.collect = _no_collect
    for _ in range(steps):
        model.step()
    if model.steps != steps:
        raise RuntimeError(f"seed {seed}: model.steps is {model.steps}, expected {steps}")
    citizens = list(model.agents_by_type[Citizen])
    direct = {s: 0 for s in CitizenState}
    for c in citizens:
        direct[c.state] += 1
    quiet, active, jailed = int(model.QUIET), int(model.ACTIVE), int(model.ARRESTED)
    if (quiet, active, jailed) != (
        direct[CitizenState.QUIET],
        direct[CitizenState.ACTIVE],
        direct[CitizenState.ARRESTED],
    ):
        raise RuntimeError(f"seed {seed}: model counts disagree with the agents' states")
    return {
        "seed": seed,
        "steps": steps,
        "quiet": quiet,
        "active": active,
        "jailed": jailed,
        "citizens": len(citizens),
        "cops": len(model.agents_by_type.get(Cop, [])),
        "running": int(bool(model.running)),
        "datacollector": "on" if collect else "off",
        "run_s": f"{time.perf_counter() - t0:.4f}",
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, required=True, help="replications")
    ap.add_argument("--seed", type=int, default=1, help="first seed (S, S+1, ...)")
    ap.add_argument("--steps", type=int, default=200, help="calls of model.step()")
    ap.add_argument("--workers", type=int, default=1, help="Pool processes")
    ap.add_argument("--datacollector", choices=["on", "off"], default="on")
    ap.add_argument("--csv", required=True, help="per-replication rows (must not exist)")
    a = ap.parse_args(argv)
    if a.reps < 1 or a.workers < 1 or a.steps < 0:
        ap.error("--reps and --workers must be >= 1, --steps >= 0")

    seeds = [a.seed + i for i in range(a.reps)]
    job = functools.partial(run_one, steps=a.steps, collect=a.datacollector == "on")
    t0 = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(processes=a.workers) as pool:
        rows = pool.map(job, seeds, chunksize=1)
        pool.close()
        pool.join()
    batch_s = time.perf_counter() - t0

    with open(a.csv, "x", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    print(f"import_s={_IMPORT_S:.4f}")
    print(f"inproc_batch_s={batch_s:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
