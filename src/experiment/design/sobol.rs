//! The Sobol sequence behind the Sobol (Saltelli) design: an unscrambled sequence in
//! Gray-code order with Joe and Kuo's (2008) direction numbers, embedded here for the
//! first [`SOBOL_DIMENSIONS`] dimensions.
//!
//! This file makes unit coordinates only; turning them into parameter values and the
//! Saltelli layout of rows belong to the design module (`design/mod.rs`).

/// Dimensions of the embedded Joe-Kuo direction numbers.
pub const SOBOL_DIMENSIONS: usize = 64;

/// Bits of each Sobol coordinate (Joe and Kuo's `sobol.cc` uses 32).
const SOBOL_BITS: usize = 32;

/// An unscrambled Sobol sequence in Gray-code order (Antonov and Saleev 1979), with
/// the direction numbers of Joe and Kuo (2008), as their `sobol.cc` computes it: the
/// first point is all zeros, and point `i` is point `i - 1` XOR the direction number
/// indexed by the position of the rightmost zero bit of `i - 1`.
///
/// # Examples
/// ```
/// use cogov::experiment::design::SobolSequence;
/// let first: Vec<Vec<f64>> = SobolSequence::new(2).unwrap().take(4).collect();
/// assert_eq!(first, [[0.0, 0.0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]);
/// ```
#[derive(Debug, Clone)]
pub struct SobolSequence {
    /// Direction numbers `V[dimension][bit]`, as 32-bit binary fractions.
    directions: Vec<[u32; SOBOL_BITS]>,
    /// The last point produced, as 32-bit binary fractions.
    state: Vec<u32>,
    /// Points produced so far.
    produced: u64,
}

impl SobolSequence {
    /// The sequence of `dimensions` dimensions, or `None` unless
    /// `1 <= dimensions <= SOBOL_DIMENSIONS`.
    pub fn new(dimensions: usize) -> Option<SobolSequence> {
        if dimensions == 0 || dimensions > SOBOL_DIMENSIONS {
            return None;
        }
        let mut directions = Vec::with_capacity(dimensions);
        // Dimension 1: the van der Corput sequence in base 2.
        let mut first = [0u32; SOBOL_BITS];
        for (bit, v) in first.iter_mut().enumerate() {
            *v = 1 << (31 - bit);
        }
        directions.push(first);
        for &(_, s, a, m) in JOE_KUO.iter().take(dimensions - 1) {
            let s = s as usize;
            let mut v = [0u32; SOBOL_BITS];
            for bit in 0..s.min(SOBOL_BITS) {
                v[bit] = m[bit] << (31 - bit);
            }
            for bit in s..SOBOL_BITS {
                v[bit] = v[bit - s] ^ (v[bit - s] >> s);
                for k in 1..s {
                    if (a >> (s - 1 - k)) & 1 == 1 {
                        v[bit] ^= v[bit - k];
                    }
                }
            }
            directions.push(v);
        }
        Some(SobolSequence {
            directions,
            state: vec![0; dimensions],
            produced: 0,
        })
    }
}

impl Iterator for SobolSequence {
    type Item = Vec<f64>;

    fn next(&mut self) -> Option<Vec<f64>> {
        if self.produced >= 1 << SOBOL_BITS {
            return None;
        }
        if self.produced > 0 {
            let bit = (self.produced - 1).trailing_ones() as usize;
            for (x, v) in self.state.iter_mut().zip(&self.directions) {
                *x ^= v[bit];
            }
        }
        self.produced += 1;
        let scale = 1.0 / (1u64 << SOBOL_BITS) as f64;
        Some(self.state.iter().map(|&x| f64::from(x) * scale).collect())
    }
}

/// Joe and Kuo's direction numbers `new-joe-kuo-6.21201`, dimensions 2 to 64 (the
/// first dimension needs none): `(d, s, a, m_1..m_s)` as in their file, with `s` the
/// degree of the primitive polynomial, `a` its inner coefficients as bits and `m_i`
/// the initial direction numbers. Source: S. Joe and F. Y. Kuo, "Constructing Sobol
/// sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30
/// (2008) 2635-2654, <https://web.maths.unsw.edu.au/~fkuo/sobol/>; these lines were
/// checked against the copies shipped by SALib (`SALib/sample/directions.py`) and the
/// `sobol` crate (1.0.2).
#[rustfmt::skip]
const JOE_KUO: [(u32, u32, u32, &[u32]); SOBOL_DIMENSIONS - 1] = [
    (2, 1, 0, &[1]),
    (3, 2, 1, &[1, 3]),
    (4, 3, 1, &[1, 3, 1]),
    (5, 3, 2, &[1, 1, 1]),
    (6, 4, 1, &[1, 1, 3, 3]),
    (7, 4, 4, &[1, 3, 5, 13]),
    (8, 5, 2, &[1, 1, 5, 5, 17]),
    (9, 5, 4, &[1, 1, 5, 5, 5]),
    (10, 5, 7, &[1, 1, 7, 11, 19]),
    (11, 5, 11, &[1, 1, 5, 1, 1]),
    (12, 5, 13, &[1, 1, 1, 3, 11]),
    (13, 5, 14, &[1, 3, 5, 5, 31]),
    (14, 6, 1, &[1, 3, 3, 9, 7, 49]),
    (15, 6, 13, &[1, 1, 1, 15, 21, 21]),
    (16, 6, 16, &[1, 3, 1, 13, 27, 49]),
    (17, 6, 19, &[1, 1, 1, 15, 7, 5]),
    (18, 6, 22, &[1, 3, 1, 15, 13, 25]),
    (19, 6, 25, &[1, 1, 5, 5, 19, 61]),
    (20, 7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (21, 7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (22, 7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (23, 7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (24, 7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (25, 7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (26, 7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (27, 7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (28, 7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (29, 7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (30, 7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (31, 7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (32, 7, 42, &[1, 3, 7, 3, 13, 59, 17]),
    (33, 7, 50, &[1, 3, 1, 3, 5, 53, 69]),
    (34, 7, 55, &[1, 1, 5, 5, 23, 33, 13]),
    (35, 7, 56, &[1, 1, 7, 7, 1, 61, 123]),
    (36, 7, 59, &[1, 1, 7, 9, 13, 61, 49]),
    (37, 7, 62, &[1, 3, 3, 5, 3, 55, 33]),
    (38, 8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (39, 8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (40, 8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (41, 8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]),
    (42, 8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (43, 8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]),
    (44, 8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (45, 8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]),
    (46, 8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (47, 8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]),
    (48, 8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (49, 8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]),
    (50, 8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (51, 8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]),
    (52, 8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (53, 8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]),
    (54, 9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (55, 9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]),
    (56, 9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (57, 9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]),
    (58, 9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (59, 9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]),
    (60, 9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (61, 9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]),
    (62, 9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (63, 9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]),
    (64, 9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 8 points of dimensions 1 to 4 of the unscrambled Sobol sequence with
    /// Joe and Kuo's `new-joe-kuo-6.21201` direction numbers, point 0 first.
    ///
    /// Dimensions 1 and 2: SciPy's `scipy/stats/tests/test_qmc.py`, `TestSobol.
    /// unscramble_nd` ("theoretical values from Joe Kuo 2010"). Dimension 3: SciPy's
    /// `test_Unscrambled3DSobol`, `expected_dim3 = [0, 0.5, 0.25, 0.75, 0.625, 0.125,
    /// 0.875, 0.375, ...]` (SciPy >= 1.7, which reads `new-joe-kuo-6.21201`).
    /// Dimension 4 worked by hand from Joe and Kuo's recurrence and their line
    /// `4 3 1 1 3 1`: V = (1/2, 3/4, 1/8), points XOR V[rightmost zero bit of i - 1].
    const PUBLISHED_SOBOL: [[f64; 8]; 4] = [
        [0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125],
        [0.0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625],
        [0.0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375],
        [0.0, 0.5, 0.25, 0.75, 0.875, 0.375, 0.625, 0.125],
    ];

    #[test]
    fn the_first_sobol_points_match_the_published_values() {
        let got: Vec<Vec<f64>> = SobolSequence::new(4).unwrap().take(8).collect();
        for (dim, want) in PUBLISHED_SOBOL.iter().enumerate() {
            let column: Vec<f64> = got.iter().map(|p| p[dim]).collect();
            assert_eq!(column, want, "dimension {}", dim + 1);
        }
        // SciPy's dimension 3 continues 0.9375, 0.4375.
        let third: Vec<f64> = SobolSequence::new(3)
            .unwrap()
            .take(10)
            .map(|p| p[2])
            .collect();
        assert_eq!(&third[8..], [0.9375, 0.4375]);
    }

    #[test]
    fn the_direction_table_is_whole_and_consistent() {
        for (i, &(d, s, a, m)) in JOE_KUO.iter().enumerate() {
            assert_eq!(d as usize, i + 2);
            assert_eq!(s as usize, m.len(), "dimension {d}");
            assert!(a < 1 << (s - 1), "dimension {d}");
            for (bit, &mi) in m.iter().enumerate() {
                // Each m_i is odd and below 2^i (1-based i).
                assert!(mi % 2 == 1 && mi < 1 << (bit + 1), "dimension {d}");
            }
        }
        assert!(SobolSequence::new(0).is_none());
        assert!(SobolSequence::new(SOBOL_DIMENSIONS).is_some());
        assert!(SobolSequence::new(SOBOL_DIMENSIONS + 1).is_none());
    }

    #[test]
    fn every_dimension_of_the_first_power_of_two_points_is_a_permutation_of_the_strata() {
        // A Sobol sequence is a (t, s)-sequence: each coordinate of points 0..2^m
        // takes every value i / 2^m exactly once.
        let m = 10;
        let points: Vec<Vec<f64>> = SobolSequence::new(SOBOL_DIMENSIONS)
            .unwrap()
            .take(1 << m)
            .collect();
        for dim in 0..SOBOL_DIMENSIONS {
            let mut cells: Vec<u64> = points
                .iter()
                .map(|p| (p[dim] * f64::from(1u32 << m)) as u64)
                .collect();
            cells.sort_unstable();
            assert_eq!(cells, (0..1u64 << m).collect::<Vec<_>>(), "dim {}", dim + 1);
        }
    }
}
