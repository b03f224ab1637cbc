//! Finding a unit for a call without looking at every unit (issue 17): the nearest
//! free unit through an index of the day's units on duty by shift and row
//! ([`OnShift`]), and the unit that frees first through a heap of when each unit is
//! next free ([`FreeTimes`]). Both give exactly what a look at every unit gives (the
//! same unit, the same time to the bit): they only leave out units that cannot be the
//! answer, and judge every unit they look at by the same expressions
//! (`Units::consider`, `Shift::free_from`). The unit tests check both against the plain
//! scans (`Units::nearest_free_scan`, `Units::earliest_free_scan`) on every call.
//!
//! - **Nearest free unit.** A unit can only be free while its shift runs, and every
//!   unit of a shift class works the same hours, so the units on duty today fall into
//!   a few shift windows. For each window the index lists its units (and, apart, its
//!   officers, for the calls only they can take) row by row of the lattice, by column
//!   within a row. A call looks
//!   at the windows running at its time, at the rows in order of distance from its own
//!   row (rows without such units are not visited: the rota leaves a band of posts off
//!   duty each day, a band that grows with the district), and in each row at the units
//!   outward from its own column, until what is left is farther than the nearest free
//!   unit found. When the first [`BUDGET`] units it looks at are all busy (a busy
//!   district), it asks the next free times which units are free at all: the nearest
//!   of them if there are a few, the nearest officer in administration (for a call
//!   that needs an officer) or nobody if there are none, and it looks on as before if
//!   there are many. A call costs the units on duty near it, not the district's grids.
//! - **Unit that frees first.** A waiting call goes to the unit that frees first
//!   anywhere. When a unit is next free never moves earlier during a day (time only
//!   passes, and a call only keeps its unit busy longer), so a time once computed is a
//!   lower bound ever after. The heap holds every unit that can still be free today
//!   under such a bound; a query takes units off the top, computes their time now, and
//!   stops once the rest are later than the best found (by more than rounding can move
//!   a time), then puts them back. The heap is built the first time a day needs it, so
//!   a day whose calls all find a unit nearby costs nothing.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::{Call, Units};
use crate::model::co_governance::rules::dispatch::{self, SHIFTS, Shift};

/// The most distinct shift windows the index keeps. Units of one shift class work the
/// same hours, so a day has at most `SHIFTS`; shifts set otherwise (only tests do)
/// make the search look at every unit as before.
const MAX_WINDOWS: usize = SHIFTS + 1;

/// Kinds of unit: officers, auxiliaries (officers come first).
const KINDS: usize = 2;

/// Lists the index keeps for each shift window: every unit, and the officers alone.
const LISTS: usize = 2;

/// `window_of` for a unit off duty today.
const OFF: u8 = u8::MAX;

/// Units a search looks at near a call before it asks the next free times whether
/// any unit is free at all (a call in an ordinary day finds one among the first few).
const BUDGET: usize = 64;

/// The most free units [`Units::free_now`] lists, and the most units it takes off the
/// heap, before it leaves the search to the index: so many units are free that one is
/// found nearby.
const FREE_CAP: usize = 16;
const POP_CAP: usize = 64;

/// The day's units on duty by shift window, row and column.
pub(super) struct OnShift {
    /// Today's distinct shift windows (start, end).
    windows: Vec<(f64, f64)>,
    /// Some unit's shift matched none of the windows kept: search every unit.
    overflow: bool,
    /// Each unit's window, or [`OFF`].
    window_of: Vec<u8>,
    /// List `l` of window `w` (`l = 0` every unit, `1` the officers), numbered
    /// `w * LISTS + l`: its units in row `y` are `unit[a..b]` (their columns
    /// `column[a..b]`), with `a = row_start[(w * LISTS + l) * (height + 1) + y]` and
    /// `b` the next entry; sorted by column, then index.
    row_start: Vec<u32>,
    cursor: Vec<u32>,
    unit: Vec<u32>,
    column: Vec<u32>,
    /// The rows with units in list `i`, ascending: `rows[rows_start[i]..rows_start[i + 1]]`.
    rows: Vec<u32>,
    rows_start: Vec<u32>,
}

impl OnShift {
    /// Room for `units` units, the first `officers` of them officers, on a lattice
    /// `height` rows high.
    pub(super) fn new(units: usize, officers: usize, height: usize) -> Self {
        let lists = MAX_WINDOWS * LISTS;
        OnShift {
            windows: Vec::with_capacity(MAX_WINDOWS),
            overflow: false,
            window_of: vec![OFF; units],
            row_start: vec![0; lists * (height + 1) + 1],
            cursor: vec![0; lists * (height + 1) + 1],
            unit: vec![0; units + officers],
            column: vec![0; units + officers],
            rows: Vec::with_capacity(lists * height),
            rows_start: Vec::with_capacity(lists + 1),
        }
    }
}

/// A lower bound on when a unit is next free today.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    unit: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then(self.unit.cmp(&other.unit))
    }
}

/// Officers' and auxiliaries' next free times (lower bounds), built the first time a
/// day needs them.
pub(super) struct FreeTimes {
    /// Officers, then auxiliaries.
    heaps: [BinaryHeap<Reverse<Entry>>; KINDS],
    built: bool,
    taken: Vec<Entry>,
    /// The units free now ([`Units::free_now`]).
    free: Vec<u32>,
}

impl FreeTimes {
    /// Room for `officers` officers and `auxiliaries` auxiliaries.
    pub(super) fn new(officers: usize, auxiliaries: usize) -> Self {
        FreeTimes {
            heaps: [
                BinaryHeap::with_capacity(officers),
                BinaryHeap::with_capacity(auxiliaries),
            ],
            built: false,
            taken: Vec::with_capacity(officers.max(auxiliaries)),
            free: Vec::with_capacity(FREE_CAP + 1),
        }
    }
}

/// More than rounding can move a time of about `t` minutes between two computations
/// (a few units in the last place; this is about a million times that).
fn margin(t: f64) -> f64 {
    1e-9 * (1.0 + t.abs())
}

/// When a unit with this shift, busy until `busy_until`, is next free at or after
/// `now`: `(bound, t)` with `t` what the plain scan computes (infinite if not before
/// the shift ends) and `bound` a lower bound on it now and at any later time of the
/// day, or `None` if the unit cannot be free again today.
fn next_free(plan: &Shift, busy_until: f64, now: f64) -> Option<(f64, f64)> {
    let x = now.max(busy_until);
    if x >= plan.end {
        // `free_from` is infinite from here on, and `x` only grows.
        return None;
    }
    let t = plan.free_from(x);
    if t.is_finite() {
        return Some((t, t));
    }
    // Free only after the shift ends; only rounding could bring that back within it.
    let unblocked = plan.unblocked_from(x);
    (unblocked < plan.end + margin(plan.end)).then(|| (unblocked - margin(unblocked), t))
}

/// Takes the top unit off `heap` and computes when it is next free at `now`: its
/// index and that time, with its new lower bound kept in `taken` (to go back on the
/// heap once the caller is done), or `None` for a unit that cannot be free again
/// today, which leaves the heap.
fn pop_refreshed(
    heap: &mut BinaryHeap<Reverse<Entry>>,
    taken: &mut Vec<Entry>,
    plan: &[Shift],
    busy_until: &[f64],
    now: f64,
) -> Option<(u32, f64)> {
    let Reverse(top) = heap.pop()?;
    let u = top.unit as usize;
    let (key, t) = next_free(&plan[u], busy_until[u], now)?;
    taken.push(Entry {
        key,
        unit: top.unit,
    });
    Some((top.unit, t))
}

impl Units {
    /// Indexes today's units on duty by shift window, row and column (once the
    /// day's shifts are set, before the day's calls), and forgets the next free times.
    pub(super) fn index_shifts(&mut self) {
        let (width, height, officers) = (self.width, self.height, self.officers);
        let rows_per_list = height + 1;
        self.free_times.built = false;
        let OnShift {
            windows,
            overflow,
            window_of,
            row_start,
            cursor,
            unit,
            column,
            rows,
            rows_start,
        } = &mut self.on_shift;
        windows.clear();
        *overflow = false;
        let window_of = &mut window_of[..self.plan.len()];
        for (of, plan) in window_of.iter_mut().zip(&self.plan) {
            *of = OFF;
            if plan.end <= plan.start {
                continue;
            }
            let w = match windows
                .iter()
                .position(|&(a, b)| a == plan.start && b == plan.end)
            {
                Some(w) => w,
                None if windows.len() < MAX_WINDOWS => {
                    windows.push((plan.start, plan.end));
                    windows.len() - 1
                }
                None => {
                    *overflow = true;
                    return;
                }
            };
            *of = w as u8;
        }
        let lists = windows.len() * LISTS;
        let slots = lists * rows_per_list;
        // Unit `u` of window `w` is in list `w * LISTS` (every unit) and, if an
        // officer, in the next (officers): these are their rows' slots less the row.
        let first_slot = |w: u8| usize::from(w) * LISTS * rows_per_list;
        let (row_start, cursor) = (&mut row_start[..=slots], &mut cursor[..=slots]);
        row_start.fill(0);
        // Grid by grid in row-major order, and by index within a grid (the order of
        // `by_post`), so each row's units come out by column, then index.
        let (by_post, by_post_start) = (&self.by_post, &self.by_post_start);
        let posted = |g: usize| &by_post[by_post_start[g] as usize..by_post_start[g + 1] as usize];
        for y in 0..height {
            for g in y * width..(y + 1) * width {
                for &u in posted(g) {
                    let w = window_of[u as usize];
                    if w != OFF {
                        let slot = first_slot(w) + y + 1;
                        row_start[slot] += 1;
                        if (u as usize) < officers {
                            row_start[slot + rows_per_list] += 1;
                        }
                    }
                }
            }
        }
        for i in 0..slots {
            row_start[i + 1] += row_start[i];
        }
        cursor.copy_from_slice(row_start);
        for y in 0..height {
            for x in 0..width {
                for &u in posted(y * width + x) {
                    let w = window_of[u as usize];
                    if w == OFF {
                        continue;
                    }
                    let slot = first_slot(w) + y;
                    let officer = (u as usize) < officers;
                    for slot in [slot, slot + rows_per_list]
                        .into_iter()
                        .take(1 + usize::from(officer))
                    {
                        let at = cursor[slot] as usize;
                        unit[at] = u;
                        column[at] = x as u32;
                        cursor[slot] += 1;
                    }
                }
            }
        }
        rows.clear();
        rows_start.clear();
        rows_start.push(0);
        for list in 0..lists {
            for y in 0..height {
                let slot = list * rows_per_list + y;
                if row_start[slot + 1] > row_start[slot] {
                    rows.push(y as u32);
                }
            }
            rows_start.push(rows.len() as u32);
        }
    }

    /// [`Units::nearest_free_scan`]'s answer, from the units on duty near the call.
    /// When the first units near the call are all busy, it asks the next free times
    /// which units are free at all (see the module documentation).
    pub(super) fn nearest_free(&mut self, call: &Call, now: f64) -> Option<usize> {
        if self.on_shift.overflow {
            return self.nearest_free_scan(call, now);
        }
        let officer_only = call.needs_officer();
        let mut search = Search {
            officer_only,
            none_free: false,
            budget: BUDGET,
            best: None,
        };
        if self.search(&mut search, call, now) {
            return search.best.map(|(_, _, _, u)| u);
        }
        search.budget = usize::MAX;
        #[cfg(test)]
        {
            self.paths[0] += 1;
        }
        if self.free_now(now, officer_only) {
            #[cfg(test)]
            {
                self.paths[1 + usize::from(self.free_times.free.is_empty())] += 1;
            }
            if !self.free_times.free.is_empty() {
                // The nearest of the few units free.
                let mut best = None;
                for &u in &self.free_times.free {
                    let post = self.post[u as usize] as usize;
                    let d = dispatch::manhattan(post, call.grid as usize, self.width);
                    self.consider(u as usize, d, officer_only, now, &mut best);
                }
                debug_assert!(best.is_some_and(|(tier, _, _, _)| tier == 0));
                return best.map(|(_, _, _, u)| u);
            }
            if !officer_only {
                return None;
            }
            // Nobody is free: the nearest officer in administration is the answer.
            search.none_free = true;
            search.best = None;
        }
        self.search(&mut search, call, now);
        search.best.map(|(_, _, _, u)| u)
    }

    /// Looks at the units on duty at `now`, outward from `call`'s
    /// grid, row by row in order of distance, until the rest are farther than
    /// `search.bound()`; false if it stopped at the end of its budget with no free
    /// unit found.
    fn search(&self, search: &mut Search, call: &Call, now: f64) -> bool {
        let s = &self.on_shift;
        let (cx, cy) = (
            call.grid as usize % self.width,
            call.grid as usize / self.width,
        );
        for (w, &(start, end)) in s.windows.iter().enumerate() {
            if !(start <= now && now < end) {
                continue;
            }
            let list = w * LISTS + usize::from(search.officer_only);
            let rows = &s.rows[s.rows_start[list] as usize..s.rows_start[list + 1] as usize];
            // Rows below `cy` are `rows[..below]`, the others `rows[above..]`.
            let split = rows.partition_point(|&y| (y as usize) < cy);
            let (mut below, mut above) = (split, split);
            loop {
                let down = below.checked_sub(1).map(|i| cy - rows[i] as usize);
                let up = rows.get(above).map(|&y| y as usize - cy);
                let (dy, y) = match (down, up) {
                    (Some(d), Some(u)) if d < u => (d, cy - d),
                    (_, Some(u)) => (u, cy + u),
                    (Some(d), None) => (d, cy - d),
                    (None, None) => break,
                };
                if dy > search.bound() {
                    break;
                }
                if y < cy {
                    below -= 1;
                } else {
                    above += 1;
                }
                if !self.search_row(search, list, y, dy, cx, now) {
                    return false;
                }
            }
        }
        true
    }

    /// The units of list `list` in row `y` (`dy` rows from the call's) outward from
    /// column `cx`, while they are no farther than `search.bound()`; false at the end
    /// of the budget with no free unit found.
    fn search_row(
        &self,
        search: &mut Search,
        list: usize,
        y: usize,
        dy: usize,
        cx: usize,
        now: f64,
    ) -> bool {
        let s = &self.on_shift;
        let slot = list * (self.height + 1) + y;
        let range = s.row_start[slot] as usize..s.row_start[slot + 1] as usize;
        let (units, columns) = (&s.unit[range.clone()], &s.column[range]);
        let split = columns.partition_point(|&x| (x as usize) < cx);
        for (&u, &x) in units[split..].iter().zip(&columns[split..]) {
            let d = dy + (x as usize - cx);
            if d > search.bound() {
                break;
            }
            if !self.visit(search, u as usize, d, now) {
                return false;
            }
        }
        for (&u, &x) in units[..split].iter().zip(&columns[..split]).rev() {
            let d = dy + (cx - x as usize);
            if d > search.bound() {
                break;
            }
            if !self.visit(search, u as usize, d, now) {
                return false;
            }
        }
        true
    }

    /// Looks at unit `u`, `d` grids from the call, unless the budget has run out with
    /// no free unit found (then false).
    #[inline]
    fn visit(&self, search: &mut Search, u: usize, d: usize, now: f64) -> bool {
        if search.budget == 0 && !search.found_free() {
            return false;
        }
        search.budget = search.budget.saturating_sub(1);
        self.consider(u, d, search.officer_only, now, &mut search.best);
        true
    }

    /// Builds the next free times at `now`, unless this day has them already.
    fn next_free_times(&mut self, now: f64) {
        let f = &mut self.free_times;
        if f.built {
            return;
        }
        for (kind, heap) in f.heaps.iter_mut().enumerate() {
            // Into the heap's own buffer, then ordered all at once (no allocation).
            let mut entries = std::mem::take(heap).into_vec();
            entries.clear();
            let units = if kind == 0 {
                0..self.officers
            } else {
                self.officers..self.plan.len()
            };
            for u in units {
                if let Some((key, _)) = next_free(&self.plan[u], self.busy_until[u], now) {
                    entries.push(Reverse(Entry {
                        key,
                        unit: u as u32,
                    }));
                }
            }
            *heap = BinaryHeap::from(entries);
        }
        f.built = true;
    }

    /// Lists in `free_times.free` the officers (and the auxiliaries, unless
    /// `officers_only`) free at `now`, those whose next free time is `now`; false if it
    /// stopped early, at [`FREE_CAP`] free units or [`POP_CAP`] units looked at.
    fn free_now(&mut self, now: f64, officers_only: bool) -> bool {
        self.next_free_times(now);
        let (plan, busy_until) = (&self.plan, &self.busy_until);
        let f = &mut self.free_times;
        f.free.clear();
        let mut looked = 0;
        let kinds = if officers_only { 1 } else { KINDS };
        for heap in &mut f.heaps[..kinds] {
            f.taken.clear();
            while let Some(&Reverse(top)) = heap.peek() {
                if top.key > now + margin(now) || f.free.len() > FREE_CAP || looked > POP_CAP {
                    break;
                }
                looked += 1;
                if let Some((u, t)) = pop_refreshed(heap, &mut f.taken, plan, busy_until, now)
                    && t == now
                {
                    f.free.push(u);
                }
            }
            heap.extend(f.taken.drain(..).map(Reverse));
        }
        f.free.len() <= FREE_CAP && looked <= POP_CAP
    }

    /// The answer of `Units::earliest_free_scan` (`units.rs`), from the units whose
    /// lower bounds could make them first.
    pub(super) fn earliest_free(&mut self, now: f64, any_kind: bool) -> Option<(usize, f64)> {
        self.next_free_times(now);
        let (plan, busy_until) = (&self.plan, &self.busy_until);
        let f = &mut self.free_times;
        let mut best: Option<(usize, f64)> = None;
        let kinds = if any_kind { KINDS } else { 1 };
        for heap in &mut f.heaps[..kinds] {
            f.taken.clear();
            while let Some(&Reverse(top)) = heap.peek() {
                if best.is_some_and(|(_, bt)| top.key > bt + margin(bt)) {
                    break;
                }
                if let Some((u, t)) = pop_refreshed(heap, &mut f.taken, plan, busy_until, now) {
                    let u = u as usize;
                    if t.is_finite() && best.is_none_or(|(bu, bt)| t < bt || (t == bt && u < bu)) {
                        best = Some((u, t));
                    }
                }
            }
            heap.extend(f.taken.drain(..).map(Reverse));
        }
        best
    }
}

/// One search for a call's unit.
struct Search {
    /// Whether the call needs an officer.
    officer_only: bool,
    /// Whether no unit that could take the call is free, so that the nearest officer
    /// in administration is the answer.
    none_free: bool,
    /// Units left to look at before the search gives up, unless it found a free unit.
    budget: usize,
    /// The best unit so far: (free 0 or in administration 1, distance, officer for a
    /// call an auxiliary could take, index).
    best: Option<(u8, usize, u8, usize)>,
}

impl Search {
    fn found_free(&self) -> bool {
        self.best.is_some_and(|(tier, _, _, _)| tier == 0)
    }

    /// How far the search must still look: the distance of the best unit found, once
    /// nothing farther can beat it.
    fn bound(&self) -> usize {
        match self.best {
            Some((tier, d, _, _)) if tier == 0 || self.none_free => d,
            _ => usize::MAX,
        }
    }
}
