//! The state of one civil-violence run and the order in which the rules run each tick.
//!
//! Citizens live in flat vectors (struct of arrays) indexed by citizen number; cops in
//! one vector of cells. The torus is two arrays of cells: what is there (`kind`: empty,
//! quiet, active, jailed in place, cop) and who (`occupant`). A view is a list of rows
//! (`Span`s: a row offset and a half-width) precomputed from the vision and the
//! neighbourhood, so scanning a view reads a few contiguous runs of `kind` bytes.
//! Every buffer is allocated in [`World::new`]; a tick allocates nothing.
//!
//! A tick t (counting from 1), in order:
//! 1. Schedules: legitimacy takes its value for tick t; the cop schedule withdraws
//!    uniformly random cops (or places new ones on uniformly random empty cells).
//! 2. Turns: every citizen and every cop, in one fresh uniformly random order (a
//!    Fisher-Yates shuffle of all agents; the paper's "asynchronous activation ...
//!    once per period, random order", and Mesa's `agents.shuffle_do("step")`, `model.py`
//!    line 102). On its turn:
//!    - a citizen jailed off the lattice does nothing; one jailed in place counts its
//!      term down by one, or, if it has run out, is free and takes its turn;
//!    - a free citizen moves (rule M: to a uniformly random empty cell in view, or
//!      stays if there is none) and decides (rule A: counts the cops C and the other
//!      actives in view, A = 1 + those actives, and is active iff G - R P > T), in the
//!      order [`TurnOrder`] says;
//!    - a cop moves (rule M) and arrests (rule C: one uniformly random active citizen
//!      in view, jailed for a term drawn from [`JailTerm`]; with `cop_moves_to_arrest`
//!      and the jail off the lattice the cop steps onto the vacated cell), in the order
//!      [`TurnOrder`] says.
//! 3. Jail (off the lattice only): every jailed citizen whose term has run out is
//!    released, quiet, to a uniformly random empty cell (in citizen order; it waits if
//!    the lattice is full); every other term (but a life term) counts down by one.
//! 4. The tick's counts become a row of the series.
//!
//! Speed, without changing what the rules say:
//! - Rule M draws a cell of the view at random until it finds an empty one (uniform
//!   over the empty cells), and scans the view only after 16 misses.
//! - Rule A needs the view's count only when the answer depends on P: a citizen with
//!   G <= T is quiet and one with G - R > T active whatever P in [0, 1] is.
//! - Cells hold one bit per kind, so a view is counted eight cells to a 64-bit word.
//! - A cop counts the actives in its view before listing them; most views hold none.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use super::CivilViolenceOutput;
use super::metrics::{self, CV_METRICS, CV_SERIES, CvMetric, CvSeries};
use super::params::{CivilViolenceParams, JailRule, JailTerm, Neighbourhood, Placement, TurnOrder};
use super::rules;

// What a cell holds: one bit each, so a word of eight cells can be tallied at once
// (see `tally`).
const EMPTY: u8 = 0;
const ACTIVE: u8 = 1;
const COP: u8 = 2;
const QUIET: u8 = 4;
/// A jailed citizen keeping its cell ([`JailRule::InPlace`]).
const JAILED: u8 = 8;

/// Empty cells after the last, so a word of eight can be read from any cell.
const PADDING: usize = 8;

/// `occupant` of an empty cell.
const NOBODY: u32 = u32::MAX;
/// Marks a cop's number in `occupant` and in the turn order.
const COP_FLAG: u32 = 1 << 31;
/// `jail_left` of a life term.
const LIFE: u32 = u32::MAX;

/// One row of a view: the cells x - half ..= x + half of row y + dy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
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
fn view_cells(spans: &[Span]) -> usize {
    spans.iter().map(|s| 2 * s.half as usize + 1).sum()
}

/// Cells an agent sees, its own excluded.
#[cfg(test)]
fn view_size(spans: &[Span]) -> usize {
    view_cells(spans) - 1
}

/// A view two ways: as rows, to scan, and as a list of offsets (dx, dy) without the
/// agent's own cell, to sample.
#[derive(Debug, Clone)]
struct View {
    spans: Vec<Span>,
    offsets: Vec<(i32, i32)>,
}

impl View {
    fn new(neighbourhood: Neighbourhood, vision: f64) -> Self {
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
fn random_empty_in_view(
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
struct Torus {
    w: i32,
    h: i32,
}

impl Torus {
    /// The cell (dx, dy) away from `cell`, |dx| < w and |dy| < h.
    #[inline]
    fn shift(self, cell: u32, dx: i32, dy: i32) -> u32 {
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
    fn ranges(self, cell: u32, spans: &[Span], mut f: impl FnMut(usize, usize)) {
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
fn collect(
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
fn below(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    rng.random_range(0..n as u32) as usize
}

/// One run.
pub(super) struct World<'a> {
    p: &'a CivilViolenceParams,
    rng: Xoshiro256PlusPlus,
    torus: Torus,
    citizen_view: View,
    cop_view: View,

    // The torus.
    kind: Vec<u8>,
    occupant: Vec<u32>,
    empty: usize,

    // Citizens (struct of arrays).
    hardship: Vec<f64>,
    risk_aversion: Vec<f64>,
    /// QUIET, ACTIVE or JAILED.
    state: Vec<u8>,
    jail_left: Vec<u32>,
    /// The citizen's cell (its last cell while jailed off the lattice).
    pos: Vec<u32>,
    active: usize,
    jailed: usize,

    // Cops.
    cop_pos: Vec<u32>,
    initial_cops: usize,

    // Scratch, reused every tick.
    order: Vec<u32>,
    /// Cells found by a view scan, at the front (sized to the larger view).
    candidates: Vec<u32>,

    tick: u32,
    legitimacy: f64,
    series: Vec<f64>,
    /// Measured decisions of deterrable citizens (G > T >= G - R), and how many were
    /// active, with at least one cop in view ([0]) and with none ([1]).
    deterrable: [(u64, u64); 2],
}

impl<'a> World<'a> {
    /// Places the citizens and cops. `p` must have passed
    /// [`CivilViolenceParams::validate`].
    pub(super) fn new(p: &'a CivilViolenceParams, seed: u64) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let cells = p.cells();
        let mut kind = vec![EMPTY; cells + PADDING];
        let mut occupant = vec![NOBODY; cells];
        let mut hardship = Vec::new();
        let mut risk_aversion = Vec::new();
        let mut pos = Vec::new();
        let mut cop_pos = Vec::with_capacity(cells);
        // Citizens and cops each number at most `cells`.
        let mut order = Vec::with_capacity(2 * cells);
        let mut citizen = |cell: usize, rng: &mut Xoshiro256PlusPlus| {
            kind[cell] = QUIET;
            occupant[cell] = pos.len() as u32;
            pos.push(cell as u32);
            hardship.push(rng.random::<f64>());
            risk_aversion.push(rng.random::<f64>());
        };
        match p.placement {
            Placement::Exact => {
                let citizens = (p.citizen_density * cells as f64).round() as usize;
                let cops = (p.cop_density * cells as f64).round() as usize;
                // The first cops + citizens cells of a uniformly random permutation.
                order.extend(0..cells as u32);
                for i in 0..cops + citizens {
                    let j = i + below(&mut rng, cells - i);
                    order.swap(i, j);
                }
                for &cell in &order[..cops] {
                    cop_pos.push(cell);
                }
                for &cell in &order[cops..cops + citizens] {
                    citizen(cell as usize, &mut rng);
                }
            }
            Placement::PerCell => {
                for cell in 0..cells {
                    let u = rng.random::<f64>();
                    if u < p.citizen_density {
                        citizen(cell, &mut rng);
                    } else if u < p.citizen_density + p.cop_density {
                        cop_pos.push(cell as u32);
                    }
                }
            }
        }
        for (c, &cell) in cop_pos.iter().enumerate() {
            kind[cell as usize] = COP;
            occupant[cell as usize] = c as u32 | COP_FLAG;
        }
        let n = pos.len();
        let empty = cells - n - cop_pos.len();
        let rows = p.warmup_ticks as usize + p.ticks as usize;
        let citizen_view = View::new(p.neighbourhood, p.citizen_vision);
        let cop_view = View::new(p.neighbourhood, p.cop_vision);
        World {
            p,
            rng,
            torus: Torus {
                w: p.width as i32,
                h: p.height as i32,
            },
            candidates: vec![0; view_cells(&citizen_view.spans).max(view_cells(&cop_view.spans))],
            citizen_view,
            cop_view,
            kind,
            occupant,
            empty,
            hardship,
            risk_aversion,
            state: vec![QUIET; n],
            jail_left: vec![0; n],
            pos,
            active: 0,
            jailed: 0,
            initial_cops: cop_pos.len(),
            cop_pos,
            order,
            tick: 0,
            legitimacy: p.legitimacy,
            series: Vec::with_capacity(rows * CV_SERIES.len()),
            deterrable: [(0, 0); 2],
        }
    }

    /// Runs every tick and summarises.
    pub(super) fn run(mut self) -> CivilViolenceOutput {
        for _ in 0..self.p.warmup_ticks as usize + self.p.ticks as usize {
            self.step();
        }
        self.summarise()
    }

    /// One tick.
    pub(super) fn step(&mut self) {
        self.tick += 1;
        self.legitimacy = self.p.legitimacy_at(self.tick);
        if let Some(target) = self.p.cop_target_at(self.tick, self.initial_cops) {
            self.set_cops(target);
        }
        self.order.clear();
        self.order.extend(0..self.pos.len() as u32);
        self.order
            .extend((0..self.cop_pos.len() as u32).map(|c| c | COP_FLAG));
        for i in (1..self.order.len()).rev() {
            let j = below(&mut self.rng, i + 1);
            self.order.swap(i, j);
        }
        for turn in 0..self.order.len() {
            let agent = self.order[turn];
            if agent & COP_FLAG != 0 {
                self.cop_turn((agent & !COP_FLAG) as usize);
            } else {
                self.citizen_turn(agent as usize);
            }
        }
        if self.p.jail_rule == JailRule::OffGrid {
            self.serve_terms();
        }
        let quiet = self.pos.len() - self.active - self.jailed;
        self.series.extend([
            quiet as f64,
            self.active as f64,
            self.jailed as f64,
            self.cop_pos.len() as f64,
            self.legitimacy,
        ]);
    }

    fn citizen_turn(&mut self, i: usize) {
        if self.state[i] == JAILED {
            match self.p.jail_rule {
                JailRule::OffGrid => return,
                JailRule::InPlace => {
                    let left = self.jail_left[i];
                    if left > 0 {
                        if left != LIFE {
                            self.jail_left[i] = left - 1;
                        }
                        return;
                    }
                    // Free from this turn on.
                    self.state[i] = QUIET;
                    self.kind[self.pos[i] as usize] = QUIET;
                    self.jailed -= 1;
                }
            }
        }
        match self.p.turn_order {
            TurnOrder::MoveThenAct => {
                if self.p.citizens_move {
                    self.move_citizen(i);
                }
                self.decide(i);
            }
            TurnOrder::ActThenMove => {
                self.decide(i);
                if self.p.citizens_move {
                    self.move_citizen(i);
                }
            }
        }
    }

    /// Cops and actives in the view `spans` around `cell`, the cell itself included.
    fn count_in_view(&self, cell: u32, spans: &[Span]) -> (u32, u32) {
        let (mut cops, mut actives) = (0u32, 0u32);
        let kind = &self.kind;
        self.torus.ranges(cell, spans, |start, end| {
            let (c, a) = tally(kind, start, end);
            cops += c;
            actives += a;
        });
        (cops, actives)
    }

    /// Cops and other actives in free citizen `i`'s view.
    fn seen_by(&self, i: usize) -> (u32, u32) {
        let (cops, actives) = self.count_in_view(self.pos[i], &self.citizen_view.spans);
        // The view includes the citizen's own cell.
        (cops, actives - u32::from(self.state[i] == ACTIVE))
    }

    /// The estimated arrest probability of free citizen `i` where it stands, and the
    /// cops it sees.
    fn arrest_probability(&self, i: usize) -> (f64, u32) {
        let (cops, others) = self.seen_by(i);
        let p = rules::arrest_probability(self.p.arrest_rule, self.p.k, cops, 1 + others);
        (p, cops)
    }

    /// Rule A. G - R P > T falls as P rises and P lies in [0, 1], so when P = 0 and
    /// P = 1 give the same answer the view is not counted: whoever has G <= T is quiet
    /// and whoever has G - R > T active, whatever they see.
    fn decide(&mut self, i: usize) {
        let g = rules::grievance(self.hardship[i], self.legitimacy);
        let (r, t) = (self.risk_aversion[i], self.p.threshold);
        let active = if !rules::is_active(g, r, 0.0, t) {
            false
        } else if rules::is_active(g, r, 1.0, t) {
            true
        } else {
            // Deterrable: the arrest risk decides.
            let (p, cops) = self.arrest_probability(i);
            let active = rules::is_active(g, r, p, t);
            if self.tick > self.p.warmup_ticks {
                let tally = &mut self.deterrable[usize::from(cops == 0)];
                tally.0 += 1;
                tally.1 += u64::from(active);
            }
            active
        };
        let now = if active { ACTIVE } else { QUIET };
        let was = self.state[i];
        if now != was {
            self.state[i] = now;
            self.kind[self.pos[i] as usize] = now;
            if now == ACTIVE {
                self.active += 1;
            } else {
                self.active -= 1;
            }
        }
    }

    /// Rule M for a citizen.
    fn move_citizen(&mut self, i: usize) {
        let from = self.pos[i];
        if let Some(to) = random_empty_in_view(
            self.torus,
            &self.kind,
            from,
            &self.citizen_view,
            &mut self.rng,
            &mut self.candidates,
        ) {
            self.relocate(from, to);
            self.pos[i] = to;
        }
    }

    /// Moves whatever is on `from` to the empty cell `to`.
    fn relocate(&mut self, from: u32, to: u32) {
        let (from, to) = (from as usize, to as usize);
        self.kind[to] = self.kind[from];
        self.occupant[to] = self.occupant[from];
        self.kind[from] = EMPTY;
        self.occupant[from] = NOBODY;
    }

    fn cop_turn(&mut self, c: usize) {
        match self.p.turn_order {
            TurnOrder::MoveThenAct => {
                self.move_cop(c);
                self.arrest(c);
            }
            TurnOrder::ActThenMove => {
                if !self.arrest(c) {
                    self.move_cop(c);
                }
            }
        }
    }

    /// Rule M for a cop.
    fn move_cop(&mut self, c: usize) {
        let from = self.cop_pos[c];
        if let Some(to) = random_empty_in_view(
            self.torus,
            &self.kind,
            from,
            &self.cop_view,
            &mut self.rng,
            &mut self.candidates,
        ) {
            self.relocate(from, to);
            self.cop_pos[c] = to;
        }
    }

    /// Rule C. Returns whether the cop stepped onto its arrestee's cell.
    fn arrest(&mut self, c: usize) -> bool {
        let from = self.cop_pos[c];
        // Most views hold no active: count first, list only when there is one.
        if self.count_in_view(from, &self.cop_view.spans).1 == 0 {
            return false;
        }
        let n = collect(
            self.torus,
            &self.kind,
            from,
            &self.cop_view.spans,
            ACTIVE,
            &mut self.candidates,
        );
        if n == 0 {
            return false;
        }
        let cell = self.candidates[below(&mut self.rng, n)];
        let i = self.occupant[cell as usize] as usize;
        self.jail_left[i] = match self.p.jail_term {
            JailTerm::UpTo(j) => self.rng.random_range(0..=j),
            JailTerm::Life => LIFE,
        };
        self.state[i] = JAILED;
        self.active -= 1;
        self.jailed += 1;
        match self.p.jail_rule {
            JailRule::InPlace => {
                self.kind[cell as usize] = JAILED;
                false
            }
            JailRule::OffGrid => {
                self.kind[cell as usize] = EMPTY;
                self.occupant[cell as usize] = NOBODY;
                self.empty += 1;
                if self.p.cop_moves_to_arrest {
                    self.relocate(from, cell);
                    self.cop_pos[c] = cell;
                    true
                } else {
                    false
                }
            }
        }
    }

    /// The end-of-tick jail (off the lattice): release whoever has served their term,
    /// count the others down.
    fn serve_terms(&mut self) {
        for i in 0..self.state.len() {
            if self.state[i] != JAILED {
                continue;
            }
            match self.jail_left[i] {
                0 => {
                    if let Some(cell) = self.random_empty_cell() {
                        self.kind[cell] = QUIET;
                        self.occupant[cell] = i as u32;
                        self.empty -= 1;
                        self.pos[i] = cell as u32;
                        self.state[i] = QUIET;
                        self.jailed -= 1;
                    }
                }
                LIFE => {}
                left => self.jail_left[i] = left - 1,
            }
        }
    }

    /// A uniformly random empty cell, if there is one: by rejection while at least an
    /// eighth of the cells are empty, else by counting.
    fn random_empty_cell(&mut self) -> Option<usize> {
        let cells = self.kind.len() - PADDING;
        if self.empty == 0 {
            return None;
        }
        if self.empty * 8 >= cells {
            loop {
                let cell = below(&mut self.rng, cells);
                if self.kind[cell] == EMPTY {
                    return Some(cell);
                }
            }
        }
        let nth = below(&mut self.rng, self.empty);
        self.kind[..cells]
            .iter()
            .enumerate()
            .filter(|&(_, &k)| k == EMPTY)
            .nth(nth)
            .map(|(cell, _)| cell)
    }

    /// Withdraws uniformly random cops, or places new ones on uniformly random empty
    /// cells (as many as fit), until `target` are on the lattice.
    fn set_cops(&mut self, target: usize) {
        while self.cop_pos.len() > target {
            let c = below(&mut self.rng, self.cop_pos.len());
            let cell = self.cop_pos.swap_remove(c) as usize;
            self.kind[cell] = EMPTY;
            self.occupant[cell] = NOBODY;
            self.empty += 1;
            if let Some(&moved) = self.cop_pos.get(c) {
                self.occupant[moved as usize] = c as u32 | COP_FLAG;
            }
        }
        while self.cop_pos.len() < target {
            let Some(cell) = self.random_empty_cell() else {
                break;
            };
            self.kind[cell] = COP;
            self.occupant[cell] = self.cop_pos.len() as u32 | COP_FLAG;
            self.cop_pos.push(cell as u32);
            self.empty -= 1;
        }
    }

    /// The end-of-run metrics, from the series.
    fn summarise(self) -> CivilViolenceOutput {
        let cols = CV_SERIES.len();
        let warmup = self.p.warmup_ticks as usize;
        let column = |col: CvSeries| {
            self.series[warmup * cols..]
                .chunks_exact(cols)
                .map(move |row| row[col as usize])
        };
        let citizens = self.pos.len();
        let bursts = metrics::outbursts(
            column(CvSeries::Active),
            self.p.outburst_level.resolve(citizens),
        );
        let tipping = self.p.tipping_level.resolve(citizens);
        let measured = self.p.ticks as f64;
        let last = &self.series[self.series.len() - cols..];
        let mut m = vec![f64::NAN; CV_METRICS.len()];
        let mut set = |metric: CvMetric, value: f64| m[metric as usize] = value;
        set(CvMetric::Outbursts, f64::from(bursts.count));
        set(CvMetric::OutburstMeanPeak, bursts.mean_peak);
        set(CvMetric::OutburstMeanDuration, bursts.mean_duration);
        set(CvMetric::OutburstMeanActivation, bursts.mean_activation);
        set(CvMetric::OutburstMeanWait, bursts.mean_wait);
        set(CvMetric::CalmShare, bursts.calm_share);
        set(
            CvMetric::MeanActive,
            column(CvSeries::Active).sum::<f64>() / measured,
        );
        set(
            CvMetric::MaxActive,
            column(CvSeries::Active).fold(0.0, f64::max),
        );
        set(
            CvMetric::MaxJailed,
            column(CvSeries::Jailed).fold(0.0, f64::max),
        );
        let share = |(decisions, active): (u64, u64)| {
            if decisions == 0 {
                f64::NAN
            } else {
                active as f64 / decisions as f64
            }
        };
        set(CvMetric::WatchedActiveShare, share(self.deterrable[0]));
        set(CvMetric::UnwatchedActiveShare, share(self.deterrable[1]));
        set(
            CvMetric::TimeToTipping,
            column(CvSeries::Active)
                .position(|a| a > tipping)
                .map_or(f64::NAN, |row| (warmup + row + 1) as f64),
        );
        set(CvMetric::FinalQuiet, last[CvSeries::Quiet as usize]);
        set(CvMetric::FinalActive, last[CvSeries::Active as usize]);
        set(CvMetric::FinalJailed, last[CvSeries::Jailed as usize]);
        CivilViolenceOutput {
            metrics: m,
            series: self.series,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::civil_violence::params::{ArrestRule, paper_run};

    impl World<'_> {
        /// Checks every invariant of the state: each citizen is quiet, active or jailed
        /// and the counts agree; every agent on the lattice is on a cell that names it
        /// and holds its kind, so no two agents share a cell; the empty count is right.
        fn check(&self) {
            let n = self.pos.len();
            let count = |s: u8| self.state.iter().filter(|&&x| x == s).count();
            let (quiet, active, jailed) = (count(QUIET), count(ACTIVE), count(JAILED));
            assert_eq!(quiet + active + jailed, n, "tick {}", self.tick);
            assert_eq!((active, jailed), (self.active, self.jailed));
            let mut on_lattice = 0;
            for i in 0..n {
                let cell = self.pos[i] as usize;
                let off = self.state[i] == JAILED && self.p.jail_rule == JailRule::OffGrid;
                if !off {
                    on_lattice += 1;
                    assert_eq!(self.occupant[cell], i as u32, "citizen {i}");
                    assert_eq!(self.kind[cell], self.state[i], "citizen {i}");
                }
            }
            for (c, &cell) in self.cop_pos.iter().enumerate() {
                assert_eq!(self.occupant[cell as usize], c as u32 | COP_FLAG, "cop {c}");
                assert_eq!(self.kind[cell as usize], COP);
            }
            let cells = self.kind.len() - PADDING;
            assert!(self.kind[cells..].iter().all(|&k| k == EMPTY), "padding");
            let occupied = self.kind[..cells].iter().filter(|&&k| k != EMPTY).count();
            assert_eq!(occupied, on_lattice + self.cop_pos.len());
            assert_eq!(self.empty, cells - occupied);
            for (cell, &k) in self.kind[..cells].iter().enumerate() {
                assert_eq!(k == EMPTY, self.occupant[cell] == NOBODY, "cell {cell}");
            }
        }

        /// Adds a quiet citizen on the empty cell (x, y).
        fn put_citizen(&mut self, x: u32, y: u32, hardship: f64, risk_aversion: f64) -> usize {
            let cell = (y * self.p.width + x) as usize;
            assert_eq!(self.kind[cell], EMPTY);
            let i = self.pos.len();
            self.kind[cell] = QUIET;
            self.occupant[cell] = i as u32;
            self.empty -= 1;
            self.pos.push(cell as u32);
            self.hardship.push(hardship);
            self.risk_aversion.push(risk_aversion);
            self.state.push(QUIET);
            self.jail_left.push(0);
            i
        }

        fn put_cop(&mut self, x: u32, y: u32) -> usize {
            let cell = (y * self.p.width + x) as usize;
            assert_eq!(self.kind[cell], EMPTY);
            let c = self.cop_pos.len();
            self.kind[cell] = COP;
            self.occupant[cell] = c as u32 | COP_FLAG;
            self.empty -= 1;
            self.cop_pos.push(cell as u32);
            c
        }

        fn set_state(&mut self, i: usize, s: u8) {
            if self.state[i] == ACTIVE {
                self.active -= 1;
            }
            if s == ACTIVE {
                self.active += 1;
            }
            self.state[i] = s;
            self.kind[self.pos[i] as usize] = s;
        }
    }

    /// An empty 15 x 15 torus with vision 7 (Euclidean unless changed).
    fn empty(edit: impl FnOnce(&mut CivilViolenceParams)) -> CivilViolenceParams {
        let mut p = CivilViolenceParams {
            width: 15,
            height: 15,
            citizen_density: 0.0,
            cop_density: 0.0,
            ..Default::default()
        };
        edit(&mut p);
        assert!(p.validate().is_empty(), "{:?}", p.validate());
        p
    }

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
        let p = empty(|_| {});
        let w = World::new(&p, 1);
        for n in [
            Neighbourhood::Euclidean,
            Neighbourhood::VonNeumann,
            Neighbourhood::Moore,
            Neighbourhood::Cross,
        ] {
            let spans = view(n, 7.0);
            for cell in [0u32, 14, 112, 224] {
                let mut seen = vec![0u8; 225];
                w.torus.ranges(cell, &spans, |s, e| {
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
        w.torus.ranges(0, &view(Neighbourhood::Moore, 1.0), |s, e| {
            corner.extend(s as u32..e as u32)
        });
        corner.sort_unstable();
        assert_eq!(corner, [0, 1, 14, 15, 16, 29, 210, 211, 224]);
    }

    #[test]
    fn arrest_probability_counts_itself_once_under_each_rule() {
        for (rule, two_actives_one_cop) in [
            (ArrestRule::Printed, 1.0 - (-2.3f64 / 2.0).exp()),
            (ArrestRule::Floored, 0.0),
            (ArrestRule::Rounded, 0.0),
        ] {
            let p = empty(|p| p.arrest_rule = rule);
            let mut w = World::new(&p, 1);
            let me = w.put_citizen(7, 7, 0.5, 0.5);
            assert_eq!(w.arrest_probability(me).0, 0.0, "no cops, no risk");
            w.put_cop(7, 9);
            let lone = w.arrest_probability(me).0;
            assert!((lone - (1.0 - (-2.3f64).exp())).abs() < 1e-12, "C = A = 1");
            // Being active itself does not count twice.
            w.set_state(me, ACTIVE);
            assert_eq!(w.arrest_probability(me).0, lone);
            let other = w.put_citizen(6, 7, 0.5, 0.5);
            w.set_state(other, ACTIVE);
            let p2 = w.arrest_probability(me).0;
            assert!((p2 - two_actives_one_cop).abs() < 1e-12, "{rule:?}: {p2}");
            // Quiet and jailed citizens and cops out of view do not count.
            let quiet = w.put_citizen(8, 7, 0.5, 0.5);
            let jailed = w.put_citizen(8, 8, 0.5, 0.5);
            w.set_state(jailed, JAILED);
            w.put_cop(0, 0);
            assert_eq!(w.arrest_probability(me).0, p2, "{quiet} {jailed}");
        }
    }

    #[test]
    fn citizens_turn_active_when_the_cop_leaves_their_view() {
        // Run 1's deceptive behaviour at the level of one citizen: G = 0.8 (1 - 0.6)
        // = 0.32, R = 0.5. With a cop in view N = 0.45 and G - N < T: quiet. With the
        // cop out of view N = 0: active.
        let p = empty(|p| {
            p.legitimacy = 0.6;
            p.citizen_vision = 1.7;
            p.cop_vision = 1.7;
        });
        let mut w = World::new(&p, 1);
        let me = w.put_citizen(7, 7, 0.8, 0.5);
        let cop = w.put_cop(8, 8);
        w.decide(me);
        assert_eq!(w.state[me], QUIET);
        w.relocate(w.cop_pos[cop], 10);
        w.cop_pos[cop] = 10;
        w.decide(me);
        assert_eq!(w.state[me], ACTIVE);
        w.check();
    }

    #[test]
    fn a_cop_arrests_an_active_in_view_and_steps_onto_its_cell() {
        let p = empty(|p| {
            p.jail_term = JailTerm::UpTo(5);
            p.cop_vision = 1.7;
            p.citizen_vision = 1.7;
        });
        let mut w = World::new(&p, 3);
        let cop = w.put_cop(0, 0);
        let near = w.put_citizen(14, 14, 0.5, 0.5); // across both seams
        let far = w.put_citizen(3, 3, 0.5, 0.5);
        w.set_state(near, ACTIVE);
        w.set_state(far, ACTIVE);
        assert!(w.arrest(cop));
        assert_eq!(w.state[near], JAILED);
        assert!(w.jail_left[near] <= 5);
        assert_eq!(w.cop_pos[cop], 224, "the cop is on the vacated cell");
        assert_eq!(w.state[far], ACTIVE, "out of view");
        assert!(!w.arrest(cop), "nobody left in view");
        w.check();
    }

    #[test]
    fn jailed_citizens_leave_the_lattice_and_return_after_their_term() {
        let p = empty(|p| p.jail_term = JailTerm::UpTo(3));
        let mut w = World::new(&p, 5);
        let cop = w.put_cop(0, 0);
        let me = w.put_citizen(1, 0, 0.5, 0.5);
        w.set_state(me, ACTIVE);
        w.arrest(cop);
        let term = w.jail_left[me];
        // A term of j ticks: jailed at the end of this tick and of the next j - 1.
        for _ in 0..term {
            w.serve_terms();
            assert_eq!(w.state[me], JAILED);
            w.check();
        }
        w.serve_terms();
        assert_eq!(w.state[me], QUIET);
        assert_eq!(w.jailed, 0);
        w.check();
    }

    #[test]
    fn mesa_s_jail_keeps_the_cell_and_counts_down_on_the_citizen_s_turn() {
        let p = empty(|p| {
            p.jail_rule = JailRule::InPlace;
            p.turn_order = TurnOrder::ActThenMove;
            p.cop_moves_to_arrest = false;
            p.jail_term = JailTerm::UpTo(2);
        });
        let mut w = World::new(&p, 9);
        let cop = w.put_cop(0, 0);
        let me = w.put_citizen(1, 0, 0.0, 0.5);
        w.set_state(me, ACTIVE);
        assert!(!w.arrest(cop), "the cell stays taken");
        assert_eq!(w.kind[w.pos[me] as usize], JAILED);
        let term = w.jail_left[me];
        for _ in 0..term {
            w.citizen_turn(me);
            assert_eq!(w.state[me], JAILED);
        }
        w.citizen_turn(me);
        assert_eq!(w.state[me], QUIET, "free, and G = 0 keeps it quiet");
        w.check();
    }

    #[test]
    fn withdrawing_and_adding_cops_keeps_the_lattice_consistent() {
        let p = empty(|p| p.cop_density = 0.2);
        let mut w = World::new(&p, 11);
        assert_eq!(w.cop_pos.len(), 45);
        w.set_cops(10);
        assert_eq!(w.cop_pos.len(), 10);
        w.check();
        w.set_cops(200);
        assert_eq!(w.cop_pos.len(), 200);
        w.check();
        w.set_cops(300);
        assert_eq!(w.cop_pos.len(), 225, "as many as fit");
        assert_eq!(w.random_empty_cell(), None);
        w.check();
    }

    #[test]
    fn ticks_reuse_the_buffers_allocated_at_the_start() {
        // The crate's allocation counter lives in the co-governance world's tests;
        // here every buffer a tick writes must keep its address and capacity.
        let mut p = paper_run(5);
        p.cop_schedule = crate::model::civil_violence::CopSchedule::SetDensity {
            tick: 20,
            density: 0.3,
        };
        p.ticks = 200;
        let mut w = World::new(&p, 4);
        let buffers = |w: &World| {
            [
                (w.order.as_ptr() as usize, w.order.capacity()),
                (w.candidates.as_ptr() as usize, w.candidates.capacity()),
                (w.series.as_ptr() as usize, w.series.capacity()),
                (w.cop_pos.as_ptr() as usize, w.cop_pos.capacity()),
            ]
        };
        let before = buffers(&w);
        for _ in 0..p.ticks {
            w.step();
        }
        assert_eq!(buffers(&w), before);
        assert!(
            w.cop_pos.len() > 400,
            "cops were added: {}",
            w.cop_pos.len()
        );
    }

    /// Runs `p` tick by tick, checking every invariant after each.
    fn run_checked(p: &CivilViolenceParams, seed: u64) {
        assert!(p.validate().is_empty(), "{:?}", p.validate());
        let mut w = World::new(p, seed);
        w.check();
        for _ in 0..p.ticks {
            w.step();
            w.check();
        }
    }

    #[test]
    fn citizens_are_conserved_and_cells_hold_one_agent_every_tick() {
        let mut mesa = super::super::params::mesa_parity();
        mesa.ticks = 150;
        run_checked(&mesa, 1);
        for n in 1..=5 {
            let mut p = paper_run(n);
            p.ticks = p.ticks.min(250);
            run_checked(&p, u64::from(n));
        }
        // A crowded lattice: nobody can move, releases wait for room.
        let full = CivilViolenceParams {
            width: 15,
            height: 15,
            citizen_density: 0.88,
            cop_density: 0.12,
            legitimacy: 0.3,
            ticks: 100,
            jail_term: JailTerm::UpTo(3),
            ..Default::default()
        };
        run_checked(&full, 2);
    }
}
