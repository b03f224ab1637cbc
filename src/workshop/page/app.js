// The workshop page: levers on the left, the baseline against the current settings
// on the right, streamed from POST /api/run as the pairs of replications finish.
//
// Everything shown is built from GET /api/setup and GET /api/params: the page knows
// no parameter, lever, metric or map layer by name. The server draws the charts; the
// page draws the cards, the map and the plain-words summary.
//
// Links open with levers set: `?preset=NAME&set.PATH=VALUE&replications=N&run=1`
// (every part optional, `set.` repeatable; docs/workshop.md). The page keeps the
// address bar and the "Link to these settings" link in step with the levers.
//
// For tests and the curious, <body> carries `data-state` (loading, ready, running,
// done, stopped, error) and `data-errors` (every script error, console.error and
// blocked request, joined by " | ").

'use strict';

// ---------------------------------------------------------------- errors first

// Recorded before anything else runs, so a test reading the page finds every error
// even when the page itself looks fine.
const recordedErrors = [];

function recordError(message) {
  recordedErrors.push(String(message));
  document.body.dataset.errors = recordedErrors.join(' | ');
}

const originalConsoleError = console.error.bind(console);
console.error = (...args) => {
  recordError(args.map(String).join(' '));
  originalConsoleError(...args);
};
// The capture phase also sees resources (scripts, styles, images) that fail to load.
window.addEventListener('error', (event) => {
  const target = event.target;
  const what = event.message || `could not load ${target && (target.src || target.href)}`;
  recordError(what);
}, true);
window.addEventListener('unhandledrejection', (event) => {
  recordError(`unhandled promise rejection: ${event.reason}`);
});
document.addEventListener('securitypolicyviolation', (event) => {
  recordError(`blocked by the content security policy: ${event.blockedURI} (${event.violatedDirective})`);
});

// ---------------------------------------------------------------- constants

const SVG_NS = 'http://www.w3.org/2000/svg';
// The map plays this many days a second: a year in a minute.
const DAYS_PER_SECOND = 6;
// Side of one grid square in the map's SVG units.
const CELL = 100;
// Who moves on the map, and how each is drawn. Officers and auxiliaries travel to
// calls; the community's actors work where they are.
const POLICE = new Set(['officer', 'auxiliary']);
// The map's colour scale comes from the server (`setup.palette`: viridis at 0, 0.1,
// ..., 1, the reports' scale): ordered in lightness, readable in grey and by
// colour-blind viewers.
const palette = () => state.setup.palette;
const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen',
  'seventeen', 'eighteen', 'nineteen', 'twenty',
];
const LEVER_KINDS = [
  ['mechanism', 'mechanisms'],
  ['problem', 'problems'],
  ['reform', 'reforms'],
];
const PRESET_KINDS = [
  ['baseline', 'Start from'],
  ['reform', 'Reforms'],
  ['union', 'All reforms'],
  ['teaching', 'Teaching scenarios'],
  ['scenario', 'Your scenarios'],
];

// ---------------------------------------------------------------- state

const state = {
  setup: null,
  // Every parameter by its dotted path, as /api/params describes it.
  params: new Map(),
  // The current value of every parameter; starts as the baseline's.
  values: new Map(),
  // The slider rows of each parameter: a parameter in several levers has several.
  rows: new Map(),
  // The levers' <details> and the paths each holds, for the "n changed" badges.
  leverGroups: [],
  presetButtons: [],
  // One id per tab: a new run from this tab cancels the one before on the server.
  client: randomId(),
  // The run in flight (messages of any other run are late news and ignored): the
  // controller that aborts its request, its replications asked for and finished.
  run: null,
  // The `start` message of the run shown, and its files as they come.
  lastStart: null,
  // The changes the results on screen were asked for.
  lastRequest: null,
  // Problems with the link or a preset: shown at the top until the page reloads.
  notices: [],
  // The pending update of the address bar.
  addressTimer: 0,
  downloads: { scenario: null, runs: null, comparison: null },
  // The map of the last run and what it shows.
  map: null,
  view: { layer: 0, position: 0, playing: false, lastFrame: 0 },
};

// ---------------------------------------------------------------- small helpers

const $ = (id) => document.getElementById(id);

// An element with attributes and children (strings become text).
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.setAttribute('class', value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

function randomId() {
  // crypto.randomUUID needs a secure context; a classroom on http://10.x.x.x is not.
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Metric and series names read as words: `trust_in_police` is "Trust in police".
function label(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function numberWord(n) {
  const word = NUMBER_WORDS[n] || String(n);
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// Three significant digits, thousands separated, a true minus sign; a dash when
// there is no number (yet).
function fmt(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  let text;
  if (x === 0) text = '0';
  else if (Math.abs(x) >= 1000) text = Math.round(Number(x.toPrecision(3))).toLocaleString('en');
  // Trailing zeros kept: 14.0 beside 10.4 reads as the same precision.
  else text = x.toPrecision(3);
  return text.replace('-', '−');
}

function fmtPercent(x) {
  return `${fmt(x * 100)}%`;
}

// A parameter's value as set: as precise as it is (sliders round to their step).
function fmtValue(v) {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return String(Number(v.toPrecision(6)));
}

function sameValue(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  }
  return a === b;
}

function isChanged(path) {
  return !sameValue(state.values.get(path), state.params.get(path).baseline);
}

function changedPaths() {
  return [...state.params.keys()].filter(isChanged);
}

// A slider step of about a hundredth of its range, rounded to 1, 2 or 5 times a
// power of ten so the values it gives read cleanly.
function niceStep(span) {
  if (!(span > 0)) return 1;
  const raw = span / 100;
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  const nice = mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1;
  return nice * power;
}

function decimalsOf(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

function setBodyState(value) {
  document.body.dataset.state = value;
}

function setStatus(text, kind = '') {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${kind}`.trim();
}

// ---------------------------------------------------------------- start-up

async function init() {
  try {
    const [setup, params] = await Promise.all([getJson('/api/setup'), getJson('/api/params')]);
    state.setup = setup;
    for (const p of params) {
      state.params.set(p.name, p);
      state.values.set(p.name, p.baseline);
    }
  } catch (error) {
    setBodyState('error');
    setStatus(`Cannot load the workshop: ${error.message}. Is cogov workshop still running?`, 'error');
    return;
  }
  const setup = state.setup;
  $('baseline').textContent = `Baseline ${setup.baseline}${setup.description ? `: ${setup.description}` : ''}`;
  const replications = $('replications');
  replications.max = setup.limits.max_replications;
  replications.value = setup.default_replications;
  buildPresets();
  buildLevers();
  buildCards();
  buildMapControls();
  wireControls();
  const runNow = readLink();
  refreshAll();
  $('run').disabled = false;
  setBodyState('ready');
  setStatus('Ready: move a lever or choose a preset, then press Run.');
  if (runNow) startRun();
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function wireControls() {
  $('run').addEventListener('click', () => startRun());
  $('stop').addEventListener('click', () => stopRun());
  $('reset-all').addEventListener('click', () => {
    resetValues();
    refreshAll();
  });
  $('replications').addEventListener('input', () => {
    clearReplicationsError();
    refreshShareLink();
  });
  $('download-scenario').addEventListener('click', () =>
    download('workshop.toml', state.downloads.scenario, 'application/toml'));
  $('download-runs').addEventListener('click', () =>
    download('runs.csv', state.downloads.runs, 'text/csv'));
  $('download-comparison').addEventListener('click', () =>
    download('comparison.csv', state.downloads.comparison, 'text/csv'));
}

// ---------------------------------------------------------------- presets

function buildPresets() {
  const box = $('presets');
  for (const [kind, heading] of PRESET_KINDS) {
    const presets = state.setup.presets.filter((p) => p.kind === kind);
    if (presets.length === 0) continue;
    const buttons = el('div', { class: 'preset-buttons' });
    const group = el('div', { class: 'preset-group', role: 'group', 'aria-label': heading },
      el('span', { class: 'preset-kind', text: heading }), buttons);
    for (const preset of presets) {
      const button = el('button', {
        type: 'button',
        class: `preset preset-${kind}`,
        title: preset.description,
        'aria-pressed': 'false',
        text: presetTitle(preset),
      });
      button.addEventListener('click', () => choosePreset(preset));
      state.presetButtons.push({ button, preset });
      buttons.append(button);
    }
    box.append(group);
  }
}

// A preset's button reads as its scenario's name without the kind's prefix:
// `reform_clarify_responsibility` is "Clarify responsibility".
function presetTitle(preset) {
  if (preset.kind === 'baseline') return 'Baseline';
  const name = preset.name.replace(/^(reform|teach)_/, '');
  return label(name);
}

function choosePreset(preset) {
  applyPreset(preset);
  openChangedLevers();
  refreshAll();
  if ($('run-on-preset').checked) startRun();
}

function applyPreset(preset) {
  resetValues();
  for (const [path, value] of Object.entries(preset.changes)) {
    if (state.params.has(path)) state.values.set(path, value);
    else showTopError(`The preset ${preset.name} sets \`${path}\`, which this model does not have.`, true);
  }
}

function presetMatches(preset) {
  for (const path of state.params.keys()) {
    const want = path in preset.changes ? preset.changes[path] : state.params.get(path).baseline;
    if (!sameValue(state.values.get(path), want)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- levers

function buildLevers() {
  const box = $('levers');
  for (const [kind, plural] of LEVER_KINDS) {
    const levers = state.setup.levers.filter((l) => l.kind === kind);
    if (levers.length === 0) continue;
    const section = el('section', { class: `lever-kind lever-kind-${kind}` },
      el('h2', { text: `${numberWord(levers.length)} ${levers.length === 1 ? kind : plural}` }));
    for (const lever of levers) section.append(buildLever(lever));
    box.append(section);
  }
  // Parameters with a plain label that no lever moves (a preset may): still set here.
  const others = [...state.params.values()].filter((p) => p.slider && p.levers.length === 0);
  if (others.length > 0) {
    const lever = {
      id: 'other',
      title: 'More settings',
      summary: 'Parameters the presets move that belong to no lever.',
      params: others.map((p) => p.name),
    };
    box.append(el('section', { class: 'lever-kind lever-kind-other' },
      el('h2', { text: 'Other settings' }), buildLever(lever)));
  }
}

function buildLever(lever) {
  const badge = el('span', { class: 'badge', hidden: true });
  const summary = el('summary', {},
    el('span', { class: 'lever-id', text: lever.id === 'other' ? '' : lever.id }),
    el('span', { class: 'lever-title', text: lever.title }),
    badge);
  const details = el('details', { class: 'lever' }, summary,
    el('p', { class: 'lever-summary', text: lever.summary }));
  const paths = lever.params.filter((path) => state.params.has(path));
  for (const path of paths) details.append(buildRow(state.params.get(path), lever.id));
  state.leverGroups.push({ details, badge, paths });
  return details;
}

// The range a parameter's slider spans and the step it moves by.
function sliderSpec(p) {
  const [lo, hi] = p.slider || [p.min ?? 0, p.max ?? 1];
  let step = niceStep(hi - lo);
  if (p.type === 'integer') step = Math.max(1, Math.round(step));
  return {
    min: Math.floor(lo / step) * step,
    max: Math.ceil(hi / step) * step,
    step,
    decimals: p.type === 'integer' ? 0 : decimalsOf(step),
  };
}

// One parameter's row: label, value with unit, changed mark, slider, exact input,
// reset. Every control of a parameter writes to state.values and refreshParam
// brings all its rows in line.
function buildRow(p, leverId) {
  const id = `in-${leverId}-${p.name}`;
  const text = p.label || p.name;
  const row = el('div', { class: 'param', 'data-path': p.name });
  const output = el('output', { class: 'param-value', for: id });
  const mark = el('span', { class: 'changed-mark', hidden: true });
  const head = el('div', { class: 'param-head' },
    el('label', { for: id, title: p.doc, text }), output);
  const controls = el('div', { class: 'param-controls' });
  const refs = { row, output, mark, input: null, exact: null, reset: null, error: null };

  if (p.type === 'boolean') {
    refs.input = el('input', { id, type: 'checkbox', title: p.doc });
    refs.input.addEventListener('change', () => setValue(p.name, refs.input.checked, refs.input));
    controls.append(refs.input);
  } else if (Array.isArray(p.options)) {
    refs.input = el('select', { id, title: p.doc });
    for (const option of p.options) refs.input.append(el('option', { value: option, text: option }));
    refs.input.addEventListener('change', () => setValue(p.name, refs.input.value, refs.input));
    controls.append(refs.input);
  } else {
    const spec = sliderSpec(p);
    refs.input = el('input', {
      id, type: 'range', min: spec.min, max: spec.max, step: spec.step, title: p.doc,
    });
    refs.input.addEventListener('input', () => {
      const raw = Number(refs.input.value);
      setValue(p.name, clampToValid(p, Number(raw.toFixed(spec.decimals))), refs.input);
    });
    refs.exact = el('input', {
      type: 'number',
      class: 'exact',
      min: p.min,
      max: p.max,
      step: p.type === 'integer' ? 1 : 'any',
      'aria-label': `${text}, exact value${p.unit ? ` in ${p.unit}` : ''}`,
      title: `Any value from ${fmtValue(p.min)} to ${fmtValue(p.max)}`,
    });
    refs.exact.addEventListener('input', () => exactInput(p, refs));
    // On leaving the box, an unfinished or invalid entry gives way to the value held.
    refs.exact.addEventListener('change', () => refreshParam(p.name));
    controls.append(refs.input, refs.exact);
  }
  refs.reset = el('button', {
    type: 'button',
    class: 'reset',
    'aria-label': `Reset ${text} to the baseline`,
    title: `Back to the baseline: ${fmtValue(p.baseline)}`,
    text: 'Reset',
  });
  refs.reset.addEventListener('click', () => setValue(p.name, p.baseline, null));
  controls.append(refs.reset);
  refs.error = el('pre', { class: 'error param-error', role: 'alert', hidden: true });
  row.append(head, controls, mark, refs.error);
  row.title = p.doc;

  if (!state.rows.has(p.name)) state.rows.set(p.name, []);
  state.rows.get(p.name).push(refs);
  return row;
}

function clampToValid(p, v) {
  if (p.min !== null && p.min !== undefined && v < p.min) return p.min;
  if (p.max !== null && p.max !== undefined && v > p.max) return p.max;
  return v;
}

// The exact box takes any valid value, beyond the slider's range too; an invalid
// one is marked and not taken.
function exactInput(p, refs) {
  const v = refs.exact.valueAsNumber;
  const valid = Number.isFinite(v)
    && (p.type !== 'integer' || Number.isInteger(v))
    && (p.min === null || p.min === undefined || v >= p.min)
    && (p.max === null || p.max === undefined || v <= p.max);
  refs.exact.setAttribute('aria-invalid', String(!valid));
  if (valid) setValue(p.name, v, refs.exact);
}

function setValue(path, value, source) {
  state.values.set(path, value);
  clearParamError(path);
  refreshParam(path, source);
  refreshSummary();
}

function resetValues() {
  for (const [path, p] of state.params) state.values.set(path, p.baseline);
  for (const path of state.rows.keys()) clearParamError(path);
}

// Brings every row of `path` in line with its value, except the control being used
// (rewriting a box while someone types in it would fight them).
function refreshParam(path, source = null) {
  const p = state.params.get(path);
  const value = state.values.get(path);
  const changed = isChanged(path);
  for (const refs of state.rows.get(path) || []) {
    if (refs.input !== source) {
      if (refs.input.type === 'checkbox') refs.input.checked = Boolean(value);
      else refs.input.value = String(value);
    }
    if (refs.exact && refs.exact !== source) {
      refs.exact.value = String(value);
      refs.exact.setAttribute('aria-invalid', 'false');
    }
    refs.output.textContent = `${fmtValue(value)}${p.unit && p.type !== 'boolean' ? ` ${p.unit}` : ''}`;
    refs.row.classList.toggle('changed', changed);
    refs.mark.hidden = !changed;
    refs.mark.textContent = changed ? `changed (baseline ${fmtValue(p.baseline)})` : '';
    refs.reset.disabled = !changed;
  }
}

// Everything that depends on the whole set of values: lever badges, the count, the
// presets that match, parameters changed without a slider, the link.
function refreshSummary() {
  for (const group of state.leverGroups) {
    const n = group.paths.filter(isChanged).length;
    group.badge.hidden = n === 0;
    group.badge.textContent = `${n} changed`;
    group.details.classList.toggle('changed', n > 0);
  }
  const changed = changedPaths();
  $('changed-count').textContent = changed.length === 0
    ? 'All at the baseline'
    : `${changed.length} ${changed.length === 1 ? 'parameter differs' : 'parameters differ'} from the baseline`;
  $('reset-all').disabled = changed.length === 0;
  for (const { button, preset } of state.presetButtons) {
    button.setAttribute('aria-pressed', String(presetMatches(preset)));
  }
  refreshExtraChanges(changed);
  refreshShareLink();
  refreshRunHint();
}

function refreshAll() {
  for (const path of state.params.keys()) refreshParam(path);
  refreshSummary();
}

// A preset or link may set a parameter that has no slider: say so, with a reset.
function refreshExtraChanges(changed) {
  const box = $('extra-changes');
  const extra = changed.filter((path) => !state.rows.has(path));
  box.replaceChildren();
  box.hidden = extra.length === 0;
  if (extra.length === 0) return;
  box.append(el('p', { text: 'Also set, without a slider:' }));
  const list = el('ul');
  for (const path of extra) {
    const p = state.params.get(path);
    const reset = el('button', { type: 'button', class: 'reset', text: 'Reset', 'aria-label': `Reset ${path}` });
    reset.addEventListener('click', () => setValue(path, p.baseline, null));
    list.append(el('li', { title: p.doc },
      el('code', { text: path }), ` = ${fmtValue(state.values.get(path))} (baseline ${fmtValue(p.baseline)}) `, reset));
  }
  box.append(list);
}

function openChangedLevers() {
  for (const group of state.leverGroups) group.details.open = group.paths.some(isChanged);
}

// A link that sets levers opens with the first of them in view in the levers panel,
// under its section's heading (only the panel scrolls, not the page).
function scrollToFirstChanged() {
  const first = state.leverGroups.find((group) => group.details.open);
  if (!first) return;
  const panel = first.details.closest('.levers-panel');
  const top = (node) => node.getBoundingClientRect().top;
  const heading = first.details.closest('section');
  // The heading too, when it fits above the lever in a third of the panel.
  const target = top(first.details) - top(heading) < panel.clientHeight / 3 ? heading : first.details;
  panel.scrollTop += top(target) - top(panel);
}

// The Run button stands out while the levers differ from what the results show.
function refreshRunHint() {
  const shown = state.lastRequest ? JSON.stringify(state.lastRequest) : null;
  const now = JSON.stringify(currentChanges());
  $('run').classList.toggle('pending', shown !== now);
}

// ---------------------------------------------------------------- links

// Reads `?preset=NAME&set.PATH=VALUE&replications=N&run=1`; true when the link asks
// to run at once.
function readLink() {
  const query = new URLSearchParams(window.location.search);
  const presetName = query.get('preset');
  if (presetName) {
    const preset = state.setup.presets.find((p) => p.name === presetName);
    if (preset) applyPreset(preset);
    else showTopError(`This link names the preset \`${presetName}\`, which this workshop does not have.`, true);
  }
  for (const [key, text] of query) {
    if (!key.startsWith('set.')) continue;
    const path = key.slice(4);
    const p = state.params.get(path);
    if (!p) {
      showTopError(`This link sets \`${path}\`, which is not a parameter of this model.`, true);
      continue;
    }
    state.values.set(path, parseLinkValue(p, text));
  }
  const replications = query.get('replications');
  if (replications !== null) $('replications').value = replications;
  openChangedLevers();
  scrollToFirstChanged();
  return query.get('run') === '1';
}

// A value as a link writes it. Anything the server would refuse is still taken:
// Run then shows the server's message beside the slider.
function parseLinkValue(p, text) {
  if (p.type === 'boolean') return text === 'true' || text === '1' || text === 'on';
  if (Array.isArray(p.options) || p.type === 'string') return text;
  const v = Number(text);
  return Number.isFinite(v) && text.trim() !== '' ? v : text;
}

function linkQuery(withRun) {
  const query = new URLSearchParams();
  for (const path of changedPaths()) query.append(`set.${path}`, String(state.values.get(path)));
  const replications = $('replications').value;
  if (replications !== String(state.setup.default_replications)) query.set('replications', replications);
  if (withRun) query.set('run', '1');
  const text = query.toString();
  return text ? `?${text}` : '';
}

// The address bar follows the levers (a reload keeps them, without re-running); the
// link beside them also runs.
function refreshShareLink() {
  $('share-link').href = `${window.location.pathname}${linkQuery(true)}`;
  // A dragged slider changes sixty times a second; browsers refuse (and complain
  // about) that many history updates, so the address follows once it settles.
  clearTimeout(state.addressTimer);
  state.addressTimer = setTimeout(() => {
    const address = `${window.location.pathname}${linkQuery(false)}`;
    if (address !== `${window.location.pathname}${window.location.search}`) {
      window.history.replaceState(null, '', address);
    }
  }, 300);
}

// ---------------------------------------------------------------- running

// Only what differs from the baseline is sent, as it is: a value the server refuses
// comes back with its message, shown beside the slider.
function currentChanges() {
  const changes = {};
  for (const path of changedPaths()) changes[path] = state.values.get(path);
  return changes;
}

function readReplications() {
  const input = $('replications');
  const n = Number(input.value);
  const max = state.setup.limits.max_replications;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    input.setAttribute('aria-invalid', 'true');
    setStatus(`Replications must be a whole number from 1 to ${max}.`, 'error');
    return null;
  }
  return n;
}

function clearReplicationsError() {
  $('replications').setAttribute('aria-invalid', 'false');
}

async function startRun() {
  const replications = readReplications();
  if (replications === null) return;
  cancelRun();
  const run = { controller: new AbortController(), target: replications, finished: 0, mapSeen: false };
  state.run = run;
  const changes = currentChanges();
  state.lastRequest = changes;
  refreshRunHint();
  clearAllErrors();
  beginResults();
  setBodyState('running');
  setStatus('Starting the run…', 'busy');
  $('stop').disabled = false;
  let response;
  try {
    response = await fetch('/api/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ changes, replications, client: state.client, charts: true, map: true }),
      signal: run.controller.signal,
    });
  } catch (error) {
    if (state.run === run) endRun('error', `Cannot reach the workshop server: ${error.message}`);
    return;
  }
  if (!response.ok) {
    const reason = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
    if (state.run === run) refuseRun(reason);
    return;
  }
  try {
    await readLines(response.body, (line) => handleLine(run, line));
  } catch (error) {
    // An aborted request (Run again, Stop) ends its stream with an AbortError.
    if (state.run === run && error.name !== 'AbortError') {
      endRun('error', `The run's connection broke: ${error.message}`);
    }
    return;
  }
  if (state.run === run) endRun('error', 'The server closed the connection before the run finished.');
}

// Calls `onLine` with each complete line of a streamed body.
async function readLines(body, onLine) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onLine(line);
      newline = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) onLine(buffer.trim());
}

function handleLine(run, line) {
  // A message of a run already replaced is late news: drop it.
  if (state.run !== run) return;
  const message = JSON.parse(line);
  switch (message.type) {
    case 'queued':
      setStatus(`Queued: ${message.ahead} ${message.ahead === 1 ? 'run' : 'runs'} ahead of this one…`, 'busy');
      break;
    case 'start':
      onStart(run, message);
      break;
    case 'update':
      run.finished = message.replications;
      onUpdate(message);
      break;
    case 'map':
      run.mapSeen = true;
      loadMap(message);
      break;
    case 'done':
      onDone(run, message);
      break;
    default:
      break;
  }
}

function cancelRun() {
  if (state.run) {
    const old = state.run;
    state.run = null;
    old.controller.abort();
  }
}

function stopRun() {
  const run = state.run;
  if (!run) return;
  cancelRun();
  $('stop').disabled = true;
  setBodyState('stopped');
  setStatus(`Stopped after ${run.finished} of ${run.target} replications.`);
  markStale(false);
}

// The run is over without `done`: an error, a broken connection.
function endRun(bodyState, message) {
  state.run = null;
  $('stop').disabled = true;
  setBodyState(bodyState);
  setStatus(message, 'error');
}

// A 4xx answer: the message beside the slider it names, else at the top.
function refuseRun(reason) {
  endRun('error', 'The server refused these settings: see the message in red.');
  const rows = reason.path ? state.rows.get(reason.path) : null;
  if (rows && rows.length > 0) {
    for (const refs of rows) {
      refs.error.textContent = reason.error;
      refs.error.hidden = false;
      refs.row.classList.add('invalid');
      const details = refs.row.closest('details');
      if (details) details.open = true;
    }
    rows[0].row.scrollIntoView({ block: 'center' });
  } else {
    showTopError(reason.error);
  }
  markStale(false);
}

// A message at the top of the levers; `lasting` ones (a bad link) outlive the next
// run, the server's refusals do not.
function showTopError(message, lasting = false) {
  if (lasting && state.notices.includes(message)) return;
  if (lasting) state.notices.push(message);
  const box = $('top-error');
  box.append(el('pre', { text: message }));
  box.hidden = false;
}

function clearParamError(path) {
  for (const refs of state.rows.get(path) || []) {
    refs.error.hidden = true;
    refs.error.textContent = '';
    refs.row.classList.remove('invalid');
  }
}

function clearAllErrors() {
  for (const path of state.rows.keys()) clearParamError(path);
  $('top-error').replaceChildren(...state.notices.map((text) => el('pre', { text })));
  $('top-error').hidden = state.notices.length === 0;
  clearReplicationsError();
}

// ---------------------------------------------------------------- messages

// A new run: the old results stay, faded, until the new ones arrive.
function beginResults() {
  markStale(true);
  state.downloads = { scenario: null, runs: null, comparison: null };
  refreshDownloads();
}

function markStale(stale) {
  for (const id of ['cards', 'charts', 'map', 'what-changed']) $(id).classList.toggle('stale', stale);
}

function onStart(run, message) {
  state.lastStart = message;
  state.downloads.scenario = message.scenario;
  refreshDownloads();
  setStatus(`Running: 0 of ${message.replications} replications…`, 'busy');
  renderWhatChanged(message, null);
}

function onUpdate(message) {
  renderCards(message.cards);
  if (Array.isArray(message.charts)) renderCharts(message.charts);
  renderWhatChanged(state.lastStart, message);
  for (const id of ['cards', 'charts', 'what-changed']) $(id).classList.remove('stale');
  $('cards-note').textContent = `after ${message.replications} of ${message.target} replications`;
  setStatus(`Running: ${message.replications} of ${message.target} replications…`, 'busy');
}

function onDone(run, message) {
  // The map is optional (a run may finish before it is traced): never show an older
  // run's map as this one's.
  if (!run.mapSeen) clearMap('This run sent no map.');
  state.downloads.runs = message.runs_csv;
  state.downloads.comparison = message.comparison_csv;
  refreshDownloads();
  state.run = null;
  $('stop').disabled = true;
  markStale(false);
  if (message.stopped) {
    setBodyState('stopped');
    setStatus(`Stopped after ${message.replications} of ${run.target} replications.`);
  } else {
    setBodyState('done');
    setStatus(`Done: ${message.replications} ${message.replications === 1 ? 'replication' : 'replications'} of the baseline and of these settings.`, 'done');
  }
}

// ---------------------------------------------------------------- cards

const cardRefs = new Map();

function buildCards() {
  const box = $('cards');
  for (const metric of state.setup.cards) {
    const refs = {
      card: el('article', { class: 'card verdict-none', title: metric.doc }),
      baseline: el('span', { class: 'card-number card-baseline', text: '–' }),
      current: el('span', { class: 'card-number card-current', text: '–' }),
      difference: el('p', { class: 'card-difference', text: 'Press Run to compare.' }),
      verdict: el('p', { class: 'card-verdict', text: '' }),
    };
    const better = metric.better === 'neither' ? '' : ` · ${metric.better} is better`;
    refs.card.append(
      el('h3', { text: label(metric.name) }),
      el('p', { class: 'card-unit', text: `${metric.unit}${better}` }),
      el('div', { class: 'card-values' },
        el('div', {}, el('span', { class: 'card-key', text: 'Baseline' }), refs.baseline),
        el('div', {}, el('span', { class: 'card-key', text: 'Current' }), refs.current)),
      refs.difference,
      refs.verdict);
    cardRefs.set(metric.name, refs);
    box.append(refs.card);
  }
}

function renderCards(cards) {
  for (const card of cards) {
    const refs = cardRefs.get(card.metric);
    if (!refs) continue;
    refs.baseline.textContent = fmt(card.baseline);
    refs.current.textContent = fmt(card.current);
    const difference = fmt(card.difference);
    const interval = card.ci95_low === null || card.ci95_high === null
      ? '95% CI after 2 replications'
      : `95% CI ${fmt(card.ci95_low)} to ${fmt(card.ci95_high)}`;
    refs.difference.replaceChildren(
      el('span', { class: 'card-key', text: 'Change ' }),
      el('strong', { text: difference }),
      ' ',
      el('span', { class: 'card-interval', text: `(${interval})` }));
    refs.verdict.textContent = card.verdict;
    refs.card.className = `card verdict-${card.verdict}`;
  }
}

// ---------------------------------------------------------------- charts

// The server draws each series' chart; the page only places them.
function renderCharts(charts) {
  const box = $('charts');
  for (const placeholder of box.querySelectorAll('.placeholder')) placeholder.remove();
  while (box.children.length < charts.length) box.append(el('figure', { class: 'chart-box' }));
  while (box.children.length > charts.length) box.lastElementChild.remove();
  charts.forEach((svg, i) => {
    box.children[i].innerHTML = svg;
  });
}

// ---------------------------------------------------------------- what changed

function renderWhatChanged(start, update) {
  const box = $('what-changed');
  box.replaceChildren();
  box.append(el('h3', { text: 'Levers moved' }));
  if (start.changed.length === 0) {
    box.append(el('p', { text: 'None: these are the baseline\'s settings, so both runs are the same.' }));
  } else {
    const list = el('ul', { class: 'moved' });
    for (const c of start.changed) {
      const unit = c.unit ? ` (${c.unit})` : '';
      list.append(el('li', {},
        el('strong', { text: c.label || c.path }),
        `: ${fmtValue(c.baseline)} → ${fmtValue(c.current)}${unit}`));
    }
    box.append(list);
  }
  box.append(el('h3', { text: 'Largest effects' }));
  if (!update) {
    box.append(el('p', { text: 'Waiting for the first replications…' }));
    return;
  }
  const clear = update.cards.filter((c) => c.verdict === 'better' || c.verdict === 'worse' || c.verdict === 'changed');
  if (clear.length === 0) {
    const more = update.replications < update.target ? ' yet' : '';
    box.append(el('p', {
      text: `No clear effect${more}: after ${update.replications} replications every 95% interval still includes zero.`
        + (update.replications >= update.target ? ' More replications would narrow the intervals.' : ''),
    }));
    return;
  }
  clear.sort((a, b) => effectSize(b) - effectSize(a));
  const list = el('ul', { class: 'effects' });
  for (const card of clear) list.append(el('li', { class: `effect-${card.verdict}` }, effectSentence(card)));
  box.append(list);
}

// How large an effect is, for ordering: its relative change, or, with no baseline to
// divide by, an absolute change put after every relative one.
function effectSize(card) {
  return card.baseline ? Math.abs(card.difference / card.baseline) : -1 / (1 + Math.abs(card.difference));
}

// "Incidents per 1000 fell by 4.1% (95% CI 2.0% to 6.2%): better."
function effectSentence(card) {
  const verb = card.difference < 0 ? 'fell' : 'rose';
  const sign = card.difference < 0 ? -1 : 1;
  let by;
  if (card.baseline) {
    const scale = sign / card.baseline;
    const [a, b] = [card.ci95_low * scale, card.ci95_high * scale].sort((x, y) => x - y);
    by = `${fmtPercent(card.difference * scale)} (95% CI ${fmtPercent(a)} to ${fmtPercent(b)})`;
  } else {
    const [a, b] = [card.ci95_low * sign, card.ci95_high * sign].sort((x, y) => x - y);
    by = `${fmt(card.difference * sign)} ${card.unit} (95% CI ${fmt(a)} to ${fmt(b)})`;
  }
  const judged = card.verdict === 'changed' ? '' : `: ${card.verdict}`;
  return `${label(card.metric)} ${verb} by ${by}${judged}.`;
}

// ---------------------------------------------------------------- map

function buildMapControls() {
  const select = $('map-layer');
  state.setup.map.forEach((layer, i) => {
    select.append(el('option', { value: String(i), title: layer.doc, text: label(layer.name) }));
  });
  select.addEventListener('change', () => {
    state.view.layer = Number(select.value);
    renderMapLegend();
    drawMap();
  });
  $('map-play').addEventListener('click', () => (state.view.playing ? pause() : play()));
  $('map-day').addEventListener('input', () => {
    pause();
    state.view.position = Number($('map-day').value);
    drawMap();
  });
  renderMapLegend();
}

// Takes a `map` message: checks its size, finds each layer's range over all days
// (a fixed legend), groups the moves by day and draws the grid. The top of a range
// is the 98th percentile, not the maximum: one hot-spot grid would otherwise leave
// every other grid the same dark colour all year; the legend says "≥" then.
function loadMap(message) {
  const cells = message.width * message.height;
  const layers = message.metrics.length;
  const days = message.days.length;
  if (days === 0 || message.values.length !== days * cells * layers) {
    clearMap('This run sent a map that does not fit its grid.');
    return;
  }
  const ranges = message.metrics.map((_, m) => {
    const finite = [];
    for (let i = m; i < message.values.length; i += layers) {
      if (Number.isFinite(message.values[i])) finite.push(message.values[i]);
    }
    if (finite.length === 0) return [0, 1, false];
    finite.sort((a, b) => a - b);
    const lo = finite[0];
    const max = finite[finite.length - 1];
    const hi = finite[Math.floor(0.98 * (finite.length - 1))];
    return hi > lo ? [lo, hi, max > hi] : [lo, max, false];
  });
  const movesByDay = Array.from({ length: days }, () => []);
  for (const move of message.moves) {
    if (move[0] >= 0 && move[0] < days) movesByDay[move[0]].push(move);
  }
  state.map = { ...message, cells, layers, ranges, movesByDay, rects: [], moveGroup: null, drawnDay: -1 };
  buildMapSvg();
  const slider = $('map-day');
  slider.max = String(days - 1);
  slider.disabled = false;
  $('map-play').disabled = false;
  state.view.position = Math.min(state.view.position, days - 1);
  $('map').classList.remove('stale');
  renderMapLegend();
  drawMap();
}

function clearMap(why) {
  pause();
  state.map = null;
  $('map').replaceChildren(el('p', { class: 'placeholder', text: why }));
  $('map').classList.remove('stale');
  $('map-play').disabled = true;
  $('map-day').disabled = true;
  $('map-day-label').textContent = 'day –';
  renderMapLegend();
}

function buildMapSvg() {
  const map = state.map;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${map.width * CELL} ${map.height * CELL}`,
    class: 'map-svg',
    role: 'img',
    'aria-label': `The district: ${map.width} by ${map.height} grids`,
  });
  for (let g = 0; g < map.cells; g++) {
    const rect = svgEl('rect', {
      class: 'cell',
      x: (g % map.width) * CELL,
      y: Math.floor(g / map.width) * CELL,
      width: CELL,
      height: CELL,
      stroke: '#ffffff',
      'stroke-width': 2,
    });
    rect.append(svgEl('title'));
    map.rects.push(rect);
    svg.append(rect);
  }
  map.moveGroup = svgEl('g', { class: 'moves' });
  svg.append(map.moveGroup);
  $('map').replaceChildren(svg);
}

// The layer's colours for the current day, its moves, the legend and the day label.
function drawMap() {
  const map = state.map;
  if (!map) return;
  const view = state.view;
  const day = Math.min(Math.floor(view.position), map.days.length - 1);
  const layerName = state.setup.map[view.layer].name;
  const m = Math.max(0, map.metrics.indexOf(layerName));
  const [lo, hi] = map.ranges[m];
  for (let g = 0; g < map.cells; g++) {
    const v = map.values[(day * map.cells + g) * map.layers + m];
    const rect = map.rects[g];
    rect.setAttribute('fill', Number.isFinite(v) ? viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5) : '#bbbbbb');
    rect.firstChild.textContent = `Grid ${g + 1}: ${label(layerName)} ${fmt(v)}`;
  }
  if (day !== map.drawnDay) {
    buildMoves(day);
    map.drawnDay = day;
  }
  // Paused, the day's moves are shown arrived; playing, they travel through the day.
  placeMoves(view.playing ? view.position - day : 1);
  $('map-day').value = String(day);
  $('map-day-label').textContent = `Day ${map.days[day]} (${day + 1} of ${map.days.length})`;
}

function cellCentre(g) {
  const width = state.map.width;
  return [(g % width + 0.5) * CELL, (Math.floor(g / width) + 0.5) * CELL];
}

// One marker per move of `day`, each a little off the centre so several to one
// grid do not hide each other (the golden angle spreads them evenly).
function buildMoves(day) {
  const map = state.map;
  map.moveGroup.replaceChildren();
  map.dayMoves = map.movesByDay[day].map((move, k) => {
    const [, from, to, who] = move;
    const angle = k * 2.399963;
    const radius = 12 + (k % 4) * 7;
    const offset = [Math.cos(angle) * radius, Math.sin(angle) * radius];
    const [fx, fy] = cellCentre(from);
    const [tx, ty] = cellCentre(to);
    const start = [fx + offset[0], fy + offset[1]];
    const end = [tx + offset[0], ty + offset[1]];
    if (POLICE.has(who)) {
      const trail = svgEl('line', { class: 'trail', stroke: '#ffffff', 'stroke-width': 3, 'stroke-opacity': 0.75 });
      const dot = svgEl('circle', { class: 'mover police', r: 7, fill: '#ffffff', stroke: '#000000', 'stroke-width': 2 });
      dot.append(svgEl('title'));
      dot.firstChild.textContent = `${who.replace(/_/g, ' ')}: grid ${from + 1} to grid ${to + 1}`;
      map.moveGroup.append(trail, dot);
      return { trail, dot, start, end };
    }
    const ring = svgEl('circle', {
      class: 'mover community', r: 8, cx: end[0], cy: end[1], fill: 'none', stroke: '#F0E442', 'stroke-width': 3.5,
    });
    const outline = svgEl('circle', {
      r: 10.5, cx: end[0], cy: end[1], fill: 'none', stroke: '#000000', 'stroke-width': 1.5,
    });
    ring.append(svgEl('title'));
    ring.firstChild.textContent = `${who.replace(/_/g, ' ')} at work in grid ${to + 1}`;
    map.moveGroup.append(outline, ring);
    return null;
  }).filter(Boolean);
}

// Puts each travelling dot `t` (0 to 1) of the way along its path.
function placeMoves(t) {
  for (const { trail, dot, start, end } of state.map.dayMoves || []) {
    const x = start[0] + (end[0] - start[0]) * t;
    const y = start[1] + (end[1] - start[1]) * t;
    setAttrs(trail, { x1: start[0], y1: start[1], x2: x, y2: y });
    setAttrs(dot, { cx: x, cy: y });
  }
}

function viridis(t) {
  const stops = palette();
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hexRgb(stops[i]);
  const b = hexRgb(stops[i + 1]);
  const mix = a.map((c, k) => Math.round(c + (b[k] - c) * f));
  return `rgb(${mix.join(',')})`;
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// The colour bar of the layer shown (its range over every day of the run) and the
// key to the markers.
function renderMapLegend() {
  const box = $('map-legend');
  const layer = state.setup.map[state.view.layer];
  const map = state.map;
  let range = null;
  if (map) {
    const m = map.metrics.indexOf(layer.name);
    if (m >= 0) range = map.ranges[m];
  }
  const bar = svgEl('svg', { viewBox: '0 0 200 14', class: 'colour-bar', 'aria-hidden': 'true', preserveAspectRatio: 'none' });
  const gradient = svgEl('linearGradient', { id: 'viridis-bar' });
  palette().forEach((colour, i, stops) => {
    gradient.append(svgEl('stop', { offset: `${(i / (stops.length - 1)) * 100}%`, 'stop-color': colour }));
  });
  const defs = svgEl('defs');
  defs.append(gradient);
  bar.append(defs, svgEl('rect', { width: 200, height: 14, fill: 'url(#viridis-bar)' }));
  const better = layer.better === 'neither' ? '' : ` · ${layer.better} is better`;
  box.replaceChildren(
    el('div', { class: 'legend-scale', title: layer.doc },
      el('span', { class: 'legend-min', text: range ? fmt(range[0]) : 'low' }),
      bar,
      el('span', { class: 'legend-max', text: range ? `${range[2] ? '≥ ' : ''}${fmt(range[1])}` : 'high' })),
    el('p', { class: 'legend-unit', text: `${label(layer.name)}: ${layer.unit}${better}` }),
    el('ul', { class: 'legend-movers' },
      el('li', {}, markerSwatch(true), 'Officers and auxiliaries going to a call'),
      el('li', {}, markerSwatch(false),
        'Grid workers, NGOs, enterprises, police posts, volunteers and witnesses at work')));
}

function markerSwatch(police) {
  const svg = svgEl('svg', { viewBox: '0 0 24 24', class: 'swatch', 'aria-hidden': 'true' });
  if (police) {
    svg.append(svgEl('circle', { cx: 12, cy: 12, r: 7, fill: '#ffffff', stroke: '#000000', 'stroke-width': 2 }));
  } else {
    svg.append(
      svgEl('circle', { cx: 12, cy: 12, r: 10, fill: 'none', stroke: '#000000', 'stroke-width': 1.5 }),
      svgEl('circle', { cx: 12, cy: 12, r: 7.5, fill: 'none', stroke: '#F0E442', 'stroke-width': 3.5 }));
  }
  return svg;
}

function play() {
  if (!state.map) return;
  state.view.playing = true;
  $('map-play').textContent = 'Pause';
  state.view.lastFrame = performance.now();
  requestAnimationFrame(frame);
}

function pause() {
  state.view.playing = false;
  $('map-play').textContent = 'Play';
  if (state.map) drawMap();
}

// One animation frame: time moves the map on, wrapping to the first day.
function frame(now) {
  if (!state.view.playing || !state.map) return;
  // A tab in the background gets no frames; do not jump a month when it returns.
  // A frame's time may also precede the moment Play was pressed.
  const elapsed = Math.max(0, Math.min(now - state.view.lastFrame, 250));
  state.view.lastFrame = now;
  state.view.position = (state.view.position + (elapsed * DAYS_PER_SECOND) / 1000) % state.map.days.length;
  drawMap();
  requestAnimationFrame(frame);
}

// ---------------------------------------------------------------- export

function refreshDownloads() {
  $('download-scenario').disabled = !state.downloads.scenario;
  $('download-runs').disabled = !state.downloads.runs;
  $('download-comparison').disabled = !state.downloads.comparison;
}

// Saves `text` as a file through a temporary link.
function download(name, text, type) {
  if (!text) return;
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read the blob once the click's download started.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

init();
