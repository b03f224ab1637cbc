#!/usr/bin/env python3
"""Do `cogov analyse`'s sensitivity indices equal SALib's on the same sweep?

Usage: salib_check.py [--resamples B] [--seed S] [--alpha A] [--detail LIST]
                      [--strict] [--out CSV] DIR...

Each DIR is the results directory of a `cogov sweep` with a `sobol` or `morris`
design on which `cogov analyse DIR --resamples B` has written sensitivity.csv.

What it does, for each DIR:
 1. Reads the design from manifest.json (sweep.settings: design, second_order,
    levels, factors with min and max), the points from points.csv and the runs from
    runs.csv (point, replication, seed, the swept values, then one column per
    metric; NA is an undefined value), and runaways.csv when there is one.
 2. Takes each point's mean of each metric as cogov does (src/analysis/means.rs and
    indices.rs): the mean of its runs whose value is finite, summed in replication
    order; no mean (NaN) at a point none of whose runs finished or with a run
    flagged as a runaway. Sobol: a base row (k + 2 or 2k + 2 points) with a point
    that failed or ran away is left out for every metric, one with an undefined
    mean for that metric. Morris: a point without a mean costs only the elementary
    effects that end at it, so each parameter has its own trajectories. The sweeps
    of salib_check.sh have no failed or runaway point, but some metrics are
    undefined (NA) at some points, which exercises these rules.
 3. Gives those means, in point order, to SALib with the same parameter names and
    the manifest's bounds: `sobol.analyze(problem, Y, calc_second_order,
    num_resamples=B, conf_level=0.95, seed=S)` on the usable base rows, and
    `morris.analyze(problem, X, Y, num_resamples=B, conf_level=0.95, num_levels=p,
    seed=S)`, X the swept columns of points.csv: on every trajectory when all of a
    metric's means are defined, else, for each parameter, on the trajectories
    whose effect of it is defined (SALib reads whole trajectories; the others'
    undefined means are set to 0 there, which touches no effect of that parameter).
 4. Compares, for every metric that varies (a metric with the same mean at every
    point is only counted):
    - point estimates S1, ST, S2, mu, mu_star, sigma must agree to 6 significant
      digits or better: relative difference |a - b| / max(|a|, |b|) below 5e-7, or
      an absolute difference below 1e-9 times the scale of the index (1 for Sobol
      indices, the metric's largest mu_star for Morris measures, which are in the
      metric's units), for estimates near 0 where rounding alone can make the
      relative difference large;
    - the 95% bootstrap half-widths (cogov's ci95_high - value, SALib's S1_conf,
      ST_conf, S2_conf, mu_star_conf) must agree within what resampling allows.
      Both are 1.96 times the standard deviation of B bootstrap replicates of the
      estimate, drawn independently by each tool (cogov from Xoshiro256++, SALib
      from numpy's PCG64), so they differ by sampling noise alone. The standard
      deviation of B replicates of kurtosis K estimates the bootstrap's own with
      relative error
          e = sqrt(K / B - (B - 3) / (B (B - 1))) / 2,
      1 / sqrt(2 (B - 1)) = 2.24% for normal replicates (K = 3) and B = 1000; the
      log of the ratio of two independent such estimates has standard deviation
      sqrt(2) e (3.16%). K is measured on SALib's replicates of the same index
      (rebuilt with SALib's own estimators and draws, and checked to reproduce its
      *_conf). A ratio passes when |ln(ratio)| / (sqrt(2) e) is within the
      Bonferroni bound z = Phi^-1(1 - alpha / 2m) over all m half-widths compared,
      so that two tools that are right fail the check by chance at most once in
      1 / alpha runs (alpha = 0.01);
    - cogov's `n` (base rows for Sobol, elementary effects for Morris) must equal
      what SALib was given.
    Where an estimate or interval is undefined in cogov (NaN or infinite) and SALib
    returns its conventional 0 instead (its estimators return 0 when the outputs at
    A and B do not vary), there is nothing to compare: such cases are listed apart
    with their cause, and count as disagreements only with --strict. For a Sobol
    design it also checks that points.csv holds SALib's own Saltelli points,
    `sobol.sample(problem, N, calc_second_order, scramble=False, skip_values=1)`,
    to 1e-12 of each range.
 5. Prints, per design, the estimates of the --detail metrics and a summary per
    index (estimates compared, largest relative and absolute differences, range of
    the half-width ratios, largest |z|, failures), then the cases not compared and
    every disagreement; writes every comparison to --out. Exits 1 on any
    disagreement, 2 on input it cannot read.
"""

import argparse
import csv
import importlib.metadata
import json
import math
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy.stats import norm

from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from SALib.util import _compute_delta

REL_TOL = 5e-7
ABS_TOL = 1e-9
DESIGN_TOL = 1e-12
Z95 = float(norm.ppf(0.5 + 0.95 / 2))
KEY_METRICS = ("incidents_per_1000", "trust_in_police", "participation_rate",
               "mean_response_time")
SOBOL_KINDS = ("S1", "ST", "S2")
MORRIS_KINDS = ("mu", "mu_star", "sigma")
CI_KINDS = ("S1", "ST", "S2", "mu_star")
OUT_COLUMNS = ("design", "metric", "index", "parameter", "parameter2", "cogov", "salib",
               "abs_diff", "rel_diff", "scale", "point_ok", "cogov_half", "salib_half",
               "ci_ratio", "kurtosis", "ratio_sd", "z", "ci_ok", "n_cogov", "n_salib",
               "note")


class Unusable(Exception):
    """Input that cannot be compared (a missing file, a design SALib has not)."""


def number(text):
    """A value as cogov writes it: shortest round-trip decimal, NA, Inf or -Inf."""
    return math.nan if text in ("NA", "") else float(text)


def read_csv(path):
    if not path.is_file():
        raise Unusable(f"{path} not found")
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise Unusable(f"{path} is empty")
        return header, list(reader)


# --- reading a results directory ------------------------------------------------------

class Sweep:
    """A sweep's design, points and runs, read back from its results directory."""

    def __init__(self, directory):
        self.dir = Path(directory)
        manifest_path = self.dir / "manifest.json"
        if not manifest_path.is_file():
            raise Unusable(f"{manifest_path} not found: not a results directory")
        manifest = json.loads(manifest_path.read_text())
        sweep = manifest.get("sweep") or {}
        settings = sweep.get("settings") or {}
        self.name = sweep.get("name", self.dir.name)
        self.design = settings.get("design")
        if self.design not in ("sobol", "morris"):
            raise Unusable(f"{self.dir}: design {self.design!r}; only sobol and morris "
                           "are compared with SALib here")
        self.second_order = bool(settings.get("second_order", False))
        self.levels = settings.get("levels")
        self.samples = settings.get("samples", settings.get("trajectories"))
        self.factors = settings.get("factors") or []
        self.names = [f["path"] for f in self.factors]
        self.k = len(self.names)
        if self.k == 0 or self.names != list(sweep.get("parameters", self.names)):
            raise Unusable(f"{self.dir}: the manifest's factors do not match its parameters")
        for f in self.factors:
            if "min" not in f or "max" not in f:
                raise Unusable(f"{self.dir}: factor {f.get('path')} has no min and max")
        self.replications = int(manifest.get("replications", 0))
        if self.design == "sobol":
            self.group = 2 * self.k + 2 if self.second_order else self.k + 2
            self.label = "sobol, second order" if self.second_order else "sobol"
        else:
            self.group = self.k + 1
            chosen = settings.get("candidates") or self.samples
            self.label = f"morris, {self.levels} levels" + (
                f", {self.samples} of {chosen} candidate trajectories"
                if chosen != self.samples else "")
        self._read_points()
        self._read_runs()
        self._read_runaways()

    def _read_points(self):
        header, rows = read_csv(self.dir / "points.csv")
        if header[1:] != self.names:
            raise Unusable(f"{self.dir}/points.csv: columns {header[1:]}, expected "
                           f"point and {self.names}")
        rows.sort(key=lambda r: int(r[0]))
        if [int(r[0]) for r in rows] != list(range(len(rows))):
            raise Unusable(f"{self.dir}/points.csv: points are not numbered 0 to n - 1")
        self.points = len(rows)
        if self.points == 0 or self.points % self.group:
            raise Unusable(f"{self.dir}: {self.points} points are not whole groups of "
                           f"{self.group}")
        # A name (a boolean or a choice) is coded by its place in the factor's list of
        # values, as cogov's analysis codes it; numbers are read as written.
        x = []
        for r in rows:
            coded = []
            for c, v in enumerate(r[1:]):
                try:
                    coded.append(float(v))
                except ValueError:
                    values = [str(u) for u in self.factors[c].get("values", [])]
                    coded.append(float(values.index(v)) if v in values else math.nan)
            x.append(coded)
        self.x = np.array(x, dtype=float)

    def _read_runs(self):
        header, rows = read_csv(self.dir / "runs.csv")
        lead = 3 + self.k
        if header[:3] != ["point", "replication", "seed"] or header[3:lead] != self.names:
            raise Unusable(f"{self.dir}/runs.csv: unexpected leading columns {header[:lead]}")
        self.metrics = header[lead:]
        runs = [dict() for _ in range(self.points)]
        for r in rows:
            runs[int(r[0])][int(r[1])] = [number(v) for v in r[lead:]]
        # runs[point]: the finished runs in replication order (a failed run is in
        # failures.csv, not here). A point none of whose runs finished, or whose runs
        # are all undefined in every metric, failed, as cogov counts it.
        self.runs = [[by_rep[i] for i in sorted(by_rep)] for by_rep in runs]
        self.failed_points = [p for p, reps in enumerate(self.runs)
                              if all(math.isnan(v) for run in reps for v in run)]

    def _read_runaways(self):
        path = self.dir / "runaways.csv"
        self.runaway_points = []
        if path.is_file():
            header, rows = read_csv(path)
            if header[0] != "point":
                raise Unusable(f"{path}: the first column is {header[0]!r}, not point")
            self.runaway_points = sorted({int(r[0]) for r in rows})

    def left_out(self):
        """The points with no mean in any metric: a Sobol design's whole base rows
        around a failed or runaway point, a Morris design's failed or runaway points."""
        bad = set(self.failed_points) | set(self.runaway_points)
        if self.design == "morris":
            return bad
        g = self.group
        return {p for b in bad for p in range(b // g * g, b // g * g + g)}

    def means(self, metric, left_out):
        """Each point's mean of metric `metric` over its runs with a finite value."""
        out = []
        for p, reps in enumerate(self.runs):
            values = [run[metric] for run in reps if math.isfinite(run[metric])]
            total = 0.0
            for v in values:  # in replication order, as cogov sums
                total += v
            out.append(total / len(values) if values and p not in left_out else math.nan)
        return np.array(out, dtype=float)

    def problem(self):
        return {"num_vars": self.k, "names": list(self.names),
                "bounds": [[float(f["min"]), float(f["max"])] for f in self.factors]}


def read_sensitivity(directory):
    """sensitivity.csv as {(metric, index, parameter, parameter2): (value, half, n)},
    the half-width being ci95_high - value (cogov floors mu_star's ci95_low at 0)."""
    path = Path(directory) / "sensitivity.csv"
    if not path.is_file():
        raise Unusable(f"{path} not found: run `cogov analyse {directory}` first")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    need = {"metric", "parameter", "index", "value", "ci95_low", "ci95_high", "parameter2", "n"}
    if rows and not need <= set(rows[0]):
        raise Unusable(f"{path}: columns {list(rows[0])}, expected {sorted(need)}")
    out = {}
    for r in rows:
        value, high = number(r["value"]), number(r["ci95_high"])
        out[(r["metric"], r["index"], r["parameter"], r["parameter2"])] = (
            value, high - value, int(r["n"]))
    return out


# --- SALib, with the bootstrap replicates behind its intervals ------------------------

def kurtosis(values):
    """m4 / m2^2 of the values (3 for a normal sample); NaN when they are all equal."""
    v = np.asarray(values, dtype=float)
    d = v - v.mean()
    m2 = np.mean(d * d)
    return float(np.mean(d ** 4) / (m2 * m2)) if m2 > 0 else math.nan


def same_half(rebuilt, half, what):
    if not math.isclose(rebuilt, half, rel_tol=1e-9, abs_tol=1e-12):
        raise RuntimeError(f"SALib's {what} replicates rebuilt give {rebuilt}, SALib {half}")


def salib_sobol(sweep, y, resamples, seed):
    """SALib's indices of outputs y (whole base rows), as {(index, i, l): estimate}.

    An estimate is a dict: value, half, kurtosis (of its replicates), n, and notes
    `point_note` / `ci_note` when SALib's figure is its convention for undefined data
    rather than an estimate."""
    k, so = sweep.k, sweep.second_order
    si = sobol_analyze.analyze(sweep.problem(), y, calc_second_order=so,
                               num_resamples=resamples, conf_level=0.95, seed=seed)
    # The replicates behind S1_conf, ST_conf and S2_conf: SALib's own draws (analyze
    # draws `np.random.default_rng(seed).integers(N, size=(N, B))` when given a seed)
    # and its own estimators on its standardised outputs.
    n = y.size // sweep.group
    ys = (y - y.mean()) / y.std()
    a, b, ab, ba = sobol_analyze.separate_output_values(ys, k, n, so)
    r = np.random.default_rng(seed).integers(n, size=(n, resamples))
    eps = np.finfo(float).eps
    # SALib's guards (first_order, total_order, second_order): when the outputs at
    # A and B do not vary, V = 0 and it returns 0 (and warns); a resample whose A
    # and B do not vary gives 0. cogov divides by V = 0 there.
    flat = np.ptp(np.r_[a, b]) <= eps
    flat_resamples = int(np.sum(np.var(np.r_[a[r], b[r]], axis=0) <= eps))
    point_note = ("A and B outputs all equal (V = 0): SALib returns 0, cogov NaN or +-Inf"
                  if flat else None)
    ci_note = (f"{flat_resamples} of {resamples} resamples have V = 0: SALib counts them "
               "as 0, cogov's interval is NA" if flat_resamples else None)
    out = {}

    def put(kind, i, l, value, half, reps):
        same_half(Z95 * reps.std(ddof=1), half, kind)
        out[(kind, i, l)] = {"value": float(value), "half": float(half),
                             "kurtosis": kurtosis(reps), "n": n, "point_note": point_note,
                             "ci_note": point_note or ci_note}

    for i in range(k):
        put("S1", i, None, si["S1"][i], si["S1_conf"][i],
            sobol_analyze.first_order(a[r], ab[r, i], b[r]))
        put("ST", i, None, si["ST"][i], si["ST_conf"][i],
            sobol_analyze.total_order(a[r], ab[r, i], b[r]))
        if so:
            for l in range(i + 1, k):
                put("S2", i, l, si["S2"][i, l], si["S2_conf"][i, l],
                    sobol_analyze.second_order(a[r], ab[r, i], ab[r, l], ba[r, i], b[r]))
    return out


def defined_effects(sweep, y):
    """For each parameter, the trajectories whose elementary effect of it is defined:
    every step where its column changes has a finite output at both ends."""
    g, k = sweep.group, sweep.k
    t = sweep.points // g
    x = sweep.x.reshape(t, g, k)
    finite = np.isfinite(y).reshape(t, g)
    moves = x[:, 1:, :] != x[:, :-1, :]
    ends = (finite[:, 1:] & finite[:, :-1])[:, :, None]
    ok = ~np.any(moves & ~ends, axis=1)
    return [np.flatnonzero(ok[:, i]) for i in range(k)]


def salib_morris_on(sweep, trajectories, y, resamples, seed):
    """SALib's measures of every parameter on the listed trajectories (undefined means
    set to 0, which the caller makes sure touch no effect it reads)."""
    g, k, p = sweep.group, sweep.k, sweep.levels
    rows = np.concatenate([np.arange(t * g, t * g + g) for t in trajectories])
    x, yy = sweep.x[rows], np.nan_to_num(y[rows], nan=0.0, posinf=0.0, neginf=0.0)
    si = morris_analyze.analyze(sweep.problem(), x, yy, num_resamples=resamples,
                                conf_level=0.95, num_levels=p, seed=seed)
    # The replicates behind mu_star_conf: SALib's elementary effects and its draws
    # (`np.random.default_rng(seed)`, then `integers(r, size=(B, r))` factor by factor).
    ee = morris_analyze._compute_elementary_effects(x, yy, g, _compute_delta(p))
    rng = np.random.default_rng(seed)
    out = []
    for i in range(k):
        draws = rng.integers(ee.shape[1], size=(resamples, ee.shape[1]))
        reps = np.abs(ee[i][draws]).mean(axis=1)
        half = float(si["mu_star_conf"][i])
        same_half(Z95 * reps.std(ddof=1), half, "mu_star")
        out.append({"mu": float(si["mu"][i]), "mu_star": float(si["mu_star"][i]),
                    "sigma": float(si["sigma"][i]), "half": half, "kurtosis": kurtosis(reps),
                    "n": len(trajectories)})
    return out


def salib_morris(sweep, y, resamples, seed):
    """SALib's measures, keyed as salib_sobol's: on all trajectories when every mean is
    defined, else parameter by parameter on the trajectories with its effect defined."""
    k = sweep.k
    usable = defined_effects(sweep, y)
    everywhere = sweep.points // sweep.group
    every = []  # the measures on every trajectory, once they are needed
    out = {}
    for i in range(k):
        if len(usable[i]) < 2:
            note = (f"{len(usable[i])} defined elementary effect(s): cogov gives no measures "
                    "below 2 (SALib's sigma and interval would be NaN)")
            for kind in MORRIS_KINDS:
                out[(kind, i, None)] = {"value": math.nan, "half": math.nan,
                                        "kurtosis": math.nan, "n": len(usable[i]),
                                        "point_note": note, "ci_note": note}
            continue
        if len(usable[i]) == everywhere:
            every = every or salib_morris_on(sweep, usable[i], y, resamples, seed)
            m = every[i]
        else:
            m = salib_morris_on(sweep, usable[i], y, resamples, seed)[i]
        for kind in MORRIS_KINDS:
            out[(kind, i, None)] = {"value": m[kind], "n": m["n"], "point_note": None,
                                    "ci_note": None, **({"half": m["half"],
                                                         "kurtosis": m["kurtosis"]}
                                                        if kind == "mu_star" else {})}
    return out


def check_sobol_points(sweep):
    """The largest difference between points.csv and SALib's Saltelli points, as a
    share of each parameter's range."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = sobol_sample.sample(sweep.problem(), int(sweep.samples),
                                   calc_second_order=sweep.second_order, scramble=False,
                                   skip_values=1)
    if want.shape != sweep.x.shape:
        return math.inf
    span = np.array([f["max"] - f["min"] for f in sweep.factors], dtype=float)
    span[span == 0] = 1.0
    return float(np.max(np.abs(want - sweep.x) / span))


# --- the comparison -------------------------------------------------------------------

def compare(sweep, resamples, seed):
    """Rows of comparisons for every estimate, problems, notes and counters."""
    cogov = read_sensitivity(sweep.dir)
    rows, problems, notes = [], [], []
    info = {"metrics": 0, "constant": 0, "partial": 0}
    if sweep.design == "sobol":
        info["design_diff"] = check_sobol_points(sweep)
        if not info["design_diff"] <= DESIGN_TOL:
            problems.append(f"points.csv differs from SALib's sobol.sample by "
                            f"{info['design_diff']:.3g} of a range")
    kinds = SOBOL_KINDS if sweep.design == "sobol" else MORRIS_KINDS
    g = sweep.group
    left_out = sweep.left_out()
    for mi, metric in enumerate(sweep.metrics):
        mine = {key: v for key, v in cogov.items() if key[0] == metric and key[1] in kinds}
        means = sweep.means(mi, left_out)
        if sweep.design == "sobol":
            groups = [j for j in range(sweep.points // g)
                      if np.all(np.isfinite(means[j * g:(j + 1) * g]))]
            idx = [p for j in groups for p in range(j * g, (j + 1) * g)]
            y = means[idx]
            why = ((len(groups) < 2 and f"{len(groups)} usable base rows")
                   or (np.all(y == y[0]) and "the same mean at every point"))
            partial = len(groups) < sweep.points // g
        else:
            y = means
            finite = y[np.isfinite(y)]
            why = ((finite.size == 0 and "no defined mean")
                   or (np.all(finite == finite[0]) and "the same mean at every point"))
            partial = finite.size < y.size
        if why:
            info["constant"] += 1
            values = [v[0] for v in mine.values()]
            if not values:
                continue
            if all(math.isnan(v) for v in values):
                salib_has = sweep.design == "sobol" and "same" in why
                notes.append((sweep.name, metric, f"{len(values)} estimates",
                              f"{why}: cogov writes NA for every index instead of leaving "
                              "the metric out" + ("; SALib returns 0" if salib_has else ""),
                              salib_has))
            elif sweep.design == "morris" and all(v == 0 for v in values):
                pass  # every elementary effect is 0, in both tools
            else:
                problems.append(f"{metric} ({why}): cogov has indices for it")
            continue
        if not mine:
            problems.append(f"{metric}: varies, but cogov's sensitivity.csv has no "
                            "indices for it")
            continue
        info["metrics"] += 1
        info["partial"] += partial
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if sweep.design == "sobol":
                salib = salib_sobol(sweep, y, resamples, seed)
            else:
                salib = salib_morris(sweep, y, resamples, seed)
        scale = 1.0
        if sweep.design == "morris":
            stars = [e["value"] for key, e in salib.items()
                     if key[0] == "mu_star" and math.isfinite(e["value"])]
            scale = max(stars + [0.0]) or 1.0
        for (kind, i, l), e in salib.items():
            key = (metric, kind, sweep.names[i], sweep.names[l] if l is not None else "")
            if key not in cogov:
                problems.append(f"{metric}: cogov has no {kind} for {key[2]} {key[3]}".rstrip())
                continue
            c_value, c_half, n = cogov[key]
            s_value = e["value"]
            diff = abs(c_value - s_value)
            big = max(abs(c_value), abs(s_value))
            rel = diff / big if big > 0 else (0.0 if diff == 0 else math.nan)
            row = {"design": sweep.name, "metric": metric, "index": kind,
                   "parameter": key[2], "parameter2": key[3], "cogov": c_value,
                   "salib": s_value, "abs_diff": diff, "rel_diff": rel, "scale": scale,
                   "point_ok": rel < REL_TOL or diff < ABS_TOL * scale,
                   "n_cogov": n, "n_salib": e["n"]}
            if e["point_note"] and not math.isfinite(c_value):
                row.update(point_ok=None, note=e["point_note"])
            if kind in CI_KINDS:
                row.update(cogov_half=c_half, salib_half=e["half"], kurtosis=e["kurtosis"])
                if e["ci_note"] and not math.isfinite(c_half):
                    row.update(ci_ok=None, note=e["ci_note"])
            rows.append(row)
    for (design, metric), rs in group_by(rows, ("design", "metric")).items():
        skipped = [r for r in rs if r["point_ok"] is None or r.get("ci_ok", 0) is None]
        if skipped:
            what = (f"{sum(r['point_ok'] is None for r in skipped)} estimates, "
                    f"{sum(r.get('ci_ok', 0) is None for r in skipped)} intervals")
            notes.append((design, metric, what,
                          "; ".join(sorted({r["note"] for r in skipped})),
                          any("SALib" in r["note"] for r in skipped)))
    return rows, problems, notes, info


def group_by(rows, keys):
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def judge_intervals(rows, resamples, alpha):
    """Sets ci_ratio, ratio_sd, z and ci_ok on the rows with a half-width to compare;
    returns the Bonferroni bound and the number of half-widths compared."""
    b = resamples
    with_ci = [r for r in rows if "salib_half" in r and r.get("ci_ok", 0) is not None]
    m = max(1, len(with_ci))
    bound = float(norm.ppf(1 - alpha / (2 * m)))
    for r in with_ci:
        c, s, kurt = r["cogov_half"], r["salib_half"], r["kurtosis"]
        tiny = 1e-12 * r["scale"]
        if not (math.isfinite(c) and math.isfinite(s)):
            r.update(ci_ratio=math.nan, ci_ok=False)
        elif c <= tiny and s <= tiny:
            r.update(ci_ratio=math.nan, ci_ok=True)  # both intervals are empty
        elif c <= tiny or s <= tiny or not math.isfinite(kurt):
            r.update(ci_ratio=c / s if s > 0 else math.inf, ci_ok=False)
        else:
            e = math.sqrt(max(kurt / b - (b - 3) / (b * (b - 1)), 0.0)) / 2
            sd = math.sqrt(2) * e
            z = math.log(c / s) / sd if sd > 0 else math.inf
            r.update(ci_ratio=c / s, ratio_sd=sd, z=z, ci_ok=abs(z) <= bound)
    return bound, len(with_ci)


# --- printing -------------------------------------------------------------------------

def fmt(x, spec):
    return "NA" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def table(rows, header):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells):
        return "  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


DETAIL_HEADER = ["metric", "index", "parameter", "cogov", "SALib", "rel diff", "CI ratio",
                 "z", ""]
SUMMARY_HEADER = ["index", "estimates", "max rel diff", "max abs/scale", "differ",
                  "intervals", "CI ratio range", "median ratio sd", "max |z|", "CI differ"]


def verdict(r):
    if r["point_ok"] is False or r.get("ci_ok") is False:
        return "DIFFER"
    if r["point_ok"] is None or ("ci_ok" in r and r["ci_ok"] is None):
        return "not compared"
    return "ok"


def detail_rows(rows):
    out = []
    for r in rows:
        param = r["parameter"] + (f" x {r['parameter2']}" if r["parameter2"] else "")
        out.append([r["metric"], r["index"], param, fmt(r["cogov"], ".10g"),
                    fmt(r["salib"], ".10g"), fmt(r["rel_diff"], ".1e"),
                    fmt(r.get("ci_ratio"), ".4f"), fmt(r.get("z"), "+.2f"), verdict(r)])
    return out


def summary_rows(rows, kinds):
    out = []
    for kind in kinds:
        rs = [r for r in rows if r["index"] == kind and r["point_ok"] is not None]
        if not rs:
            continue
        cis = [r for r in rs if r.get("ci_ok") is not None and "salib_half" in r]
        ratios = [r["ci_ratio"] for r in cis if math.isfinite(r["ci_ratio"])]
        zs = [abs(r["z"]) for r in cis if "z" in r]
        sds = [r["ratio_sd"] for r in cis if "ratio_sd" in r]
        out.append([kind, len(rs), f"{max(r['rel_diff'] for r in rs):.1e}",
                    f"{max(r['abs_diff'] / r['scale'] for r in rs):.1e}",
                    sum(not r["point_ok"] for r in rs), len(cis) if cis else "-",
                    f"{min(ratios):.4f}-{max(ratios):.4f}" if ratios else "-",
                    f"{statistics.median(sds):.4f}" if sds else "-",
                    f"{max(zs):.2f}" if zs else "-",
                    sum(not r["ci_ok"] for r in cis) if cis else "-"])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="a sweep's results directory")
    ap.add_argument("--resamples", type=int, default=1000,
                    help="bootstrap resamples, as given to `cogov analyse` [1000]")
    ap.add_argument("--seed", type=int, default=1,
                    help="seed of SALib's bootstrap draws, not 0 [1]")
    ap.add_argument("--alpha", type=float, default=0.01,
                    help="family-wise level of the interval checks [0.01]")
    ap.add_argument("--detail", default=",".join(KEY_METRICS),
                    help="metrics whose estimates are listed, comma-separated, 'all' or "
                         f"'none' [{','.join(KEY_METRICS)}]")
    ap.add_argument("--strict", action="store_true",
                    help="count the cases not compared as disagreements")
    ap.add_argument("--out", help="write every comparison to this CSV file")
    args = ap.parse_args(argv)
    if args.resamples < 2 or args.seed == 0 or not 0 < args.alpha < 1:
        ap.error("--resamples must be at least 2, --seed not 0, --alpha in (0, 1)")

    sweeps, all_rows, problems, notes = [], [], [], []
    try:
        for d in args.dirs:
            sweep = Sweep(d)
            rows, found, noted, info = compare(sweep, args.resamples, args.seed)
            sweeps.append((sweep, rows, info))
            all_rows += rows
            problems += [f"{sweep.name}: {p}" for p in found]
            notes += noted
    except (Unusable, RuntimeError) as e:
        print(f"salib_check.py: {e}", file=sys.stderr)
        return 2
    bound, m = judge_intervals(all_rows, args.resamples, args.alpha)

    b = args.resamples
    e3 = 1 / math.sqrt(2 * (b - 1))
    print(f"cogov analyse vs SALib {importlib.metadata.version('SALib')} (numpy "
          f"{np.__version__}), {b} bootstrap resamples, SALib seed {args.seed}")
    print(f"Point estimates: relative difference < {REL_TOL:g}, or absolute < {ABS_TOL:g} x "
          "scale (1 for Sobol indices, the metric's largest mu_star for Morris).")
    print(f"95% half-widths: |ln(cogov / SALib)| <= {bound:.2f} sqrt(2) e (Bonferroni, alpha "
          f"{args.alpha:g} over {m} half-widths), with e = sqrt(K/B - (B-3)/(B(B-1))) / 2")
    print("  the relative error of a bootstrap sd from B replicates of kurtosis K (K measured "
          f"on SALib's replicates). For K = 3, e = 1/sqrt(2(B-1)) = {100 * e3:.2f}%,")
    print(f"  the ratio's sd is {100 * math.sqrt(2) * e3:.2f}% and it must lie in "
          f"{math.exp(-bound * math.sqrt(2) * e3):.4f}-{math.exp(bound * math.sqrt(2) * e3):.4f}.")
    detail = None if args.detail == "all" else set(
        [] if args.detail == "none" else args.detail.split(","))
    for sweep, rows, info in sweeps:
        kinds = SOBOL_KINDS if sweep.design == "sobol" else MORRIS_KINDS
        groups = sweep.points // sweep.group
        unit = "base rows" if sweep.design == "sobol" else "trajectories"
        print()
        print(f"== {sweep.name} ({sweep.label}): k = {sweep.k}, {sweep.points} points = "
              f"{groups} {unit} of {sweep.group}, {sweep.replications} replications, "
              f"{len(sweep.failed_points)} failed and {len(sweep.runaway_points)} runaway "
              "points")
        print(f"   {info['metrics']} metrics compared ({info['partial']} of them undefined "
              f"at some points, left out as cogov does); {info['constant']} constant or "
              "undefined")
        if "design_diff" in info:
            print("   points.csv vs SALib's sobol.sample(scramble=False, skip_values=1): "
                  f"largest difference {info['design_diff']:.1e} of a range")
        shown = [r for r in rows if detail is None or r["metric"] in detail]
        if shown:
            print(table(detail_rows(shown), DETAIL_HEADER))
            print()
        print(table(summary_rows(rows, kinds), SUMMARY_HEADER))

    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=OUT_COLUMNS, extrasaction="ignore")
            w.writeheader()
            for r in all_rows:
                w.writerow({c: ("NA" if isinstance(r.get(c), float) and math.isnan(r[c])
                                else r.get(c, "")) for c in OUT_COLUMNS})
    print()
    if notes:
        print("Not compared (undefined in cogov; with --strict, those where SALib has a "
              "value count as disagreements):")
        print(table([list(n[:4]) for n in notes], ["design", "metric", "not compared", "why"]))
        print()
    bad = [r for r in all_rows if verdict(r) == "DIFFER"]
    if bad:
        print(f"Disagreements ({len(bad)}):")
        print(table(detail_rows(bad), DETAIL_HEADER))
    for p in problems:
        print(f"DIFFER: {p}")
    n_bad = [r for r in all_rows if r["n_cogov"] != r["n_salib"]]
    if n_bad:
        print(f"DIFFER: {len(n_bad)} estimates where cogov's n differs from what SALib was "
              f"given, e.g. {n_bad[0]['metric']} {n_bad[0]['index']} {n_bad[0]['parameter']}: "
              f"{n_bad[0]['n_cogov']} vs {n_bad[0]['n_salib']}")
    compared = sum(r["point_ok"] is not None for r in all_rows)
    failed = bool(bad or problems or n_bad or (args.strict and any(n[4] for n in notes)))
    print(f"Verdict: {'DIFFER' if failed else 'agree'}: {compared} point estimates and {m} "
          f"half-widths compared over {len(sweeps)} sweeps; "
          f"{sum(r['point_ok'] is False for r in all_rows)} estimates and "
          f"{sum(r.get('ci_ok') is False for r in all_rows)} half-widths differ, "
          f"{len(problems) + (1 if n_bad else 0)} other problems, {len(notes)} metrics "
          "with cases not compared.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
