//! The lattice's geometry: what a cell holds (one bit per kind), the torus, the views
//! an agent's vision and [`Neighbourhood`] give (as rows of cells, and as offsets to
//! sample), and the scans of a view (counting, listing, drawing an empty cell).
//!
//! It knows nothing of the agents' rules: it answers "what is in this view" quickly.
//! A view is a list of rows (`Span`s: a row offset and a half-width) precomputed from
//! the vision and the neighbourhood, so scanning a view reads a few contiguous runs of
//! `kind` bytes, eight cells to a 64-bit word.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use crate::model::civil_violence::params::Neighbourhood;

// What a cell holds: one bit each, so a word of eight cells can be tallied at once
// (see `tally`).
pub(super) const EMPTY: u8 = 0;
pub(super) const ACTIVE: u8 = 1;
pub(super) const COP: u8 = 2;
pub(super) const QUIET: u8 = 4;
/// A jailed citizen keeping its cell (`JailRule::InPlace`).
pub(super) const JAILED: u8 = 8;

/// Empty cells after the last, so a word of eight can be read from any cell.
pub(super) const PADDING: usize = 8;

/// One row of a view: the cells x - half ..= x + half of row y + dy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    dy: i32,
    half: i32,
}

/// The rows of the view of an agent with `vision` (its own cell included; callers
/// account for it).
fn view(neighbourhood: Neighbourhood, vision: f64) -> Vec<Span> {
    let r = vision.floor() as i32;
    (-r..=r)
        .map(|dy| {
            let half = match neighbourhood {
                Neighbourhood::Euclidean => (0..=r)
                    .rev()
                    .find(|&dx| f64::from(dx * dx + dy * dy) <= vision * vision)
                    .unwrap_or(0),
                Neighbourhood::VonNeumann => r - dy.abs(),
                Neighbourhood::Moore => r,
                Neighbourhood::Cross => {
                    if dy == 0 {
                        r
                    } else {
                        0
                    }
                }
            };
            Span { dy, half }
        })
        .collect()
}

/// Cells in a view, the agent's own included.
pub(super) fn view_cells(spans: &[Span]) -> usize {
    spans.iter().map(|s| 2 * s.half as usize + 1).sum()
}

/// Cells an agent sees, its own excluded.
#[cfg(test)]
pub(super) fn view_size(spans: &[Span]) -> usize {
    view_cells(spans) - 1
}

/// A view two ways: as rows, to scan, and as a list of offsets (dx, dy) without the
/// agent's own cell, to sample.
#[derive(Debug, Clone)]
pub(super) struct View {
    pub(super) spans: Vec<Span>,
    offsets: Vec<(i32, i32)>,
}

impl View {
    pub(super) fn new(neighbourhood: Neighbourhood, vision: f64) -> Self {
        let spans = view(neighbourhood, vision);
        let offsets = spans
            .iter()
            .flat_map(|s| (-s.half..=s.half).map(move |dx| (dx, s.dy)))
            .filter(|&o| o != (0, 0))
            .collect();
        View { spans, offsets }
    }
}

/// Rejection tries before rule M falls back to scanning the view.
const MOVE_TRIES: usize = 16;

/// Rule M's target: a uniformly random empty cell in `view` around `from`, if any.
/// Drawn by rejection (a uniformly random cell of the view until one is empty, which
/// is uniform over the empty ones), and after [`MOVE_TRIES`] misses by scanning the
/// view and drawing among its empty cells (uniform too), so a crowded view costs a
/// bounded number of draws.
pub(super) fn random_empty_in_view(
    torus: Torus,
    kind: &[u8],
    from: u32,
    view: &View,
    rng: &mut Xoshiro256PlusPlus,
    scratch: &mut [u32],
) -> Option<u32> {
    for _ in 0..MOVE_TRIES {
        let (dx, dy) = view.offsets[below(rng, view.offsets.len())];
        let cell = torus.shift(from, dx, dy);
        if kind[cell as usize] == EMPTY {
            return Some(cell);
        }
    }
    let n = collect(torus, kind, from, &view.spans, EMPTY, scratch);
    (n > 0).then(|| scratch[below(rng, n)])
}

/// The torus's shape.
#[derive(Debug, Clone, Copy)]
pub(super) struct Torus {
    pub(super) w: i32,
    pub(super) h: i32,
}

impl Torus {
    /// The cell (dx, dy) away from `cell`, |dx| < w and |dy| < h.
    #[inline]
    pub(super) fn shift(self, cell: u32, dx: i32, dy: i32) -> u32 {
        let (w, h) = (self.w, self.h);
        let mut x = cell as i32 % w + dx;
        let mut y = cell as i32 / w + dy;
        if x < 0 {
            x += w;
        } else if x >= w {
            x -= w;
        }
        if y < 0 {
            y += h;
        } else if y >= h {
            y -= h;
        }
        (y * w + x) as u32
    }

    /// Calls `f(start, end)` for each contiguous run of cell numbers in the view
    /// `spans` around `cell`. Validation guarantees a view spans at most the torus, so
    /// a row wraps at most once and no cell comes twice.
    #[inline]
    pub(super) fn ranges(self, cell: u32, spans: &[Span], mut f: impl FnMut(usize, usize)) {
        let (w, h) = (self.w, self.h);
        let (x, y) = (cell as i32 % w, cell as i32 / w);
        for s in spans {
            let mut row = y + s.dy;
            if row < 0 {
                row += h;
            } else if row >= h {
                row -= h;
            }
            let base = (row * w) as usize;
            let (lo, hi) = (x - s.half, x + s.half);
            if lo < 0 {
                f(base + (lo + w) as usize, base + w as usize);
                f(base, base + hi as usize + 1);
            } else if hi >= w {
                f(base + lo as usize, base + w as usize);
                f(base, base + (hi - w) as usize + 1);
            } else {
                f(base + lo as usize, base + hi as usize + 1);
            }
        }
    }
}

/// Writes to the front of `out` the cells in the view `spans` around `cell` that hold
/// `what`, and returns how many there are. `out` must hold at least as many cells as
/// the view.
#[inline]
pub(super) fn collect(
    torus: Torus,
    kind: &[u8],
    cell: u32,
    spans: &[Span],
    what: u8,
    out: &mut [u32],
) -> usize {
    let mut n = 0;
    torus.ranges(cell, spans, |start, end| {
        n = compact(&kind[start..end], start, what, out, n);
    });
    n
}

/// Appends to `out[n..]` the cells `start + i` whose `kind[i]` is `what`; returns the
/// new count. Branch-free (every cell is written, and kept by advancing the count),
/// since empty cells come at random; the count stays in a register.
#[inline]
fn compact(kind: &[u8], start: usize, what: u8, out: &mut [u32], mut n: usize) -> usize {
    for (i, &k) in kind.iter().enumerate() {
        out[n] = (start + i) as u32;
        n += usize::from(k == what);
    }
    n
}

/// Cops and actives in cells `start..end` of `kind` (which must hold `PADDING` cells
/// past `end`), eight cells to a word: the low bit of each byte is `ACTIVE`, the next
/// `COP`, and multiplying the masked word by 0x0101...01 sums its bytes into the top
/// byte.
#[inline]
pub(super) fn tally(kind: &[u8], start: usize, end: usize) -> (u32, u32) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    let (mut cops, mut actives) = (0u64, 0u64);
    let mut at = start;
    while at < end {
        let bytes: [u8; 8] = kind[at..at + 8].try_into().expect("eight cells");
        let mut word = u64::from_le_bytes(bytes);
        let left = end - at;
        if left < 8 {
            word &= (1u64 << (8 * left)) - 1;
        }
        actives += ((word & LOW).wrapping_mul(LOW)) >> 56;
        cops += (((word >> 1) & LOW).wrapping_mul(LOW)) >> 56;
        at += 8;
    }
    (cops as u32, actives as u32)
}

/// A uniformly random number in 0..n (n > 0), drawn as a u32 so the stream does not
/// depend on the platform's pointer width.
#[inline]
pub(super) fn below(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    rng.random_range(0..n as u32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_have_the_documented_sizes() {
        let size = |n, v| view_size(&view(n, v));
        assert_eq!(size(Neighbourhood::Euclidean, 7.0), 148);
        assert_eq!(
            size(Neighbourhood::Euclidean, 1.7),
            8,
            "the paper's 1.7: Moore"
        );
        assert_eq!(size(Neighbourhood::Euclidean, 1.0), 4);
        assert_eq!(size(Neighbourhood::VonNeumann, 7.0), 112, "Mesa's 2r(r+1)");
        assert_eq!(size(Neighbourhood::VonNeumann, 1.7), 4);
        assert_eq!(size(Neighbourhood::Moore, 7.0), 224);
        assert_eq!(size(Neighbourhood::Cross, 7.0), 28);
    }

    #[test]
    fn views_wrap_around_the_torus_without_seeing_a_cell_twice() {
        let torus = Torus { w: 15, h: 15 };
        for n in [
            Neighbourhood::Euclidean,
            Neighbourhood::VonNeumann,
            Neighbourhood::Moore,
            Neighbourhood::Cross,
        ] {
            let spans = view(n, 7.0);
            for cell in [0u32, 14, 112, 224] {
                let mut seen = vec![0u8; 225];
                torus.ranges(cell, &spans, |s, e| {
                    for c in &mut seen[s..e] {
                        *c += 1;
                    }
                });
                assert!(seen.iter().all(|&c| c <= 1), "{n:?} at {cell}");
                let total: usize = seen.iter().map(|&c| c as usize).sum();
                assert_eq!(total, view_size(&spans) + 1, "{n:?} at {cell}");
            }
        }
        // The corner (0, 0) sees (14, 14) across both seams with a Moore view.
        let mut corner = Vec::new();
        torus.ranges(0, &view(Neighbourhood::Moore, 1.0), |s, e| {
            corner.extend(s as u32..e as u32)
        });
        corner.sort_unstable();
        assert_eq!(corner, [0, 1, 14, 15, 16, 29, 210, 211, 224]);
    }

    #[test]
    fn tally_counts_cops_and_actives_across_words() {
        let mut kind = vec![EMPTY; 20 + PADDING];
        for (cell, k) in [
            (0, ACTIVE),
            (3, COP),
            (7, ACTIVE),
            (8, COP),
            (9, QUIET),
            (12, JAILED),
        ] {
            kind[cell] = k;
        }
        kind[15] = ACTIVE;
        assert_eq!(tally(&kind, 0, 20), (2, 3));
        // The end is exclusive, inside a word too.
        assert_eq!(tally(&kind, 0, 7), (1, 1));
        assert_eq!(tally(&kind, 8, 15), (1, 0));
        assert_eq!(tally(&kind, 3, 3), (0, 0));
    }

    #[test]
    fn collect_lists_the_cells_of_a_kind_in_a_view() {
        let torus = Torus { w: 5, h: 5 };
        let mut kind = vec![EMPTY; 25 + PADDING];
        // Around cell 12 (2, 2) with a Moore view of 1: cells 6-8, 11-13, 16-18.
        for cell in [6, 13, 17, 0] {
            kind[cell] = ACTIVE;
        }
        let spans = view(Neighbourhood::Moore, 1.0);
        let mut out = vec![0; view_cells(&spans)];
        let n = collect(torus, &kind, 12, &spans, ACTIVE, &mut out);
        assert_eq!(&out[..n], [6, 13, 17], "cell 0 is out of view");
        assert_eq!(collect(torus, &kind, 12, &spans, EMPTY, &mut out), 6);
        assert_eq!(torus.shift(0, -1, -1), 24, "across both seams");
    }
}
