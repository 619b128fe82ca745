// The instructor page's script, as plain browser JavaScript served verbatim (no build step); `API` is prepended by instructor-page.ts.
// It only ever sets textContent, never markup, and talks to nothing but the admin server it came from.

/** How often the page re-reads conditions, drill and report: often enough to follow a drill step by step. */
const REFRESH_MS = 2000;
/** What picking a slow source with the slider still at 0 means: slow enough for a class to notice. */
const DEFAULT_SLOW_MS = 5000;
/** The drawing reads every terminal's audit trail: redrawn when the report changes, else this often for late uploads. */
const REDRAW_MS = 10_000;

export const INSTRUCTOR_SCRIPT_BODY = String.raw`
const REFRESH_MS = ${REFRESH_MS};
const DEFAULT_SLOW_MS = ${DEFAULT_SLOW_MS};
const REDRAW_MS = ${REDRAW_MS};
const byId = (id) => document.getElementById(id);
const form = byId('conditions');
/** The conditions as the switch last reported them; a change is sent as these plus the one control moved. */
let current = null;
let shipped = [];

const clockTime = (iso) => new Date(iso).toLocaleTimeString();
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';

function say(element, text, isError) {
  element.textContent = text;
  element.classList.toggle('error', Boolean(isError));
}

// The admin token lives in this tab only (sessionStorage): closing the tab forgets it.
const TOKEN_KEY = 'outrider-admin-token';
const token = () => sessionStorage.getItem(TOKEN_KEY);

/** A link printed by a drill switch carries the token in its fragment: kept for the tab, then wiped from the address bar. */
function takeTokenFromAddress() {
  const match = /(?:^#|&)admin-token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

function askForToken(why) {
  byId('token-form').hidden = false;
  say(byId('token-message'), why, true);
  byId('admin-token').focus();
}

async function call(path, method, body) {
  const init = { method: method || 'GET', cache: 'no-store', headers: { Authorization: 'Bearer ' + (token() || '') } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    askForToken(token() ? 'The switch refused this admin token: paste the one in its admin token file.' : 'Paste the admin token to control the switch.');
    throw new Error('the admin token is missing or wrong');
  }
  if (!response.ok) throw new Error((data && data.error && data.error.message) || 'HTTP ' + response.status);
  return data;
}

function showValue(range, value) {
  const output = form.querySelector('output[for="' + range.name + '"]');
  if (output) output.textContent = value + ' ' + output.dataset.unit;
}

function showConditions(conditions) {
  current = conditions;
  for (const box of form.querySelectorAll('input[type=checkbox]')) box.checked = Boolean(conditions[box.name]);
  for (const range of form.querySelectorAll('input[type=range]')) {
    // Leave alone the slider the instructor is moving.
    if (range === document.activeElement) continue;
    const value = range.name === 'slowExtraMs' ? (conditions.slowSource ? conditions.slowSource.extraMs : 0) : conditions[range.name];
    range.value = String(value);
    showValue(range, value);
  }
  form.elements.slowSource.value = conditions.slowSource ? conditions.slowSource.source : '';
}

/** The whole conditions document with the one control the instructor changed. */
function changed(control) {
  const next = Object.assign({}, current);
  if (control.name === 'slowSource' || control.name === 'slowExtraMs') {
    const source = form.elements.slowSource.value;
    const extraMs = Number(form.elements.slowExtraMs.value) || (control.name === 'slowSource' ? DEFAULT_SLOW_MS : 0);
    next.slowSource = source ? { source: source, extraMs: extraMs } : null;
  } else if (control.type === 'checkbox') {
    next[control.name] = control.checked;
  } else {
    next[control.name] = Number(control.value);
  }
  return next;
}

async function putConditions(next) {
  try {
    showConditions(await call(API.conditions, 'PUT', next));
    say(byId('message'), 'Conditions applied at ' + new Date().toLocaleTimeString() + '.');
  } catch (error) {
    say(byId('message'), 'The switch refused the change: ' + error.message, true);
  }
}

form.addEventListener('input', (event) => {
  if (event.target.type === 'range') showValue(event.target, event.target.value);
});
form.addEventListener('change', (event) => {
  if (current) void putConditions(changed(event.target));
});
byId('normal').addEventListener('click', () => void putConditions({}));

function showShipped(drills) {
  shipped = drills;
  const list = byId('drill-list');
  list.replaceChildren(
    ...drills.map((drill) => {
      const option = document.createElement('option');
      option.value = drill.id;
      option.textContent = drill.name + ' (' + Math.round(drill.durationSeconds / 60 * 10) / 10 + ' min' + (drill.loop ? ', loops' : '') + ')';
      return option;
    }),
  );
  showDescription();
}

function showDescription() {
  const drill = shipped.find((candidate) => candidate.id === byId('drill-list').value);
  byId('drill-description').textContent = drill ? drill.description : '';
}
byId('drill-list').addEventListener('change', showDescription);

function describeStatus(status) {
  if (status.state === 'idle') return 'No drill has played yet.';
  const name = '"' + status.name + '"';
  if (status.state === 'ended') return name + ' has ended; the link is back to normal.';
  if (status.state === 'stopped') return name + ' was stopped; the link is back to normal.';
  let text = 'Playing ' + name + ': ' + Math.floor(status.elapsedSeconds) + ' s of ' + status.durationSeconds + ' s';
  if (status.loop) text += ', cycle ' + status.cycle;
  if (status.restarting) text += '; the switch is restarting';
  if (status.nextStep) text += '; next: steps[' + status.nextStep.index + '] at ' + status.nextStep.at + ' s';
  return text + '.';
}

/** "Restart steps: process (SQLite store). Switch process 4242, up since 10:02:07." */
function describeRestarts(status) {
  const mode = status.restartMode.kind === 'process' ? 'process' : 'listener only';
  return 'Restart steps: ' + mode + ' (' + status.restartMode.reason + '). Switch process ' + status.process.pid + ', up since ' + clockTime(status.process.startedAt) + '.';
}

function showStatus(status) {
  const problem = status.lastError ? ' A step failed: ' + status.lastError : '';
  say(byId('drill-status'), describeStatus(status) + problem, Boolean(status.lastError));
  byId('drill-restarts').textContent = describeRestarts(status);
  byId('drill-stop').disabled = status.state !== 'running';
}

byId('drill-start').addEventListener('click', async () => {
  try {
    showStatus(await call(API.drill, 'POST', { id: byId('drill-list').value }));
    void refresh();
  } catch (error) {
    say(byId('drill-status'), 'The drill did not start: ' + error.message, true);
  }
});
byId('drill-stop').addEventListener('click', async () => {
  try {
    showStatus(await call(API.drill, 'DELETE'));
    void refresh();
  } catch (error) {
    say(byId('drill-status'), 'The drill did not stop: ' + error.message, true);
  }
});

function cell(row, text) {
  const element = document.createElement('td');
  element.textContent = text;
  row.append(element);
}

function showReport(report) {
  const delays = report.answers.medianDelayMs === null ? 'none yet' : seconds(report.answers.medianDelayMs) + ' / ' + seconds(report.answers.maxDelayMs);
  const rows = [
    ['Drill', report.drill === null ? 'none: counting since the switch started' : report.drill + ' (' + report.state + ')'],
    ['Queries received', report.queries.received],
    ['Different queries (idempotency keys)', report.queries.distinctKeys],
    ['Executed', report.queries.executed],
    ['Duplicates refused (answered from the first run)', report.queries.duplicatesRefused],
    ['Key reused for another query (422)', report.queries.keyReused],
    ['Answers delivered', report.answers.delivered],
    ['Executed, answer not delivered yet', report.answers.undelivered],
    ['Delivered late (over ' + report.lateAfterSeconds + ' s after first receipt)', report.answers.late],
    ['Delay from first receipt, median / longest', delays],
    ...report.restarts.map((restart) => [
      'Restart at ' + clockTime(restart.at),
      (restart.kind === 'process' ? 'process ' + restart.pidBefore + ' killed' : 'listener only') +
        (restart.backAt === null ? ', still down' : ', back at ' + clockTime(restart.backAt) + (restart.kind === 'process' ? ' as process ' + restart.pidAfter : '')),
    ]),
  ];
  byId('report-counts').replaceChildren(
    ...rows.flatMap(([label, value]) => {
      const term = document.createElement('dt');
      term.textContent = label;
      const detail = document.createElement('dd');
      detail.textContent = String(value);
      return [term, detail];
    }),
  );
  byId('late-answers').replaceChildren(
    ...report.lateAnswers.map((late) => {
      const row = document.createElement('tr');
      cell(row, late.idempotencyKey);
      cell(row, clockTime(late.firstReceivedAt));
      cell(row, clockTime(late.deliveredAt));
      cell(row, seconds(late.delayMs));
      return row;
    }),
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** What the drawing was last drawn for, when, and the address of its download (a blob of this tab). */
let drawnFor = '';
let drawnAt = 0;
let downloadUrl = null;

/**
 * The drawing as SVG elements: parsed as image/svg+xml (never as HTML), refused if it is anything but SVG, and kept
 * to shapes and text (no script, link, embedded page or event attribute survives), then adopted into the page.
 */
function drawingFrom(text) {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (parsed.getElementsByTagName('parsererror').length > 0 || svg.namespaceURI !== SVG_NS || svg.localName !== 'svg') throw new Error('the switch sent a drawing that is not SVG');
  for (const node of svg.querySelectorAll('script, style, foreignObject, image, use, a, iframe')) node.remove();
  for (const node of [svg, ...svg.querySelectorAll('*')]) {
    for (const attribute of [...node.attributes]) if (/^on|href$/i.test(attribute.name)) node.removeAttribute(attribute.name);
  }
  return document.importNode(svg, true);
}

async function showDrawing(report) {
  const signature = JSON.stringify([report.drill, report.state, report.startedAt, report.queries, report.answers, report.restarts]);
  if (signature === drawnFor && Date.now() - drawnAt < REDRAW_MS) return;
  drawnFor = signature;
  drawnAt = Date.now();
  try {
    const response = await fetch(API.drawing, { cache: 'no-store', headers: { Authorization: 'Bearer ' + (token() || '') } });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const text = await response.text();
    byId('report-drawing').replaceChildren(drawingFrom(text));
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    const link = byId('drawing-download');
    link.href = downloadUrl;
    link.download = 'drill-report-' + report.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-') + '.svg';
    link.hidden = false;
    say(byId('drawing-status'), 'Drawn at ' + new Date().toLocaleTimeString() + (report.state === 'running' ? ', while the drill plays.' : '.'));
  } catch (error) {
    drawnFor = '';
    say(byId('drawing-status'), 'The drawing could not be shown: ' + error.message, true);
  }
}

/** The officers table as last drawn: redrawn only when it changes, so a Release button is not replaced under the pointer. */
let shownOfficers = '';

function describeSignIn(officer) {
  if (officer.locked) return 'Locked since ' + clockTime(officer.lockedAt);
  if (officer.failures > 0) return officer.failures + ' failed sign-in' + (officer.failures === 1 ? '' : 's') + ' in the last 15 min';
  return 'Can sign in';
}

function describeCode(code) {
  return code ? code.code + ' (' + code.secondsLeft + ' s)' : '';
}

/** The codes' seconds change at every refresh: they are written into their cells, the rows are left standing. */
function showCodes(codes) {
  for (const row of byId('officers').children) {
    const code = codes.find((candidate) => candidate.officerId === row.dataset.officer);
    row.querySelector('.code').textContent = describeCode(code);
  }
}

function showOfficers(officers, codes) {
  const drawn = JSON.stringify(officers);
  if (drawn !== shownOfficers) drawOfficers(officers);
  shownOfficers = drawn;
  showCodes(codes);
}

function drawOfficers(officers) {
  byId('officers').replaceChildren(
    ...officers.map((officer) => {
      const row = document.createElement('tr');
      row.dataset.officer = officer.id;
      cell(row, officer.id);
      cell(row, officer.name);
      cell(row, '');
      row.lastChild.classList.add('code');
      cell(row, describeSignIn(officer));
      row.lastChild.classList.toggle('locked', officer.locked);
      const action = document.createElement('td');
      if (officer.locked) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Release ' + officer.id;
        button.addEventListener('click', () => void release(officer.id));
        action.append(button);
      }
      row.append(action);
      return row;
    }),
  );
}

async function release(id) {
  try {
    await call(API.officers + '/' + encodeURIComponent(id) + '/release', 'POST', {});
    say(byId('officers-message'), id + ' released at ' + new Date().toLocaleTimeString() + ': the officer can sign in again.');
    void refresh();
  } catch (error) {
    say(byId('officers-message'), 'The switch did not release ' + id + ': ' + error.message, true);
  }
}

const SECURITY_TITLES = {
  audit_restarted: 'Audit trail restarted',
  token_replayed: 'Replaced token used again',
  account_locked: 'Account locked',
  account_released: 'Account released',
  address_throttled: 'Address throttled',
};

function showSecurity(events) {
  byId('security-events').replaceChildren(
    ...events.slice(0, 20).map((event) => {
      const row = document.createElement('tr');
      cell(row, clockTime(event.at));
      cell(row, SECURITY_TITLES[event.kind] || event.kind);
      cell(row, event.message);
      row.classList.toggle('flag', event.kind === 'audit_restarted' || event.kind === 'token_replayed');
      return row;
    }),
  );
  byId('security-none').hidden = events.length > 0;
}

async function refresh() {
  if (!token()) return askForToken('Paste the admin token to control the switch.');
  try {
    // A switch holding real officers has no codes to show: its route is absent, and the column stays empty.
    const codes = call(API.codes).catch(() => []);
    const [conditions, status, report, officers, security, drive] = await Promise.all([call(API.conditions), call(API.drill), call(API.report), call(API.officers), call(API.security), call(API.drive)]);
    showConditions(conditions);
    showStatus(status);
    showDrive(drive);
    showReport(report);
    void showDrawing(report);
    showOfficers(officers, await codes);
    showSecurity(security);
    say(byId('status'), 'Connected; updated ' + new Date().toLocaleTimeString() + '.');
  } catch (error) {
    say(byId('status'), 'Cannot reach the switch admin server: ' + error.message, true);
  }
}

let started = false;

async function start() {
  if (!token()) return askForToken('Paste the admin token to control the switch.');
  byId('token-form').hidden = true;
  try {
    showShipped(await call(API.drills));
  } catch (error) {
    say(byId('drill-status'), 'Could not list the drills: ' + error.message, true);
  }
  await refresh();
  if (!started) setInterval(refresh, REFRESH_MS);
  started = true;
}

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const given = byId('admin-token').value.trim();
  if (!given) return;
  sessionStorage.setItem(TOKEN_KEY, given);
  byId('admin-token').value = '';
  say(byId('token-message'), '');
  void start();
});

takeTokenFromAddress();
void start();
`;
