#!/usr/bin/env python3
"""Do Mesa's Epstein example and cogov's Mesa-parity scenario agree in distribution?

Usage: agree.py MESA_FINAL_COUNTS.csv COGOV_RUNS.csv [--alpha A] [--out OUT.csv]

Inputs: Mesa's per-seed end-of-run counts from mesa_run.py (columns quiet, active,
jailed, steps) and cogov's runs.csv (columns run, seed, final_quiet,
final_active, final_jailed; other columns are ignored). The two samples are
independent runs with their own seeds and generators, so only their distributions can
agree, not run by run.

For each count (quiet, active, jailed) it prints n, mean, sd, median and min-max of
both samples, the two-sample Kolmogorov-Smirnov test (scipy.stats.ks_2samp, two-sided)
and the Mann-Whitney U test (scipy.stats.mannwhitneyu, two-sided, tie-corrected), and a
verdict: "agree" when both p-values are >= alpha (default 0.01), else "DIFFER". The
total number of citizens (quiet + active + jailed, binomial in both since each cell
draws its occupant independently) is shown for information, without a verdict.

Six tests are made (3 counts x 2 tests), and the counts are dependent (they add up to
the number of citizens). At alpha = 0.01 per test, the chance that at least one of the
six rejects when the distributions are truly equal is at most 6% (Bonferroni bound);
a Bonferroni-corrected family-wise 5% level would be 0.05 / 6 = 0.0083 per test. With
many ties (e.g. nearly all runs ending with 0 actives) KS is conservative.
"""

import argparse
import csv
import math
import statistics
import sys

from scipy import stats

COUNTS = ("quiet", "active", "jailed")


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def column(rows, name, path):
    if rows and name not in rows[0]:
        sys.exit(f"agree.py: {path} has no column {name!r} (has: {', '.join(rows[0])})")
    return [float(r[name]) for r in rows]


def describe(xs):
    sd = statistics.stdev(xs) if len(xs) > 1 else math.nan
    return (f"n={len(xs):<3} mean={statistics.fmean(xs):9.2f} sd={sd:8.2f} "
            f"median={statistics.median(xs):8.1f} range=[{min(xs):g}, {max(xs):g}]")


def compare(a, b):
    ks = stats.ks_2samp(a, b, alternative="two-sided")
    mw = stats.mannwhitneyu(a, b, alternative="two-sided")
    return float(ks.statistic), float(ks.pvalue), float(mw.statistic), float(mw.pvalue)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mesa")
    ap.add_argument("cogov")
    ap.add_argument("--alpha", type=float, default=0.01)
    ap.add_argument("--out", help="write the per-count results here (must not exist)")
    a = ap.parse_args(argv)

    mesa, cogov = read_csv(a.mesa), read_csv(a.cogov)
    if len(mesa) < 2 or len(cogov) < 2:
        sys.exit(f"agree.py: need at least 2 runs a side (Mesa {len(mesa)}, "
                 f"cogov {len(cogov)})")
    if "run" in cogov[0] and len({r["run"] for r in cogov}) != len(cogov):
        sys.exit(f"agree.py: {a.cogov} repeats a replication")
    steps = sorted({r.get("steps", "?") for r in mesa})

    print(f"Agreement in distribution of end-of-run counts: Mesa {len(mesa)} seeds "
          f"x {'/'.join(steps)} steps, cogov {len(cogov)} replications")
    print(f"Tests: two-sample Kolmogorov-Smirnov and Mann-Whitney U, two-sided. Verdict "
          f"'agree' when both p >= {a.alpha:g}.")
    print(f"Multiple comparisons: {2 * len(COUNTS)} tests on dependent counts; at "
          f"{a.alpha:g} per test the family-wise false-alarm rate is at most "
          f"{min(1.0, 2 * len(COUNTS) * a.alpha):.0%} (Bonferroni); a family-wise 5% "
          f"would need p < {0.05 / (2 * len(COUNTS)):.4f} to reject.")
    if len(mesa) < 30 or len(cogov) < 30:
        print("NOTE: fewer than 30 runs on a side: a smoke check, not a verdict.")

    results = []
    for name in COUNTS:
        ma = column(mesa, name, a.mesa)
        co = column(cogov, f"final_{name}", a.cogov)
        ks_d, ks_p, mw_u, mw_p = compare(ma, co)
        ok = ks_p >= a.alpha and mw_p >= a.alpha
        results.append((name, ma, co, ks_d, ks_p, mw_u, mw_p, ok))
        print(f"\n{name}")
        print(f"  Mesa   {describe(ma)}")
        print(f"  cogov  {describe(co)}")
        print(f"  KS D={ks_d:.3f} p={ks_p:.4g}   Mann-Whitney U={mw_u:.1f} p={mw_p:.4g}")
        print(f"  verdict: {name}: {'agree' if ok else 'DIFFER'} (alpha {a.alpha:g})")

    tm = [sum(t) for t in zip(*(column(mesa, n, a.mesa) for n in COUNTS))]
    tc = [sum(t) for t in zip(*(column(cogov, f"final_{n}", a.cogov) for n in COUNTS))]
    print("\ncitizens (quiet + active + jailed; information only, expected mean "
          "1600 x 0.7 = 1120)")
    print(f"  Mesa   {describe(tm)}")
    print(f"  cogov  {describe(tc)}")

    n_ok = sum(r[-1] for r in results)
    print(f"\nOverall: {n_ok} of {len(results)} counts agree"
          + ("" if n_ok == len(results) else
             " -- DIFFER: " + ", ".join(r[0] for r in results if not r[-1])))

    if a.out:
        with open(a.out, "x", newline="") as f:
            w = csv.writer(f)
            w.writerow(["count", "mesa_n", "mesa_mean", "mesa_sd", "cogov_n", "cogov_mean",
                        "cogov_sd", "ks_d", "ks_p", "mw_u", "mw_p", "alpha", "verdict"])
            for name, ma, co, ks_d, ks_p, mw_u, mw_p, ok in results:
                w.writerow([name, len(ma), f"{statistics.fmean(ma):.4f}",
                            f"{statistics.stdev(ma):.4f}", len(co),
                            f"{statistics.fmean(co):.4f}", f"{statistics.stdev(co):.4f}",
                            f"{ks_d:.6f}", f"{ks_p:.6g}", f"{mw_u:.1f}", f"{mw_p:.6g}",
                            a.alpha, "agree" if ok else "differ"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
