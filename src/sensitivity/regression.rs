//! Sampling-based sensitivity measures for Latin hypercube and random designs:
//! standardised regression coefficients (SRC) and partial rank correlation
//! coefficients (PRCC), each with a 95% interval and a p-value, and the R² that says
//! how far to trust them.
//!
//! The input is the design as rows (`n` points × `k` factors, every factor already a
//! number) and one output's value at each point (`y`, the point means). The module does
//! no I/O and imports nothing from the crate: the Student t distribution it needs is
//! computed here. It does not choose the design or the output; that is the caller's.
//!
//! # Standardised regression coefficients
//!
//! Ordinary least squares of `y` on the factors with an intercept,
//! `y ≈ b_0 + Σ b_i x_i`, and `SRC_i = b_i sd(x_i) / sd(y)` (Saltelli et al. 2008,
//! Global Sensitivity Analysis: The Primer, Wiley, ch. 1; Helton and Davis 2003,
//! Reliab Eng Syst Saf 81:23). An SRC measures a *linear* effect: by how many standard
//! deviations `y` moves per standard deviation of `x_i`, the others held fixed. With
//! independent factors (a Latin hypercube or random design) and a linear model,
//! `SRC_i²` is the share of `var(y)` due to `x_i` and the shares add up to `R²`, the
//! fraction of the variance the linear model explains (exactly in the population, up
//! to the sample's chance correlations between factors in a design). `R²` is the
//! measure's own warning light: Saltelli et al. (2008) trust SRCs when `R² >= 0.7`;
//! below that the model is too nonlinear for a linear summary, and PRCC (or Sobol
//! indices) should be read instead.
//!
//! The interval is `SRC_i ± t_{0.975, n-k-1} SE(b_i) sd(x_i) / sd(y)` with `SE(b_i)`
//! the usual OLS standard error (`σ̂² = RSS / (n - k - 1)` times the diagonal of
//! `(XᵀX)⁻¹`, `X` centred). It treats the two standard deviations as fixed: it is the
//! interval for the design at hand. The p-value is the two-sided t test of `b_i = 0`
//! on `n - k - 1` degrees of freedom.
//!
//! # Partial rank correlation coefficients
//!
//! PRCC (Iman and Conover 1980, Commun Stat Theory Methods 9:1749; Blower and
//! Dowlatabadi 1994, Int Stat Rev 62:229; Marino, Hogue, Ray and Kirschner 2008,
//! J Theor Biol 254:178): every factor and `y` are replaced by their ranks (1 to `n`,
//! tied values sharing their average rank, as `scipy.stats.rankdata` does); for each
//! factor `i`, `rank(x_i)` and `rank(y)` are each regressed, with an intercept, on the
//! ranks of the other factors, and `PRCC_i` is the correlation of the two residuals.
//! It measures how *monotone* the effect of `x_i` is once the other factors' (rank)
//! effects are removed, so it sees a monotone nonlinear effect that an SRC
//! underrates. It is not a share of variance. `rank_r2`, the `R²` of the regression
//! of `rank(y)` on all ranked factors, says how well a monotone additive picture
//! fits; a low `r2` with a high `rank_r2` marks a monotone but nonlinear output.
//!
//! The interval uses Fisher's z: a partial correlation controlling for `p` variables
//! is distributed as a simple correlation from `n - p` points (Fisher 1924, Metron
//! 3:329), so with `p = k - 1`, `tanh(atanh(PRCC_i) ± z_{0.975} / sqrt(n - 3 - p))`.
//! The transformation is exact for normal residuals and approximate for ranks. The
//! p-value is Marino et al.'s (2008) test of `PRCC_i = 0`:
//! `T = PRCC_i sqrt((n - 2 - p) / (1 - PRCC_i²))` against Student's t on `n - 2 - p`
//! degrees of freedom (the same `T` as the t statistic of `b_i` in the rank
//! regression).
//!
//! # Numerics
//!
//! Columns are centred and scaled to unit length, and each fit (values, then ranks) is
//! one Householder QR of `[X | y]` (Golub and Van Loan 2013, Matrix Computations, 4th
//! ed, Johns Hopkins, §5.3), without forming `XᵀX`: `O(n k²)`, about 0.3 s for 100,000
//! points and 40 factors, ranking included. With `R` the triangular factor, `|R_jj|` is
//! the sine of the angle between column `j` and the span of the columns before it;
//! below `1e-7` the design is called collinear. The partial correlations come from the
//! same factor: the residual of `x_i` on the other factors has length
//! `‖e_i‖ = 1 / ‖row i of R⁻¹‖`, and `PRCC_i = b_i ‖e_i‖ / ‖e_y‖` with
//! `‖e_y‖² = RSS + b_i² ‖e_i‖²`, the residual of `y` on the other factors.
//!
//! The t distribution's two-sided tail is `I_{ν/(ν+t²)}(ν/2, 1/2)` (Abramowitz and
//! Stegun 1964, 26.5.27), the regularised incomplete beta function evaluated by its
//! continued fraction with the modified Lentz method (Press et al. 2007, Numerical
//! Recipes, 3rd ed, §6.4), with `Γ(a + 1/2) / Γ(a)` by exact recurrence for small `a`
//! and by Stirling's series (Abramowitz and Stegun 1964, 6.1.41) above. The quantile
//! is found by bisection on that tail, to the last bit it resolves.

/// One sensitivity index with its 95% interval and the p-value of "the index is 0".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Two-sided p-value of the null hypothesis that the index is 0.
    pub p_value: f64,
}

/// The regression-based indices of one output, factor by factor in the design's
/// column order.
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionIndices {
    /// Standardised regression coefficients, with t intervals on `n - k - 1` degrees
    /// of freedom.
    pub src: Vec<Estimate>,
    /// Fraction of the output's variance the linear model explains; trust `src` when
    /// it is at least 0.7.
    pub r2: f64,
    /// Partial rank correlation coefficients, with Fisher z intervals. NaN (value,
    /// interval and p) for a factor when the ranks of the output are an exact linear
    /// function of the other factors' ranks, which leaves that factor nothing to
    /// explain.
    pub prcc: Vec<Estimate>,
    /// `R²` of the regression of the output's ranks on the factors' ranks.
    pub rank_r2: f64,
}

/// Why a design and its outputs have no regression indices. Factor columns count from 0
/// in the design's column order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegressionError {
    #[error("{points} design points but {outputs} output values: each point needs one output")]
    LengthMismatch { points: usize, outputs: usize },
    #[error("point {point} has {found} factor values but point 0 has {expected}")]
    RaggedRow {
        point: usize,
        found: usize,
        expected: usize,
    },
    #[error("the design has no factor columns: there is nothing to attribute the output to")]
    NoFactors,
    #[error(
        "{points} points are too few for {factors} factors: the regression and the PRCC \
         intervals need at least {needed} (factors + 3)"
    )]
    TooFewPoints {
        points: usize,
        factors: usize,
        needed: usize,
    },
    #[error(
        "factor column {factor} is {value} at point {point}: every factor value must be \
         a finite number"
    )]
    NonFiniteFactor {
        point: usize,
        factor: usize,
        value: f64,
    },
    #[error(
        "the output is {value} at point {point}: every output must be a finite number \
         (leave out the points whose runs have no value)"
    )]
    NonFiniteOutput { point: usize, value: f64 },
    #[error(
        "factor column {factor} is {value} at every point, so its effect cannot be \
         estimated: leave it out of the analysis"
    )]
    ConstantFactor { factor: usize, value: f64 },
    #[error("the output is {value} at every point: there is no variance to attribute")]
    ConstantOutput { value: f64 },
    #[error(
        "factor column {factor} is (almost) a linear combination of columns 0 to {}: the \
         design cannot separate their effects; drop a column or use a design whose \
         columns vary independently",
        .factor - 1
    )]
    CollinearFactors { factor: usize },
    #[error(
        "the ranks of factor column {factor} are (almost) a linear combination of the \
         ranks of columns 0 to {}, as when a factor is a monotone function of another: \
         PRCC cannot separate their effects",
        .factor - 1
    )]
    CollinearRanks { factor: usize },
}

/// `z_{0.975}`, the standard normal quantile for a two-sided 95% interval.
const Z975: f64 = 1.959_963_984_540_054;

/// Below this sine of the angle between a factor column and the span of the columns
/// before it (a variance inflation factor of 10^14), the design is collinear.
const COLLINEARITY_TOLERANCE: f64 = 1e-7;

/// SRCs, PRCCs and both `R²` of the output `y` on the design `x` (`n` rows of `k`
/// factor values).
///
/// # Errors
///
/// A [`RegressionError`] naming the problem when `x` and `y` differ in length, the rows
/// differ in length, there are no factors, fewer than `k + 3` points, a value is not
/// finite, a factor or the output is constant, or a factor column (or its ranks) is a
/// linear combination of the columns before it.
///
/// # Examples
///
/// ```
/// use cogov::sensitivity::regression_indices;
///
/// let x = [[0.1, 3.0], [0.4, 1.0], [0.2, 2.0], [0.9, 5.0], [0.5, 4.0], [0.7, 0.0]];
/// let y: Vec<f64> = x.iter().map(|p| 4.0 * p[0] + 0.1 * p[1]).collect();
/// let indices = regression_indices(&x, &y).unwrap();
/// assert!((indices.r2 - 1.0).abs() < 1e-12);
/// assert!(indices.src[0].value > indices.src[1].value);
/// ```
pub fn regression_indices<R: AsRef<[f64]>>(
    x: &[R],
    y: &[f64],
) -> Result<RegressionIndices, RegressionError> {
    let (n, k) = validate(x, y)?;
    let df = n - k - 1;
    let t975 = t_quantile(0.975, df as u64);

    let mut columns: Vec<Vec<f64>> = (0..k)
        .map(|j| x.iter().map(|row| row.as_ref()[j]).collect())
        .collect();
    columns.push(y.to_vec());
    let ranked: Vec<Vec<f64>> = columns.iter().map(|c| ranks(c)).collect();

    let linear = least_squares(columns, df)
        .map_err(|factor| RegressionError::CollinearFactors { factor })?;
    let src = (0..k)
        .map(|i| {
            let value = linear.coefficients[i];
            let se = linear.sigma * linear.row_norms[i];
            Estimate {
                value,
                ci95_low: value - t975 * se,
                ci95_high: value + t975 * se,
                p_value: t_test(value, se, df as u64),
            }
        })
        .collect();

    let rank =
        least_squares(ranked, df).map_err(|factor| RegressionError::CollinearRanks { factor })?;
    let half_width = Z975 / ((n - k - 2) as f64).sqrt();
    let prcc = (0..k)
        .map(|i| {
            let b = rank.coefficients[i];
            let own = 1.0 / rank.row_norms[i];
            let rest = (rank.residual * rank.residual + (b * own).powi(2)).sqrt();
            if rest < COLLINEARITY_TOLERANCE {
                return Estimate {
                    value: f64::NAN,
                    ci95_low: f64::NAN,
                    ci95_high: f64::NAN,
                    p_value: f64::NAN,
                };
            }
            let r = (b * own / rest).clamp(-1.0, 1.0);
            let z = r.atanh();
            let t = r * (df as f64 / ((1.0 - r) * (1.0 + r))).sqrt();
            Estimate {
                value: r,
                ci95_low: (z - half_width).tanh(),
                ci95_high: (z + half_width).tanh(),
                p_value: t_two_sided_p(t, df as u64),
            }
        })
        .collect();

    Ok(RegressionIndices {
        src,
        r2: linear.r2,
        prcc,
        rank_r2: rank.r2,
    })
}

/// The design's size `(n, k)` once every value is checked.
fn validate<R: AsRef<[f64]>>(x: &[R], y: &[f64]) -> Result<(usize, usize), RegressionError> {
    let n = x.len();
    if y.len() != n {
        return Err(RegressionError::LengthMismatch {
            points: n,
            outputs: y.len(),
        });
    }
    let k = x.first().map_or(0, |row| row.as_ref().len());
    if let Some((point, row)) = x
        .iter()
        .enumerate()
        .find(|(_, row)| row.as_ref().len() != k)
    {
        return Err(RegressionError::RaggedRow {
            point,
            found: row.as_ref().len(),
            expected: k,
        });
    }
    if n > 0 && k == 0 {
        return Err(RegressionError::NoFactors);
    }
    if n < k + 3 {
        return Err(RegressionError::TooFewPoints {
            points: n,
            factors: k,
            needed: k + 3,
        });
    }
    for (point, row) in x.iter().enumerate() {
        if let Some((factor, &value)) = row
            .as_ref()
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite())
        {
            return Err(RegressionError::NonFiniteFactor {
                point,
                factor,
                value,
            });
        }
    }
    if let Some((point, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(RegressionError::NonFiniteOutput { point, value });
    }
    for factor in 0..k {
        let value = x[0].as_ref()[factor];
        if x.iter().all(|row| row.as_ref()[factor] == value) {
            return Err(RegressionError::ConstantFactor { factor, value });
        }
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(RegressionError::ConstantOutput { value: y[0] });
    }
    Ok((n, k))
}

/// The ranks of `values`, 1 to `n`, tied values sharing the average of their ranks
/// (`scipy.stats.rankdata`'s default). `-0.0` and `0.0` are tied.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && order[end].0 == order[start].0 {
            end += 1;
        }
        // Positions start..end hold ranks start + 1 ..= end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &(_, i) in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

/// Least squares of the last column on the others, with an intercept, in units where
/// every column is centred with length 1 (so the coefficients are standardised).
struct Fit {
    coefficients: Vec<f64>,
    /// `‖row i of R⁻¹‖`: the standard error of coefficient `i` is `sigma` times this,
    /// and the residual of factor `i` on the other factors has length its inverse.
    row_norms: Vec<f64>,
    /// Length of the residual vector (`sqrt(RSS)`).
    residual: f64,
    /// Residual standard deviation, `sqrt(RSS / df)`.
    sigma: f64,
    r2: f64,
}

/// Fits the last of `columns` on the others (each column a variable; none constant).
/// `Err(j)` when factor column `j` is collinear with the columns before it.
fn least_squares(mut columns: Vec<Vec<f64>>, df: usize) -> Result<Fit, usize> {
    for column in &mut columns {
        standardise(column);
    }
    let k = columns.len() - 1;
    let r = householder_r(&mut columns);
    if let Some(j) = (0..k).find(|&j| r[j][j].abs() < COLLINEARITY_TOLERANCE) {
        return Err(j);
    }
    // Back substitution: R_x b = (Qᵀ y)_x, the first k entries of y's column of R.
    let mut coefficients = vec![0.0; k];
    for i in (0..k).rev() {
        let s: f64 = (i + 1..k).map(|l| r[l][i] * coefficients[l]).sum();
        coefficients[i] = (r[k][i] - s) / r[i][i];
    }
    // R_x⁻¹ column by column (upper triangular), then its row norms.
    let mut inverse = vec![vec![0.0; k]; k];
    for j in 0..k {
        inverse[j][j] = 1.0 / r[j][j];
        for i in (0..j).rev() {
            let s: f64 = (i + 1..=j).map(|l| r[l][i] * inverse[j][l]).sum();
            inverse[j][i] = -s / r[i][i];
        }
    }
    let row_norms = (0..k)
        .map(|i| {
            (i..k)
                .map(|j| inverse[j][i] * inverse[j][i])
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let residual = r[k][k].abs();
    let explained: f64 = (0..k).map(|i| r[k][i] * r[k][i]).sum();
    Ok(Fit {
        coefficients,
        row_norms,
        residual,
        sigma: residual / (df as f64).sqrt(),
        r2: explained / (explained + residual * residual),
    })
}

/// Centres `column` and scales it to length 1 (it must not be constant).
fn standardise(column: &mut [f64]) {
    let mean = column.iter().sum::<f64>() / column.len() as f64;
    for v in column.iter_mut() {
        *v -= mean;
    }
    let length = dot(column, column).sqrt();
    for v in column.iter_mut() {
        *v /= length;
    }
}

/// The triangular factor `R` of the Householder QR of the matrix whose columns are
/// `columns` (all of one length, at least their number), as columns: `r[j][i]` is
/// `R_ij` for `i <= j`. `columns` is overwritten.
fn householder_r(columns: &mut [Vec<f64>]) -> Vec<Vec<f64>> {
    let p = columns.len();
    for j in 0..p {
        let (done, rest) = columns.split_at_mut(j + 1);
        let v = &mut done[j][j..];
        let alpha = dot(v, v).sqrt();
        if alpha == 0.0 {
            continue;
        }
        // Reflect v onto beta e_1, with beta of the sign that avoids cancellation.
        let beta = if v[0] > 0.0 { -alpha } else { alpha };
        let scale = 1.0 / (alpha * (alpha + v[0].abs()));
        v[0] -= beta;
        for column in rest.iter_mut() {
            let tail = &mut column[j..];
            let s = dot(v, tail) * scale;
            for (t, &vi) in tail.iter_mut().zip(v.iter()) {
                *t -= s * vi;
            }
        }
        v[0] = beta;
    }
    columns
        .iter()
        .enumerate()
        .map(|(j, column)| column[..=j].to_vec())
        .collect()
}

/// Dot product in four interleaved partial sums (a fixed order, so deterministic).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let mut a4 = a.chunks_exact(4);
    let mut b4 = b.chunks_exact(4);
    for (x, y) in (&mut a4).zip(&mut b4) {
        for l in 0..4 {
            sums[l] += x[l] * y[l];
        }
    }
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// Two-sided p-value of the t test of `value = 0` given its standard error.
fn t_test(value: f64, se: f64, df: u64) -> f64 {
    if se == 0.0 {
        return if value == 0.0 { 1.0 } else { 0.0 };
    }
    t_two_sided_p(value / se, df)
}

/// `P(|T| >= |t|)` for Student's t on `df >= 1` degrees of freedom:
/// `I_x(df/2, 1/2)` with `x = df / (df + t²)` (Abramowitz and Stegun 26.5.27).
fn t_two_sided_p(t: f64, df: u64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    let nu = df as f64;
    let u = t * t / nu;
    if !u.is_finite() {
        return 0.0;
    }
    if u == 0.0 {
        return 1.0;
    }
    // x = 1 / (1 + u) and 1 - x = u / (1 + u), with their logarithms, without
    // forming 1 - x by subtraction.
    let (a, b) = (nu / 2.0, 0.5);
    let ln_x = -u.ln_1p();
    let ln_1mx = u.ln() - u.ln_1p();
    let (x, y) = (1.0 / (1.0 + u), u / (1.0 + u));
    let ln_beta = 0.5 * std::f64::consts::PI.ln() - ln_gamma_half_ratio(df);
    let front = (a * ln_x + b * ln_1mx - ln_beta).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x, y) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, y, x) / b
    }
}

/// The `p` quantile (`0.5 <= p < 1`) of Student's t on `df >= 1` degrees of freedom,
/// by bisection on the two-sided tail.
fn t_quantile(p: f64, df: u64) -> f64 {
    let tail = 2.0 * (1.0 - p);
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while t_two_sided_p(high, df) > tail {
        low = high;
        high *= 2.0;
    }
    loop {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            return mid;
        }
        if t_two_sided_p(mid, df) > tail {
            low = mid;
        } else {
            high = mid;
        }
    }
}

/// `ln(Γ(a + 1/2) / Γ(a))` for `a = df / 2`: by exact recurrence from `a = 1/2` or
/// `a = 1` while `a <= 30`, by Stirling's series (Abramowitz and Stegun 6.1.41) above,
/// written so that no large terms cancel.
fn ln_gamma_half_ratio(df: u64) -> f64 {
    let a = df as f64 / 2.0;
    if df <= 60 {
        // Γ(1)/Γ(1/2) = 1/√π, Γ(3/2)/Γ(1) = √π/2; ratio(a + 1) = ratio(a) (a + 1/2) / a.
        let sqrt_pi = std::f64::consts::PI.sqrt();
        let (mut c, mut ratio) = if df % 2 == 1 {
            (0.5, 1.0 / sqrt_pi)
        } else {
            (1.0, sqrt_pi / 2.0)
        };
        while c < a {
            ratio *= (c + 0.5) / c;
            c += 1.0;
        }
        return ratio.ln();
    }
    // lnΓ(z) = (z - 1/2) ln z - z + ln(2π)/2 + s(z), so the difference is
    // a ln(1 + 1/(2a)) + ln(a)/2 - 1/2 + s(a + 1/2) - s(a).
    let s = |z: f64| {
        let z2 = z * z;
        (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * z2)) / z2) / z2) / z
    };
    (a * (0.5 / a).ln_1p() - 0.5) + 0.5 * a.ln() + (s(a + 0.5) - s(a))
}

/// The continued fraction of the regularised incomplete beta function `I_x(a, b)`,
/// by the modified Lentz method (Press et al. 2007, §6.4); it converges quickly for
/// `x < (a + 1) / (a + b + 2)`. `y = 1 - x`, passed exact.
///
/// For `x` near 1 (large `a`, small `t`), the textbook recurrence loses digits in
/// `1 + odd / c`: the odd coefficient is nearly `-x` and `c` nearly 1, and the sum is of
/// order `1 - x`, so rounding in `x` came back amplified (relative errors of 1e-11 at
/// 10^5 degrees of freedom). There the sums are rewritten so that `1 + odd` is formed
/// from `y` as a sum of positive terms, and `c - 1`, `1/d - 1` are carried from the
/// even step instead of being recovered by subtraction.
fn beta_continued_fraction(a: f64, b: f64, x: f64, y: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let near_one = x > 0.5;
    let first = if near_one {
        (qap * y + (1.0 - b) * x) / qap
    } else {
        1.0 - qab * x / qap
    };
    let mut c = 1.0;
    let mut d = 1.0 / guard(first);
    let mut h = d;
    for m in 1..100_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        // d = 1 / (1 + even d) and c = 1 + even / c, keeping the parts beyond 1.
        let d_excess = even * d;
        d = 1.0 / guard(1.0 + d_excess);
        let c_excess = even / c;
        c = guard(1.0 + c_excess);
        h *= d * c;
        let denominator = (a + m2) * (qap + m2);
        // 1 + odd, with odd = -(a + m)(a + b + m) x / denominator.
        let one_plus_odd = if near_one {
            let gap = a * (1.0 - b) + 2.0 * a * m + (2.0 - b) * m + 3.0 * m * m;
            (gap + (a + m) * (qab + m) * y) / denominator
        } else {
            1.0 - (a + m) * (qab + m) * x / denominator
        };
        // 1 + odd d = (1/d + odd) d = (d_excess + 1 + odd) d, and likewise for c.
        d = 1.0 / guard((d_excess + one_plus_odd) * d);
        c = guard((c_excess + one_plus_odd) / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, StandardNormal};

    /// `n` points of `k` factors, each uniform on [0, 1).
    fn uniform_design(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
            .collect()
    }

    /// Sample standard deviation of factor `j` (or of `y` when given as a column).
    fn sd(values: impl Iterator<Item = f64> + Clone) -> f64 {
        let n = values.clone().count() as f64;
        let mean = values.clone().sum::<f64>() / n;
        (values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    }

    fn sd_of_factor(x: &[Vec<f64>], j: usize) -> f64 {
        sd(x.iter().map(|row| row[j]))
    }

    #[test]
    fn a_linear_model_has_the_analytic_srcs_and_r2_one() {
        // y = 2 x1 + x2 + 0 x3 on uniform factors: var(y) = 5/12, so the population
        // SRCs are 2/√5, 1/√5 and 0. Each sample SRC is b_i s_i / s_y exactly; it is
        // off the population value by sampling error of order 1/√n (the relative
        // error of a uniform sample's sd is about 0.45/√n), so 3/√n is a wide margin.
        let b = [2.0, 1.0, 0.0];
        for n in [50, 1000, 20_000] {
            let x = uniform_design(n, 3, n as u64);
            let y: Vec<f64> = x
                .iter()
                .map(|p| b[0] * p[0] + b[1] * p[1] + b[2] * p[2])
                .collect();
            let got = regression_indices(&x, &y).unwrap();
            assert!((got.r2 - 1.0).abs() < 1e-12, "n = {n}: R² = {}", got.r2);
            let sd_y = sd(y.iter().copied());
            let analytic = [2.0 / 5f64.sqrt(), 1.0 / 5f64.sqrt(), 0.0];
            for i in 0..3 {
                let src = got.src[i];
                let sample = b[i] * sd_of_factor(&x, i) / sd_y;
                assert!(
                    (src.value - sample).abs() < 1e-12,
                    "n = {n}, SRC_{i}: {src:?} vs {sample}"
                );
                assert!(
                    (src.value - analytic[i]).abs() < 3.0 / (n as f64).sqrt(),
                    "n = {n}, SRC_{i}: {} vs {}",
                    src.value,
                    analytic[i]
                );
                // Without noise the interval collapses onto the value.
                assert!(
                    src.ci95_high - src.ci95_low < 1e-10,
                    "n = {n}, SRC_{i}: {src:?}"
                );
            }
        }
    }

    /// y = 2 x1 + x2 + σ ε on `n` uniform points, with σ² = 5/12 so that the expected
    /// R² is 1/2; returns the design, the output and the SRCs' true values given the
    /// sample (b_i s_i / s_y), which the OLS interval is for.
    fn noisy_linear(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>, [f64; 3]) {
        let x = uniform_design(n, 3, seed);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
        let sigma = (5.0_f64 / 12.0).sqrt();
        let y: Vec<f64> = x
            .iter()
            .map(|p| {
                let e: f64 = StandardNormal.sample(&mut rng);
                2.0 * p[0] + p[1] + sigma * e
            })
            .collect();
        let sd_y = sd(y.iter().copied());
        let truth = [
            2.0 * sd_of_factor(&x, 0) / sd_y,
            sd_of_factor(&x, 1) / sd_y,
            0.0,
        ];
        (x, y, truth)
    }

    #[test]
    fn with_noise_r2_is_near_its_expected_value() {
        // R² estimates ρ² = 1/2 with a standard deviation of about
        // sqrt(4 ρ² (1 - ρ²)² / n) = sqrt(0.5 / n).
        let n = 10_000;
        let (x, y, _) = noisy_linear(n, 7);
        let got = regression_indices(&x, &y).unwrap();
        assert!(
            (got.r2 - 0.5).abs() < 5.0 * (0.5 / n as f64).sqrt(),
            "R² = {}",
            got.r2
        );
    }

    #[test]
    fn src_intervals_cover_the_truth_95_percent_of_the_time() {
        // With 12 points and 3 factors there are 8 degrees of freedom: t intervals
        // cover 95% of the time; z intervals (1.96 instead of 2.306) would cover about
        // 91%. 6000 intervals put the coverage within ±0.01 of its value with room.
        let (mut covered, mut total) = (0, 0);
        for seed in 0..2000 {
            let (x, y, truth) = noisy_linear(12, seed);
            let got = regression_indices(&x, &y).unwrap();
            for (src, t) in got.src.iter().zip(truth) {
                covered += usize::from(src.ci95_low <= t && t <= src.ci95_high);
                total += 1;
            }
        }
        let coverage = covered as f64 / total as f64;
        assert!((0.935..=0.965).contains(&coverage), "coverage {coverage}");
    }

    #[test]
    fn intervals_shrink_as_one_over_root_n() {
        let width = |n: usize| {
            let (x, y, _) = noisy_linear(n, 3);
            let got = regression_indices(&x, &y).unwrap();
            let src: f64 = got.src.iter().map(|e| e.ci95_high - e.ci95_low).sum();
            let prcc: f64 = got.prcc.iter().map(|e| e.ci95_high - e.ci95_low).sum();
            (src, prcc)
        };
        let (src_small, prcc_small) = width(100);
        let (src_large, prcc_large) = width(10_000);
        // 100 times the points: a tenth of the width, give or take sampling error.
        for (small, large) in [(src_small, src_large), (prcc_small, prcc_large)] {
            let ratio = small / large;
            assert!((7.0..14.0).contains(&ratio), "{small} / {large} = {ratio}");
        }
    }

    /// A small data set with tied factor values and tied outputs.
    fn reference_data() -> (Vec<Vec<f64>>, Vec<f64>) {
        let x0 = [
            0.12, 0.95, 0.33, 0.57, 0.81, 0.05, 0.44, 0.69, 0.28, 0.76, 0.91, 0.18,
        ];
        let x1 = [2.0, 1.0, 3.0, 2.0, 1.0, 3.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0];
        let x2 = [5.1, 3.3, 4.7, 2.2, 6.0, 1.4, 3.9, 5.5, 2.8, 4.1, 1.9, 6.3];
        let y = vec![0.9, 3.1, 2.6, 2.1, 1.8, 1.7, 2.0, 3.4, 0.4, 2.6, 3.9, 0.1];
        let x = (0..12).map(|i| vec![x0[i], x1[i], x2[i]]).collect();
        (x, y)
    }

    #[test]
    fn matches_numpy_and_scipy_on_a_fixed_data_set() {
        // The values come from this script (numpy 2.4.6, scipy 1.17.1), which fits
        // with numpy's lstsq and takes residuals explicitly, independently of the QR
        // identities used here:
        //
        //     import numpy as np; from scipy import stats
        //     X = np.column_stack([x0, x1, x2]); n, k = X.shape; df = n - k - 1
        //     def ols(X, y):
        //         A = np.column_stack([np.ones(n), X])
        //         b = np.linalg.lstsq(A, y, rcond=None)[0]; e = y - A @ b
        //         se = np.sqrt(e @ e / df * np.diag(np.linalg.inv(A.T @ A)))
        //         return b[1:], se[1:], 1 - e @ e / np.sum((y - y.mean()) ** 2)
        //     b, se, r2 = ols(X, y); scale = X.std(0, ddof=1) / y.std(ddof=1)
        //     t = stats.t.ppf(0.975, df)
        //     src = b * scale; low, high = src - t * se * scale, src + t * se * scale
        //     p = 2 * stats.t.sf(abs(b / se), df)
        //     R = np.column_stack([stats.rankdata(c) for c in X.T]); ry = stats.rankdata(y)
        //     rank_r2 = ols(R, ry)[2]
        //     for i in range(k):
        //         O = np.column_stack([np.ones(n), np.delete(R, i, axis=1)])
        //         ex = R[:, i] - O @ np.linalg.lstsq(O, R[:, i], rcond=None)[0]
        //         ey = ry - O @ np.linalg.lstsq(O, ry, rcond=None)[0]
        //         r = stats.pearsonr(ex, ey)[0]
        //         h = stats.norm.ppf(0.975) / np.sqrt(n - 3 - (k - 1))
        //         low, high = np.tanh(np.arctanh(r) - h), np.tanh(np.arctanh(r) + h)
        //         T = r * np.sqrt((n - 2 - (k - 1)) / (1 - r * r))
        //         p = 2 * stats.t.sf(abs(T), n - 2 - (k - 1))
        let (x, y) = reference_data();
        let got = regression_indices(&x, &y).unwrap();
        let close = |name: &str, got: f64, expected: f64| {
            assert!(
                (got - expected).abs() <= 1e-12 * expected.abs().max(1e-3),
                "{name}: {got} vs {expected}"
            );
        };
        let check = |name: &str, got: &[Estimate], expected: [[f64; 4]; 3]| {
            for (i, (g, e)) in got.iter().zip(expected).enumerate() {
                close(&format!("{name}_{i}"), g.value, e[0]);
                close(&format!("{name}_{i} low"), g.ci95_low, e[1]);
                close(&format!("{name}_{i} high"), g.ci95_high, e[2]);
                close(&format!("{name}_{i} p"), g.p_value, e[3]);
            }
        };
        close("R²", got.r2, 0.9575693881017512);
        close("rank R²", got.rank_r2, 0.947048925048807);
        check(
            "SRC",
            &got.src,
            [
                [
                    0.797231907779719,
                    0.6283965682324035,
                    0.9660672473270344,
                    4.479470543921055e-06,
                ],
                [
                    0.6172208734327023,
                    0.4392037058031948,
                    0.7952380410622097,
                    4.385043772497596e-05,
                ],
                [
                    -0.04174975377938242,
                    -0.219292558875678,
                    0.13579305131691316,
                    0.6024099285349762,
                ],
            ],
        );
        check(
            "PRCC",
            &got.prcc,
            [
                [
                    0.9629175947578578,
                    0.8465147994644068,
                    0.9914495837306624,
                    7.910274912833103e-06,
                ],
                [
                    0.928675347734191,
                    0.7201115200784207,
                    0.983330303388789,
                    0.00010381784097532776,
                ],
                [
                    -0.01843707391638067,
                    -0.6406266808513805,
                    0.6183675252601641,
                    0.9596826075889079,
                ],
            ],
        );
    }

    #[test]
    fn prcc_sees_a_monotone_nonlinear_effect_that_src_underrates() {
        // y = exp(6 x1) + x2: both effects are monotone. The linear fit explains about
        // two thirds of the variance (below the 0.7 rule), rates x1 at about 0.82 and
        // all but misses x2 (about 0.01); in ranks the picture is nearly exact, PRCC
        // puts x1 near 1 and finds x2 (about 0.57). x3 does not enter.
        let x = uniform_design(2000, 3, 11);
        let y: Vec<f64> = x.iter().map(|p| (6.0 * p[0]).exp() + p[1]).collect();
        let got = regression_indices(&x, &y).unwrap();
        assert!(got.r2 < 0.7 && got.rank_r2 > 0.99, "{got:?}");
        assert!(
            got.prcc[0].value > 0.99 && got.src[0].value < 0.9,
            "{got:?}"
        );
        assert!(got.prcc[0].ci95_low > got.src[0].ci95_high, "{got:?}");
        assert!(
            got.src[1].value.abs() < 0.1 && got.prcc[1].ci95_low > 0.4,
            "{got:?}"
        );
        let unused = got.prcc[2];
        assert!(unused.value.abs() < 0.1, "{unused:?}");
        assert!(
            unused.ci95_low < 0.0 && 0.0 < unused.ci95_high,
            "{unused:?}"
        );
        assert!(unused.p_value > 0.05, "{unused:?}");
        assert!(
            got.prcc[0].p_value < 1e-300 && got.prcc[1].p_value < 1e-100,
            "{got:?}"
        );
    }

    #[test]
    fn an_output_that_is_a_rank_function_of_the_other_factors_leaves_prcc_undefined() {
        // rank(y) = rank(x1) exactly: x2 has nothing left to explain (0 / 0), x1 is
        // perfectly monotone.
        let x = uniform_design(30, 2, 5);
        let y: Vec<f64> = x.iter().map(|p| p[0].powi(3)).collect();
        let got = regression_indices(&x, &y).unwrap();
        let monotone = got.prcc[0];
        assert!(
            monotone.value > 1.0 - 1e-12 && monotone.ci95_low > 1.0 - 1e-6,
            "{monotone:?}"
        );
        assert!(monotone.p_value < 1e-100, "{monotone:?}");
        assert!(
            got.prcc[1].value.is_nan() && got.prcc[1].p_value.is_nan(),
            "{got:?}"
        );
    }

    #[test]
    fn ties_get_average_ranks() {
        // As scipy.stats.rankdata([3, 1, 3, 2, 3, -0.0, 0.0]).
        assert_eq!(
            ranks(&[3.0, 1.0, 3.0, 2.0, 3.0, -0.0, 0.0]),
            [6.0, 3.0, 6.0, 4.0, 6.0, 1.5, 1.5]
        );
        assert_eq!(ranks(&[2.5]), [1.0]);
        assert_eq!(ranks(&[7.0, 7.0, 7.0, 7.0]), [2.5; 4]);
    }

    #[test]
    fn t_distribution_matches_scipy() {
        // scipy.stats.t.ppf(0.975, df) and 2 * scipy.stats.t.sf(t, df), scipy 1.17.1.
        for (df, expected) in [
            (1, 12.706204736174694),
            (2, 4.302652729749462),
            (3, 3.1824463052837078),
            (5, 2.5705818356363146),
            (8, 2.306004135204166),
            (30, 2.0422724563012378),
            (59, 2.000995378088267),
            (60, 2.0002978220142604),
            (61, 1.999623584994939),
            (62, 1.9989715170333788),
            (200, 1.9718962236339088),
            (1000, 1.9623390808264083),
            (99_996, 1.959987708483578),
        ] {
            let got = t_quantile(0.975, df);
            assert!(
                (got - expected).abs() < 1e-12 * expected,
                "df {df}: {got} vs {expected}"
            );
        }
        for (p, df, expected) in [
            (0.995, 7, 3.4994832973504924),
            (0.9, 3, 1.637744353696209),
            (0.6, 12, 0.25903274567688733),
        ] {
            let got = t_quantile(p, df);
            assert!(
                (got - expected).abs() < 1e-12 * expected,
                "{p}, df {df}: {got} vs {expected}"
            );
        }
        for (t, df, expected) in [
            (0.5, 1, 0.7048327646991335),
            (2.0, 3, 0.13932596855884305),
            (1.0, 10, 0.34089313230206),
            (3.5, 8, 0.008079082260411886),
            (0.01, 60, 0.9920544635179308),
            (2.5, 61, 0.015124056972334224),
            (12.0, 40, 7.82417130425598e-15),
            (1.0, 100_000, 0.3173129275641102),
            (2.0, 100_000, 0.04550296345750651),
            (5.0, 1000, 6.767256364648635e-07),
            (40.0, 5000, 8.41485047193577e-304),
        ] {
            let got = t_two_sided_p(t, df);
            assert!(
                (got - expected).abs() < 1e-12 * expected,
                "t {t}, df {df}: {got} vs {expected}"
            );
            assert_eq!(t_two_sided_p(-t, df), got);
        }
        assert_eq!(t_two_sided_p(0.0, 5), 1.0);
        assert_eq!(t_two_sided_p(f64::INFINITY, 5), 0.0);
    }

    fn check_error(x: &[Vec<f64>], y: &[f64], expected: RegressionError) {
        assert_eq!(regression_indices(x, y).unwrap_err(), expected);
    }

    #[test]
    fn bad_designs_are_refused_with_the_reason() {
        use RegressionError::*;
        let x = uniform_design(8, 3, 1);
        let y: Vec<f64> = x.iter().map(|p| p[0] + p[1] * p[2]).collect();
        check_error(
            &x,
            &y[..7],
            LengthMismatch {
                points: 8,
                outputs: 7,
            },
        );
        let mut ragged = x.clone();
        ragged[4].pop();
        check_error(
            &ragged,
            &y,
            RaggedRow {
                point: 4,
                found: 2,
                expected: 3,
            },
        );
        check_error(&vec![vec![]; 8], &y, NoFactors);
        check_error(
            &[],
            &[],
            TooFewPoints {
                points: 0,
                factors: 0,
                needed: 3,
            },
        );
        check_error(
            &x[..5],
            &y[..5],
            TooFewPoints {
                points: 5,
                factors: 3,
                needed: 6,
            },
        );
        assert!(
            regression_indices(&x[..6], &y[..6]).is_ok(),
            "k + 3 points suffice"
        );
        let mut nan = x.clone();
        nan[2][1] = f64::NAN;
        assert!(matches!(
            regression_indices(&nan, &y),
            Err(NonFiniteFactor { point: 2, factor: 1, value }) if value.is_nan()
        ));
        let mut infinite = y.clone();
        infinite[6] = f64::INFINITY;
        check_error(
            &x,
            &infinite,
            NonFiniteOutput {
                point: 6,
                value: f64::INFINITY,
            },
        );
        let mut constant = x.clone();
        constant.iter_mut().for_each(|p| p[2] = 0.5);
        check_error(
            &constant,
            &y,
            ConstantFactor {
                factor: 2,
                value: 0.5,
            },
        );
        check_error(&x, &[4.0; 8], ConstantOutput { value: 4.0 });
        let mut collinear = x.clone();
        collinear
            .iter_mut()
            .for_each(|p| p[2] = 2.0 * p[0] - 3.0 * p[1] + 1.0);
        check_error(&collinear, &y, CollinearFactors { factor: 2 });
        let mut monotone = x.clone();
        monotone.iter_mut().for_each(|p| p[1] = p[0].powi(3));
        check_error(&monotone, &y, CollinearRanks { factor: 1 });
    }

    #[test]
    fn error_messages_name_the_column() {
        let message = RegressionError::CollinearFactors { factor: 3 }.to_string();
        assert!(
            message
                .starts_with("factor column 3 is (almost) a linear combination of columns 0 to 2"),
            "{message}"
        );
        let message = RegressionError::ConstantFactor {
            factor: 1,
            value: 0.5,
        }
        .to_string();
        assert!(
            message.starts_with("factor column 1 is 0.5 at every point"),
            "{message}"
        );
    }

    #[test]
    fn a_large_design_agrees_with_the_analytic_srcs() {
        // 40 factors with coefficients 1, 2, ..., 40 on 20,000 points: var(y) =
        // Σ i² / 12, SRC_i = i / sqrt(Σ j²).
        let (n, k) = (20_000, 40);
        let x = uniform_design(n, k, 99);
        let y: Vec<f64> = x
            .iter()
            .map(|p| p.iter().enumerate().map(|(i, v)| (i + 1) as f64 * v).sum())
            .collect();
        let got = regression_indices(&x, &y).unwrap();
        let norm = (1..=k).map(|i| (i * i) as f64).sum::<f64>().sqrt();
        for (i, src) in got.src.iter().enumerate() {
            let expected = (i + 1) as f64 / norm;
            assert!(
                (src.value - expected).abs() < 3.0 / (n as f64).sqrt(),
                "SRC_{i}: {src:?} vs {expected}"
            );
        }
        assert!((got.r2 - 1.0).abs() < 1e-12);
        assert!(
            got.prcc.iter().all(|e| e.value > 0.0 && e.value < 1.0),
            "{got:?}"
        );
    }
}
