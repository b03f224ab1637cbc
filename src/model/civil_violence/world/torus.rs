//! The lattice's geometry: what a cell holds (one bit per kind), the torus, the views
//! an agent's vision and [`Neighbourhood`] give (as rows of cells, and as offsets to
//! sample), and the scans of a view (counting, listing, drawing an empty cell).
//!
//! It knows nothing of the agents' rules: it answers "what is in this view" quickly.
//! A view is a list of rows (`Span`s: a row offset and a half-width) precomputed from
//! the vision and the neighbourhood, and a list of cells (offsets) in the same order.
//! Counting the cops and actives in a view ([`ViewCounts`]) takes one subtraction per
//! row of the view from running sums along each row when the torus is narrow against
//! the view (Mesa's and the paper's runs), and otherwise scans the view's rows eight
//! cells to a 64-bit word. A cell (dx, dy) away is found through two small tables of
//! wrapped columns and rows, without a division or a branch.

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

/// A view two ways: as rows, to count, and as a list of cells without the agent's
/// own, to sample and to list. A cell (dx, dy) is stored as
/// `(dx + w) | (dy + h) << 16`, its columns and rows shifted into the tables of
/// [`Torus::at`]; the list runs row by row from the top, each row from the left, so
/// listing a view's cells of a kind gives them in the order of a scan of its rows.
#[derive(Debug, Clone)]
pub(super) struct View {
    pub(super) spans: Vec<Span>,
    offsets: Vec<u32>,
    /// With [`RowSums`]: the view's rows, set by [`ViewCounts::new`].
    sums_at: Vec<RowRun>,
}

impl View {
    pub(super) fn new(neighbourhood: Neighbourhood, vision: f64, torus: &Torus) -> Self {
        let spans = view(neighbourhood, vision);
        let (w, h) = (torus.w, torus.h);
        let offsets = spans
            .iter()
            .flat_map(|s| (-s.half..=s.half).map(move |dx| (dx, s.dy)))
            .filter(|&o| o != (0, 0))
            .map(|(dx, dy)| (dx + w) as u32 | ((dy + h) as u32) << 16)
            .collect();
        View {
            spans,
            offsets,
            sums_at: Vec::new(),
        }
    }
}

/// Rejection tries before rule M falls back to scanning the view.
const MOVE_TRIES: usize = 16;

/// Rule M's target: a uniformly random empty cell in `view` around `from`, if any.
/// Drawn by rejection (a uniformly random cell of the view until one is empty, which
/// is uniform over the empty ones), and after [`MOVE_TRIES`] misses by listing the
/// view's empty cells and drawing among them (uniform too), so a crowded view costs a
/// bounded number of draws.
#[inline(always)]
pub(super) fn random_empty_in_view(
    torus: &Torus,
    kind: &[u8],
    from: u32,
    view: &View,
    rng: &mut Xoshiro256PlusPlus,
    scratch: &mut [u32],
) -> Option<u32> {
    let xy = torus.packed_xy(from);
    // The generator in a local, so its state stays in registers.
    let mut r = rng.clone();
    let mut found = None;
    for _ in 0..MOVE_TRIES {
        let cell = torus.at(xy, view.offsets[below(&mut r, view.offsets.len())]);
        if kind[cell as usize] == EMPTY {
            found = Some(cell);
            break;
        }
    }
    *rng = r;
    if found.is_some() {
        return found;
    }
    any_empty_in_view(torus, kind, from, view, rng, scratch)
}

/// Rule M's fallback: a uniformly random one of the empty cells of `view` around
/// `from`, if any, listed in `scratch`.
#[cold]
#[inline(never)]
fn any_empty_in_view(
    torus: &Torus,
    kind: &[u8],
    from: u32,
    view: &View,
    rng: &mut Xoshiro256PlusPlus,
    scratch: &mut [u32],
) -> Option<u32> {
    let n = collect(torus, kind, from, view, EMPTY, scratch);
    (n > 0).then(|| scratch[below(rng, n)])
}

/// The torus's shape, and tables to wrap columns and rows.
#[derive(Debug, Clone)]
pub(super) struct Torus {
    pub(super) w: i32,
    pub(super) h: i32,
    /// ceil(2^64 / w), so that a cell's row is a multiplication, not a division:
    /// (cell * inv_w) >> 64 = cell / w for every 32-bit cell (Lemire, Kaser and Kurz
    /// 2019, "Faster remainder by direct computation").
    inv_w: u64,
    /// Columns and rows wrapped: `wrap[i]` = i mod w for i < 3w (a column), and
    /// `wrap[WRAP + i]` = (i mod h) w for i < 3h (the first cell of a row).
    wrap: Box<[u32; 2 * WRAP]>,
}

/// Entries of each of [`Torus`]'s tables: 3 x 10,000 (the longest side) fit, so an
/// index masked to 15 bits needs no bounds check.
const WRAP: usize = 1 << 15;

impl Torus {
    /// A `w` x `h` torus; validation guarantees w >= 3 (a view is at least 3 wide).
    pub(super) fn new(w: u32, h: u32) -> Self {
        assert!(w >= 2, "a torus at least 2 cells wide");
        Torus {
            w: w as i32,
            h: h as i32,
            inv_w: u64::MAX / u64::from(w) + 1,
            wrap: Self::tables(w, h),
        }
    }

    fn tables(w: u32, h: u32) -> Box<[u32; 2 * WRAP]> {
        assert!(
            3 * w.max(h) as usize <= WRAP,
            "sides of at most {} cells",
            WRAP / 3
        );
        let mut t: Box<[u32; 2 * WRAP]> = vec![0; 2 * WRAP]
            .into_boxed_slice()
            .try_into()
            .expect("2 WRAP entries");
        let (cols, rows) = t.split_at_mut(WRAP);
        for (i, e) in cols.iter_mut().take(3 * w as usize).enumerate() {
            *e = i as u32 % w;
        }
        for (i, e) in rows.iter_mut().take(3 * h as usize).enumerate() {
            *e = i as u32 % h * w;
        }
        t
    }

    /// A column of -w..2w wrapped onto the torus (given as column + w).
    #[inline]
    fn col(&self, shifted: usize) -> u32 {
        self.wrap[shifted & (WRAP - 1)]
    }

    /// The first cell of a row of -h..2h wrapped onto the torus (given as row + h).
    #[inline]
    fn row(&self, shifted: usize) -> u32 {
        self.wrap[WRAP + (shifted & (WRAP - 1))]
    }

    /// The column and row of `cell`.
    #[inline]
    pub(super) fn xy(&self, cell: u32) -> (usize, usize) {
        let y = ((u128::from(cell) * u128::from(self.inv_w)) >> 64) as u32;
        ((cell - y * self.w as u32) as usize, y as usize)
    }

    /// The column and row of `cell` in one word, x | y << 16, as a [`View`]'s
    /// offsets are.
    #[inline]
    pub(super) fn packed_xy(&self, cell: u32) -> u32 {
        let (x, y) = self.xy(cell);
        (x | y << 16) as u32
    }

    /// The cell at `offset` (a [`View`]'s) from `xy` ([`Torus::packed_xy`]). Columns
    /// and rows stay below 3 x 10,000, so adding the two halves never carries.
    #[inline]
    pub(super) fn at(&self, xy: u32, offset: u32) -> u32 {
        let sum = (xy + offset) as usize;
        self.row(sum >> 16) + self.col(sum & 0xffff)
    }

    /// The cell (dx, dy) away from `cell`, |dx| < w and |dy| < h.
    #[cfg(test)]
    pub(super) fn shift(&self, cell: u32, dx: i32, dy: i32) -> u32 {
        let offset = (dx + self.w) as u32 | ((dy + self.h) as u32) << 16;
        self.at(self.packed_xy(cell), offset)
    }

    /// Calls `f(start, end)` for each contiguous run of cell numbers in the view
    /// `spans` around `cell`. Validation guarantees a view spans at most the torus, so
    /// a row wraps at most once and no cell comes twice.
    #[inline]
    fn ranges(&self, cell: u32, spans: &[Span], mut f: impl FnMut(usize, usize)) {
        let (w, h) = (self.w, self.h);
        let (x, y) = self.xy(cell);
        let (x, y) = (x as i32, y as i32);
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

/// Writes to the front of `out` the cells of `view` around `from` (its own included)
/// that hold `what`, in the order of a scan of the view's rows from the top, each
/// from the left (the order of its list of cells), and returns how many there are.
/// `out` must hold at least as many cells as the view.
#[inline(never)]
pub(super) fn collect(
    torus: &Torus,
    kind: &[u8],
    from: u32,
    view: &View,
    what: u8,
    out: &mut [u32],
) -> usize {
    let (x, y) = torus.xy(from);
    let w = torus.w as usize;
    let mut n = 0;
    for s in &view.spans {
        let row = torus.row((y as i32 + s.dy + torus.h) as usize) as usize;
        let half = s.half as usize;
        let start = torus.col(x + w - half) as usize;
        let len = 2 * half + 1;
        // The row's cells from `start`, wrapping past the seam at most once.
        let first = len.min(w - start);
        n = compact(
            &kind[row + start..row + start + first],
            row + start,
            what,
            out,
            n,
        );
        n = compact(&kind[row..row + len - first], row, what, out, n);
    }
    n
}

/// Appends to `out[n..]` the cells `start + i` whose `kind[i]` is `what`; returns the
/// new count. Branch-free (every cell is written, and kept by advancing the count),
/// since the cells come at random.
#[inline]
fn compact(kind: &[u8], start: usize, what: u8, out: &mut [u32], mut n: usize) -> usize {
    for (i, &k) in kind.iter().enumerate() {
        out[n] = (start + i) as u32;
        n += usize::from(k == what);
    }
    n
}

/// How the cops and actives in a view are counted: from running sums along each row
/// ([`RowSums`], which every change of a cop or an active keeps up to date at a cost
/// of up to w + 2 mx entries, mx the views' half-width), or by scanning the view's
/// cells eight to a word ([`tally`]). The sums pay when the torus is narrow against
/// the view: they are chosen when the torus's width is at most the citizens' view (in
/// cells) and no view holds more than 65,535 cells, as in Mesa's and the paper's runs
/// at vision 7 (40 against 113 or 149 cells); the paper's run 1 (vision 1.7) and wide
/// tori scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ViewCounts {
    Rows(RowSums),
    Scan,
}

impl ViewCounts {
    /// Counts for the lattice `kind` and the citizens' and cops' views, which it
    /// prepares to be counted this way.
    pub(super) fn new(torus: &Torus, kind: &[u8], views: [&mut View; 2]) -> Self {
        let largest = views
            .iter()
            .map(|v| view_cells(&v.spans))
            .max()
            .unwrap_or(0);
        if torus.w as usize > view_cells(&views[0].spans) || largest > usize::from(u16::MAX) {
            return ViewCounts::Scan;
        }
        let mx = views
            .iter()
            .flat_map(|v| &v.spans)
            .map(|s| s.half as usize)
            .max()
            .unwrap_or(0);
        let sums = RowSums::new(torus, kind, mx);
        for v in views {
            v.sums_at = v
                .spans
                .iter()
                .map(|s| {
                    let half = s.half as usize;
                    RowRun {
                        row: (s.dy + torus.h) as usize,
                        start: mx - half,
                        len: 2 * half + 1,
                    }
                })
                .collect();
            // Longest rows first: a count that may stop early reaches enough soonest.
            v.sums_at.sort_by_key(|r| std::cmp::Reverse(r.len));
        }
        ViewCounts::Rows(sums)
    }

    /// The same counts computed afresh from `kind` (to check the running ones).
    #[cfg(test)]
    pub(super) fn recount(&self, torus: &Torus, kind: &[u8]) -> Self {
        match self {
            ViewCounts::Rows(s) => ViewCounts::Rows(RowSums::new(torus, kind, s.mx)),
            ViewCounts::Scan => ViewCounts::Scan,
        }
    }

    /// Cops and actives in `view` around `cell`, the cell itself included.
    #[inline]
    pub(super) fn count(&self, torus: &Torus, kind: &[u8], cell: u32, view: &View) -> (u32, u32) {
        match self {
            ViewCounts::Rows(sums) => (
                sums.count(Lane::Cops, torus.xy(cell), &view.sums_at, u32::MAX),
                sums.count(Lane::Actives, torus.xy(cell), &view.sums_at, u32::MAX),
            ),
            ViewCounts::Scan => scan(torus, kind, cell, &view.spans, (u32::MAX, u32::MAX)),
        }
    }

    /// The cops in `view` around `cell`, counted until there are `enough`: the
    /// exact number if it is below `enough`, else at least `enough`.
    #[inline(always)]
    pub(super) fn cops_up_to(
        &self,
        torus: &Torus,
        kind: &[u8],
        cell: u32,
        view: &View,
        enough: u32,
    ) -> u32 {
        match self {
            ViewCounts::Rows(sums) => sums.count(Lane::Cops, torus.xy(cell), &view.sums_at, enough),
            ViewCounts::Scan => scan(torus, kind, cell, &view.spans, (enough, 0)).0,
        }
    }

    /// Whether `view` around `cell` holds an active.
    #[inline]
    pub(super) fn any_active(&self, torus: &Torus, kind: &[u8], cell: u32, view: &View) -> bool {
        match self {
            ViewCounts::Rows(sums) => {
                sums.count(Lane::Actives, torus.xy(cell), &view.sums_at, 1) > 0
            }
            ViewCounts::Scan => scan(torus, kind, cell, &view.spans, (0, 1)).1 > 0,
        }
    }

    /// Records that `cell` changed from kind `was` to `now`.
    #[inline]
    pub(super) fn changed(&mut self, torus: &Torus, cell: u32, was: u8, now: u8) {
        if let ViewCounts::Rows(sums) = self
            && was != now
        {
            if let Some(lane) = Lane::of(was) {
                sums.add(lane, torus.xy(cell), u16::MAX);
            }
            if let Some(lane) = Lane::of(now) {
                sums.add(lane, torus.xy(cell), 1);
            }
        }
    }

    /// Records that what `from` held (of kind `k`) moved to `to`.
    #[inline(always)]
    pub(super) fn moved(&mut self, torus: &Torus, from: u32, to: u32, k: u8) {
        let Some(lane) = Lane::of(k) else {
            return;
        };
        if let ViewCounts::Rows(sums) = self {
            sums.add(lane, torus.xy(from), u16::MAX);
            sums.add(lane, torus.xy(to), 1);
        }
    }
}

/// What [`RowSums`] counts: cops or actives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Cops,
    Actives,
}

impl Lane {
    /// The lane that counts cells of kind `k`, if any.
    #[inline(always)]
    fn of(k: u8) -> Option<Lane> {
        match k {
            COP => Some(Lane::Cops),
            ACTIVE => Some(Lane::Actives),
            _ => None,
        }
    }
}

/// Rows a count that may stop early takes before it tests.
const UNTESTED_ROWS: usize = 3;

/// One row of a view for [`RowSums`]: the stored row `row - h` rows from the
/// agent's, and the sums from `start - mx` columns from the agent's, `len` cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RowRun {
    row: usize,
    start: usize,
    len: usize,
}

/// Running sums of cops, and of actives, along the rows of the lattice, so that
/// counting a row of a view is one subtraction whatever its length. Each row is
/// stored with `mx` columns of halo on either side (the cells across the seam; `mx`
/// is the views' largest half-width), so no row of a view wraps around:
/// `cops[y * stride + j]` is the number of cops among the first j cells of stored
/// row y, columns -mx to w + mx. A stored row holds fewer than 2 x 10,000 cells, so
/// the sums fit 16 bits.
///
/// A change of a cell adds one or takes one from the rest of its row in one of the
/// two sums: up to w + 2 mx entries, eight to an SSE2 instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RowSums {
    w: usize,
    mx: usize,
    stride: usize,
    /// `rows[i]` = (i mod h) stride, the start of stored row i mod h, for i < 3h.
    rows: Vec<usize>,
    cops: Vec<u16>,
    actives: Vec<u16>,
}

impl RowSums {
    /// Validation guarantees that a view spans at most the torus, so 2 mx < w: a
    /// column has at most one copy in its row's halo.
    fn new(torus: &Torus, kind: &[u8], mx: usize) -> Self {
        let (w, h) = (torus.w as usize, torus.h as usize);
        assert!(2 * mx < w, "a view wider than the torus");
        let stride = w + 2 * mx + 1;
        let mut lanes = [Lane::Cops, Lane::Actives].map(|lane| {
            let mut sums = vec![0u16; h * stride];
            for (y, row) in sums.chunks_exact_mut(stride).enumerate() {
                let cells = &kind[y * w..(y + 1) * w];
                let mut acc = 0u16;
                for (j, sum) in row.iter_mut().enumerate().skip(1) {
                    acc += u16::from(Lane::of(cells[(j - 1 + w - mx) % w]) == Some(lane));
                    *sum = acc;
                }
            }
            sums
        });
        RowSums {
            w,
            mx,
            stride,
            rows: (0..3 * h).map(|i| i % h * stride).collect(),
            actives: std::mem::take(&mut lanes[1]),
            cops: std::mem::take(&mut lanes[0]),
        }
    }

    /// Adds `delta` (1, or `u16::MAX` to take one) to the `lane` of the cell at
    /// column x and row y.
    #[inline]
    fn add(&mut self, lane: Lane, (x, y): (usize, usize), delta: u16) {
        let (w, mx, stride) = (self.w, self.mx, self.stride);
        let sums = match lane {
            Lane::Cops => &mut self.cops,
            Lane::Actives => &mut self.actives,
        };
        add_to_row(&mut sums[y * stride..(y + 1) * stride], w, mx, x, delta);
    }

    /// The `lane` (cops or actives) in the view whose rows are `runs` (see
    /// `View::sums_at`) around the cell at column x and row y, that cell included,
    /// counted row by row until there are `enough`: the exact number if it is below
    /// `enough`, else at least `enough`.
    #[inline(always)]
    fn count(&self, lane: Lane, (x, y): (usize, usize), runs: &[RowRun], enough: u32) -> u32 {
        let sums = match lane {
            Lane::Cops => &self.cops,
            Lane::Actives => &self.actives,
        };
        let mut n = 0u32;
        for (k, run) in runs.iter().enumerate() {
            // The first rows without a test: how many it takes varies at random, so a
            // test after each would be mispredicted (at Mesa's densities a cop is
            // among the first three rows' 41 cells 19 times in 20).
            if k >= UNTESTED_ROWS && n >= enough {
                break;
            }
            let at = self.rows[y + run.row] + x + run.start;
            n += u32::from(sums[at + run.len].wrapping_sub(sums[at]));
        }
        n
    }
}

/// Adds `delta` (wrapping) to the sums of `row` (a stored row of [`RowSums`]) past
/// column x: the column's places in the stored row are x + mx, and a copy w to its
/// right (x < mx) or to its left (x + mx >= w). Every sum past one place counts it
/// once, every sum past both twice.
#[inline(never)]
fn add_to_row(row: &mut [u16], w: usize, mx: usize, x: usize, delta: u16) {
    let at = x + mx;
    let (first, second) = if x < mx {
        (at, Some(at + w))
    } else if at >= w {
        (at - w, Some(at))
    } else {
        (at, None)
    };
    match second {
        None => {
            for s in &mut row[first + 1..] {
                *s = s.wrapping_add(delta);
            }
        }
        Some(second) => {
            let (once, twice) = row[first + 1..].split_at_mut(second - first);
            for s in once {
                *s = s.wrapping_add(delta);
            }
            let delta2 = delta.wrapping_add(delta);
            for s in twice {
                *s = s.wrapping_add(delta2);
            }
        }
    }
}

/// Cops and actives in the view `spans` around `cell`, the cell included, by scanning
/// its rows until there are `enough.0` cops or `enough.1` actives (exact below them).
#[inline(never)]
fn scan(torus: &Torus, kind: &[u8], cell: u32, spans: &[Span], enough: (u32, u32)) -> (u32, u32) {
    let (mut cops, mut actives) = (0u32, 0u32);
    torus.ranges(cell, spans, |start, end| {
        if cops < enough.0 || actives < enough.1 {
            let (c, a) = tally(kind, start, end);
            cops += c;
            actives += a;
        }
    });
    (cops, actives)
}

/// Cops and actives in cells `start..end` of `kind` (which must hold `PADDING` cells
/// past `end`), eight cells to a word: the low bit of each byte is `ACTIVE`, the next
/// `COP`, and multiplying the masked word by 0x0101...01 sums its bytes into the top
/// byte.
#[inline]
fn tally(kind: &[u8], start: usize, end: usize) -> (u32, u32) {
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
        let torus = Torus::new(15, 15);
        for n in [
            Neighbourhood::Euclidean,
            Neighbourhood::VonNeumann,
            Neighbourhood::Moore,
            Neighbourhood::Cross,
        ] {
            let v = View::new(n, 7.0, &torus);
            for cell in [0u32, 14, 112, 224] {
                let mut seen = vec![0u8; 225];
                torus.ranges(cell, &v.spans, |s, e| {
                    for c in &mut seen[s..e] {
                        *c += 1;
                    }
                });
                assert!(seen.iter().all(|&c| c <= 1), "{n:?} at {cell}");
                let total: usize = seen.iter().map(|&c| c as usize).sum();
                assert_eq!(total, view_size(&v.spans) + 1, "{n:?} at {cell}");
                // The list of cells is the same cells, the agent's own excluded.
                seen[cell as usize] -= 1;
                for &o in &v.offsets {
                    seen[torus.at(torus.packed_xy(cell), o) as usize] -= 1;
                }
                assert!(seen.iter().all(|&c| c == 0), "{n:?} at {cell}");
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
    fn row_sums_count_as_the_scan_does_as_cells_change() {
        // A torus wider than tall, the views' rows crossing both seams.
        let torus = Torus::new(17, 11);
        let cells = 17 * 11;
        let mut kind = vec![EMPTY; cells + PADDING];
        let mut state = 12345u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let kinds = [EMPTY, ACTIVE, COP, QUIET, JAILED];
        for k in kind.iter_mut().take(cells) {
            *k = kinds[next(5)];
        }
        let mut views = [
            Neighbourhood::Euclidean,
            Neighbourhood::Moore,
            Neighbourhood::Cross,
        ]
        .map(|n| View::new(n, 5.0, &torus));
        let [a, b, c] = &mut views;
        let mut rows = ViewCounts::new(&torus, &kind, [a, b]);
        // The cross shares the Moore square's halo.
        let _ = ViewCounts::new(&torus, &kind, [a, c]);
        assert!(matches!(rows, ViewCounts::Rows(_)));
        for step in 0..300 {
            if step % 2 == 0 {
                let cell = next(cells);
                let now = kinds[next(5)];
                rows.changed(&torus, cell as u32, kind[cell], now);
                kind[cell] = now;
            } else if let Some(to) = (0..cells).map(|_| next(cells)).find(|&c| kind[c] == EMPTY) {
                let from = next(cells);
                if kind[from] != EMPTY {
                    rows.moved(&torus, from as u32, to as u32, kind[from]);
                    kind[to] = kind[from];
                    kind[from] = EMPTY;
                }
            }
            for v in &views {
                let cell = next(cells) as u32;
                assert_eq!(
                    rows.count(&torus, &kind, cell, v),
                    ViewCounts::Scan.count(&torus, &kind, cell, v),
                    "at {cell}, step {step}"
                );
            }
        }
        assert_eq!(rows, rows.recount(&torus, &kind));
    }

    #[test]
    fn collect_lists_the_cells_of_a_kind_in_a_view() {
        let torus = Torus::new(5, 5);
        let mut kind = vec![EMPTY; 25 + PADDING];
        // Around cell 12 (2, 2) with a Moore view of 1: cells 6-8, 11-13, 16-18.
        for cell in [6, 13, 17, 0] {
            kind[cell] = ACTIVE;
        }
        let v = View::new(Neighbourhood::Moore, 1.0, &torus);
        let mut out = vec![0; view_cells(&v.spans)];
        let n = collect(&torus, &kind, 12, &v, ACTIVE, &mut out);
        assert_eq!(&out[..n], [6, 13, 17], "cell 0 is out of view");
        assert_eq!(collect(&torus, &kind, 12, &v, EMPTY, &mut out), 6);
        // Across the seams, row by row from the top, each row from the left: the
        // order of the view's list of cells (without its own).
        kind.fill(EMPTY);
        let n = collect(&torus, &kind, 0, &v, EMPTY, &mut out);
        assert_eq!(&out[..n], [24, 20, 21, 4, 0, 1, 9, 5, 6]);
        let xy = torus.packed_xy(0);
        let listed: Vec<u32> = v.offsets.iter().map(|&o| torus.at(xy, o)).collect();
        assert_eq!(listed, [24, 20, 21, 4, 1, 9, 5, 6]);
        assert_eq!(torus.shift(0, -1, -1), 24, "across both seams");
    }

    #[test]
    fn the_fallback_of_rule_m_draws_among_the_empty_cells_in_scan_order() {
        let torus = Torus::new(9, 9);
        let v = View::new(Neighbourhood::Moore, 2.0, &torus);
        let mut kind = vec![QUIET; 81 + PADDING];
        kind[81..].fill(EMPTY);
        let mut out = vec![0; view_cells(&v.spans)];
        let from = 0;
        assert_eq!(
            any_empty_in_view(&torus, &kind, from, &v, &mut rng(1), &mut out),
            None
        );
        for cell in [79, 1, 8, 20, 72] {
            kind[cell] = EMPTY;
        }
        let n = collect(&torus, &kind, from, &v, EMPTY, &mut out);
        assert_eq!(
            &out[..n],
            [79, 72, 8, 1, 20],
            "rows 8, 8, 0, 0, 2, from the left"
        );
        let listed = out[..n].to_vec();
        for seed in 0..20 {
            let drawn = any_empty_in_view(&torus, &kind, from, &v, &mut rng(seed), &mut out);
            assert_eq!(drawn, Some(listed[below(&mut rng(seed), n)]), "seed {seed}");
        }
    }

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        rand::SeedableRng::seed_from_u64(seed)
    }
}
