// The end-of-drill report drawn as one standalone SVG: the link conditions over time, each query's life on the
// same axis, late answers marked, and a legend saying where each mark comes from and what is not known.
// Pure: the same input draws the same picture. No fonts, images, styles or scripts from anywhere: presentation
// attributes only, so the drawing can be put into the instructor page under its strict CSP, and printed.
import type { DrillReport } from '../../src-shared/drill.ts';
import { type BandRow, bandRows } from './condition-bands.ts';
import type { QueryLife } from './query-lives.ts';
import type { ConditionChangeAt } from './query-ledger.ts';
import { element, escapeXml, text, tooltip } from './svg-markup.ts';

/** A fix of the car on a drive (issue 23 item 5), in the same time as the rest. */
export interface TrackPoint {
  atMs: number;
  lat: number;
  lon: number;
}

/** A coverage polygon of a drive: `[lat, lon]` points, and whether the link is dead or degraded in it. */
export interface DrawnCoverage {
  name: string;
  kind: 'dead' | 'degraded';
  ring: ReadonlyArray<readonly [number, number]>;
}

/** Dead coverage in red, degraded in amber, both light enough for the track to read across them. */
export const COVERAGE_FILL = { dead: '#f4c7c3', degraded: '#fde7b0' } as const;
export const COVERAGE_EDGE = { dead: '#b00020', degraded: '#9a6700' } as const;

export interface ReportDrawingInput {
  report: DrillReport;
  /** The link conditions as they changed over the drill, first entry at (or before) its start. */
  changes: readonly ConditionChangeAt[];
  queries: readonly QueryLife[];
  /** Where the car was, for a drill that drives a route; absent (or empty) for any other: nothing is drawn for it. */
  route?: readonly TrackPoint[];
  /** The drive's coverage polygons, drawn under the track. */
  coverage?: readonly DrawnCoverage[];
  /** When it is drawn: the right end of the axis while the drill still runs. */
  drawnAtMs: number;
}

/** More lanes than a debrief can read; past it the late ones are kept first, and the drawing says how many are left out. */
export const MAX_LANES = 150;

const WIDTH = 1000;
const LEFT = 210;
const RIGHT = 24;
const PLOT = WIDTH - LEFT - RIGHT;
const ROW = 20;
const LANE = 18;
const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const INK = '#111111';
const MUTED = '#4a4a4a';
const LATE = '#b00020';
const LATE_WASH = '#fde8eb';
const ALERT = '#b54708';
const ACK = '#1b6e35';
/** Axis steps a person counts in. */
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** Signed minutes and seconds from the drill's start: `-0:05`, `1:30`. */
export function offsetText(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  return `${sign}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const secondsText = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Axis {
  startMs: number;
  fromMs: number;
  toMs: number;
  x(ms: number): number;
}

/** The axis covers the drill and every mark, so a query entered before the drill began still shows where it was. */
function axisFor(input: ReportDrawingInput, endMs: number, lanes: readonly QueryLife[]): Axis {
  const startMs = Date.parse(input.report.startedAt);
  const times = lanes.flatMap((life) => [life.enteredMs, life.sentMs, life.answeredMs, life.alertedMs, life.acknowledgedMs]).filter((at): at is number => at !== undefined);
  const fromMs = Math.min(startMs, ...times);
  const toMs = Math.max(endMs, fromMs + 1000, ...times);
  return { startMs, fromMs, toMs, x: (ms) => LEFT + ((ms - fromMs) / (toMs - fromMs)) * PLOT };
}

function ticks(axis: Axis, top: number, bottom: number): string {
  const spanS = (axis.toMs - axis.fromMs) / 1000;
  const stepMs = (TICK_STEPS_S.find((step) => spanS / step <= 10) ?? 14_400) * 1000;
  const marks: string[] = [];
  for (let at = Math.ceil((axis.fromMs - axis.startMs) / stepMs) * stepMs; axis.startMs + at <= axis.toMs; at += stepMs) {
    const x = axis.x(axis.startMs + at);
    marks.push(element('line', { x1: x, x2: x, y1: top, y2: bottom, stroke: '#d0d0d0', 'stroke-width': 1 }));
    marks.push(text({ x, y: top - 4, 'text-anchor': 'middle', fill: MUTED }, offsetText(at)));
  }
  return element('g', { 'aria-hidden': 'true' }, marks.join(''));
}

function bandsSection(rows: readonly BandRow[], axis: Axis, top: number): { markup: string; height: number } {
  const heading = text({ x: 8, y: top + 14, 'font-weight': 'bold', fill: INK }, 'Link conditions');
  if (rows.length === 0) return { markup: heading + text({ x: LEFT, y: top + 14, fill: MUTED }, 'Normal link throughout'), height: ROW + 6 };
  const markup = rows.map((row, index) => {
    const y = top + index * ROW;
    const spans = row.spans.map((span) => {
      const x = axis.x(span.fromMs);
      const width = Math.max(1.5, axis.x(span.toMs) - x);
      const words = `${row.label} ${span.text}, ${offsetText(span.fromMs - axis.startMs)} to ${offsetText(span.toMs - axis.startMs)}`;
      const fits = width > span.text.length * 6.5 + 6;
      return element('g', {}, tooltip(words) + element('rect', { x, y: y + 2, width, height: ROW - 4, fill: row.fill, stroke: INK, 'stroke-width': 0.5 }) + (fits ? text({ x: x + 4, y: y + 14, fill: row.ink }, span.text) : ''));
    });
    return text({ x: 8, y: y + 14, fill: INK }, row.label) + spans.join('');
  });
  return { markup: heading + element('g', { transform: `translate(0 ${ROW})` }, markup.join('')), height: (rows.length + 1) * ROW + 6 };
}

/**
 * The queries given a lane: every late one first, then the rest in the order they reached the switch, up to
 * MAX_LANES, in that order. Also used before drawing, to read only the trails of terminals that get a lane.
 */
export function chooseLanes<T extends { late: boolean }>(queries: readonly T[], sentMs: (query: T) => number): T[] {
  const bySent = [...queries].sort((a, b) => sentMs(a) - sentMs(b));
  const chosen = new Set([...bySent.filter((query) => query.late), ...bySent.filter((query) => !query.late)].slice(0, MAX_LANES));
  return bySent.filter((query) => chosen.has(query));
}

const circle = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('circle', { cx: x, cy: y, r: 4.5, fill: '#ffffff', stroke: INK, 'stroke-width': 1.5 }));
const triangle = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('path', { d: `M${x - 4} ${y - 5}L${x + 5} ${y}L${x - 4} ${y + 5}Z`, fill: INK }));
const square = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('rect', { x: x - 4, y: y - 4, width: 8, height: 8, fill: INK }));
const diamond = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('path', { d: `M${x} ${y - 7}L${x + 7} ${y}L${x} ${y + 7}L${x - 7} ${y}Z`, fill: LATE, stroke: INK, 'stroke-width': 1 }));
const alertMark = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('path', { d: `M${x} ${y - 6}L${x + 6} ${y + 5}L${x - 6} ${y + 5}Z`, fill: ALERT, stroke: INK, 'stroke-width': 0.75 }));
const tick = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + element('path', { d: `M${x - 5} ${y}L${x - 1} ${y + 4}L${x + 6} ${y - 5}`, fill: 'none', stroke: ACK, 'stroke-width': 2.5 }));
const unknown = (x: number, y: number, title: string) => element('g', {}, tooltip(title) + text({ x, y: y + 4, 'text-anchor': 'middle', 'font-weight': 'bold', fill: MUTED }, '?'));

function lane(life: QueryLife, index: number, axis: Axis, y: number, lateAfterSeconds: number): string {
  const at = (ms: number) => offsetText(ms - axis.startMs);
  const mid = y + LANE / 2;
  const parts: string[] = [];
  if (life.late) parts.push(element('rect', { x: 2, y, width: WIDTH - 4, height: LANE, fill: LATE_WASH }));
  parts.push(element('g', {}, tooltip(`Idempotency key ${life.key}`) + text({ x: 8, y: mid + 4, fill: INK, 'font-family': 'ui-monospace, Menlo, Consolas, monospace' }, `${index + 1}. ${life.key.slice(0, 8)}`)));
  const sentX = axis.x(life.sentMs);
  const answeredX = life.answeredMs === undefined ? undefined : axis.x(life.answeredMs);
  if (life.enteredMs !== undefined) parts.push(element('line', { x1: axis.x(life.enteredMs), x2: sentX, y1: mid, y2: mid, stroke: MUTED, 'stroke-width': 1.5, 'stroke-dasharray': '3 3' }));
  parts.push(element('line', { x1: sentX, x2: answeredX ?? axis.x(axis.toMs), y1: mid, y2: mid, stroke: INK, 'stroke-width': answeredX === undefined ? 1 : 2, ...(answeredX === undefined ? { 'stroke-dasharray': '1 3' } : {}) }));
  const lastMs = life.acknowledgedMs ?? life.alertedMs;
  if (answeredX !== undefined && lastMs !== undefined) parts.push(element('line', { x1: Math.min(answeredX, axis.x(lastMs)), x2: Math.max(answeredX, axis.x(lastMs)), y1: mid, y2: mid, stroke: ALERT, 'stroke-width': 1 }));
  if (life.enteredMs === undefined) parts.push(unknown(sentX - 12, mid, 'Entered: not known (the terminal\'s audit trail has not reached the switch, or does not hold this query)'));
  else parts.push(circle(axis.x(life.enteredMs), mid, `Entered ${at(life.enteredMs)}`));
  parts.push(triangle(sentX, mid, `Sent: reached the switch ${at(life.sentMs)}`));
  if (life.answeredMs !== undefined && answeredX !== undefined) {
    const delay = life.answeredMs - life.sentMs;
    if (life.late) {
      parts.push(diamond(answeredX, mid, `Answered ${at(life.answeredMs)}: LATE, ${secondsText(delay)} after it reached the switch (over ${lateAfterSeconds} s)`));
      // In the label column, where it never covers a mark.
      parts.push(text({ x: LEFT - 8, y: mid + 4, 'text-anchor': 'end', 'font-weight': 'bold', fill: LATE }, `LATE +${secondsText(delay)}`));
    } else {
      parts.push(square(answeredX, mid, `Answered ${at(life.answeredMs)}, ${secondsText(delay)} after it reached the switch`));
      parts.push(text({ x: LEFT - 8, y: mid + 4, 'text-anchor': 'end', fill: MUTED }, `+${secondsText(delay)}`));
    }
  } else parts.push(text({ x: LEFT - 8, y: mid + 4, 'text-anchor': 'end', fill: MUTED }, 'no answer'));
  if (life.alertedMs !== undefined) parts.push(alertMark(axis.x(life.alertedMs), mid, `Alerted ${at(life.alertedMs)}`));
  if (life.acknowledgedMs !== undefined) parts.push(tick(axis.x(life.acknowledgedMs), mid, `Acknowledged ${at(life.acknowledgedMs)}`));
  if (!life.trailCovers && answeredX !== undefined) parts.push(unknown(answeredX + 14, mid, "Alerted, acknowledged: not known (the terminal's audit trail has not reached the switch this far)"));
  return element('g', {}, parts.join(''));
}

const LEGEND: ReadonlyArray<[(x: number, y: number, title: string) => string, string]> = [
  [circle, "Entered: the officer pressed Enter and the query was queued (from the terminal's audit trail)."],
  [triangle, 'Sent: the query first got through to the switch (from the switch; sends the link lost are not recorded anywhere).'],
  [square, "Answered: the whole answer reached the terminal's connection (from the switch)."],
  [alertMark, "Alerted: a hit alert was raised (from the terminal's audit trail); no mark where the answer raised none."],
  [tick, "Acknowledged: the officer acknowledged the alert (from the terminal's audit trail)."],
  [unknown, "Not known: the terminal's audit trail had not reached the switch that far when this was drawn."],
];

function legend(top: number, lateAfterSeconds: number): { markup: string; height: number } {
  const lines = LEGEND.map(([mark, words], index) => {
    const y = top + 22 + index * ROW;
    return mark(18, y - 4, words) + text({ x: 34, y, fill: INK }, words);
  });
  const lateY = top + 22 + LEGEND.length * ROW;
  lines.push(diamond(18, lateY - 4, 'Late'));
  lines.push(text({ x: 34, y: lateY, fill: INK }, `LATE: answered more than ${lateAfterSeconds} s after the query reached the switch; its lane is shaded.`));
  const waitY = lateY + ROW;
  lines.push(element('line', { x1: 8, x2: 28, y1: waitY - 4, y2: waitY - 4, stroke: MUTED, 'stroke-width': 1.5, 'stroke-dasharray': '3 3' }));
  lines.push(text({ x: 34, y: waitY, fill: INK }, 'Dashed, Entered to Sent: the query waited in the car (queued, or sent and lost on the link).'));
  const heading = text({ x: 8, y: top, 'font-weight': 'bold', fill: INK }, 'Legend');
  return { markup: element('g', {}, heading + lines.join('')), height: (LEGEND.length + 3) * ROW + 8 };
}

/** The car's track, when the drill drove a route, over its coverage polygons: nothing at all otherwise. */
/** `entered Canyon (dead) 0:58, left Canyon 1:51`: the crossings as the debrief reads them. */
export function crossingsText(crossings: NonNullable<DrillReport['drive']>['crossings']): string {
  if (crossings.length === 0) return 'The car entered no coverage area.';
  const clock = (seconds: number) => offsetText(seconds * 1000);
  return `The car ${crossings.map((crossing) => (crossing.event === 'entered' ? `entered ${crossing.area} (${crossing.kind}) ${clock(crossing.atSeconds)}` : `left ${crossing.area} ${clock(crossing.atSeconds)}`)).join(', ')}.`;
}

function routeSection(route: readonly TrackPoint[] | undefined, coverage: readonly DrawnCoverage[], drive: DrillReport['drive'], top: number): { markup: string; height: number } {
  if (!route || route.length < 2) return { markup: '', height: 0 };
  // Fitted to the track and the coverage together, so a debrief sees the canyon even if the drill ended before it.
  const corners = [...route.map((point) => [point.lat, point.lon] as const), ...coverage.flatMap((area) => area.ring)];
  const lats = corners.map(([lat]) => lat);
  const lons = corners.map(([, lon]) => lon);
  const [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const box = { x: LEFT, y: top + 12, width: PLOT, height: 180 };
  // Equirectangular, longitude shrunk by the cosine of the latitude: true enough for a drive's few kilometres.
  const squeeze = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const scale = Math.min(box.width / Math.max((east - west) * squeeze, 1e-9), box.height / Math.max(north - south, 1e-9));
  const at = (lat: number, lon: number) => `${(box.x + (lon - west) * squeeze * scale).toFixed(1)},${(box.y + box.height - (lat - south) * scale).toFixed(1)}`;
  const points = route.map((point) => at(point.lat, point.lon));
  const areas = coverage.map((area) => {
    const outline = area.ring.map(([lat, lon]) => at(lat, lon)).join(' ');
    const [labelLat, labelLon] = area.ring.reduce(([lat, lon], point) => (point[1] > lon ? point : [lat, lon]), area.ring[0]!);
    const [x, y] = at(labelLat, labelLon).split(',').map(Number) as [number, number];
    return (
      element('polygon', { points: outline, fill: COVERAGE_FILL[area.kind], stroke: COVERAGE_EDGE[area.kind], 'stroke-width': 1 }, tooltip(`${area.name}: ${area.kind}`)) +
      text({ x: x + 6, y: y + 4, fill: COVERAGE_EDGE[area.kind] }, `${area.name} (${area.kind})`)
    );
  });
  const key = coverage.length === 0 ? '' : text({ x: 8, y: top + 32, fill: MUTED }, 'Red: dead. Amber: degraded.');
  const markup =
    text({ x: 8, y: top + 14, 'font-weight': 'bold', fill: INK }, 'Where the car was') +
    key +
    areas.join('') +
    element('polyline', { points: points.join(' '), fill: 'none', stroke: INK, 'stroke-width': 2 }) +
    (drive ? text({ x: 8, y: box.y + box.height + 22, fill: INK }, crossingsText(drive.crossings)) : '');
  return { markup, height: box.height + (drive ? 48 : 30) };
}

function summaryOf(report: DrillReport, rows: readonly BandRow[], shown: number, total: number, startMs: number): string {
  const conditions = rows.flatMap((row) => row.spans.map((span) => `${row.label} ${span.text} from ${offsetText(span.fromMs - startMs)} to ${offsetText(span.toMs - startMs)}`));
  return [
    `Drill ${report.drill ?? 'none (counting since the switch started)'}, ${report.state}.`,
    `${report.queries.distinctKeys} queries reached the switch; ${report.answers.delivered} answered, ${report.answers.late} late (over ${report.lateAfterSeconds} s), ${report.answers.undelivered} executed but not answered.`,
    conditions.length === 0 ? 'The link was normal throughout.' : `Link conditions: ${conditions.join('; ')}.`,
    shown < total ? `${shown} of ${total} queries drawn, every late one among them.` : '',
    report.drive ? `Drive ${report.drive.route}: ${crossingsText(report.drive.crossings)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The report as a standalone SVG document. */
export function drawReport(input: ReportDrawingInput): string {
  const { report } = input;
  const endMs = report.endedAt === null ? input.drawnAtMs : Date.parse(report.endedAt);
  const lanes = chooseLanes(input.queries, (life) => life.sentMs);
  const axis = axisFor(input, endMs, lanes);
  const rows = bandRows(input.changes, report.restarts, endMs);
  const heading = `Drill report: ${report.drill ?? 'no drill (since the switch started)'}`;
  const when = `${report.state}, ${report.startedAt.replace('T', ' ').slice(0, 19)} to ${report.endedAt === null ? 'now' : report.endedAt.replace('T', ' ').slice(0, 19)} UTC`;
  const counts = `Queries ${report.queries.distinctKeys} · answered ${report.answers.delivered} · late ${report.answers.late} · not answered ${report.answers.undelivered} · duplicates refused ${report.queries.duplicatesRefused}`;

  let y = 70;
  const axisTop = y + 16;
  const bands = bandsSection(rows, axis, axisTop + 4);
  y = axisTop + 4 + bands.height;
  const lanesTop = y + 22;
  const left = lanes.length < input.queries.length ? ` (${lanes.length} of ${input.queries.length} drawn, every late one among them)` : '';
  const lanesHeading = text({ x: 8, y: y + 14, 'font-weight': 'bold', fill: INK }, lanes.length === 0 ? 'Queries: none reached the switch' : `Queries, in the order they reached the switch${left}`);
  const laneMarkup = lanes.map((life, index) => lane(life, index, axis, lanesTop + index * LANE, report.lateAfterSeconds)).join('');
  y = lanesTop + lanes.length * LANE + 16;
  const route = routeSection(input.route, input.coverage ?? [], report.drive, y);
  y += route.height;
  const key = legend(y + 16, report.lateAfterSeconds);
  const height = y + 16 + key.height;

  const body = [
    element('title', { id: 'drill-report-title' }, escapeXml(heading)),
    element('desc', { id: 'drill-report-desc' }, escapeXml(summaryOf(report, rows, lanes.length, input.queries.length, axis.startMs))),
    element('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }),
    text({ x: 8, y: 24, 'font-size': 18, 'font-weight': 'bold', fill: INK }, heading),
    text({ x: 8, y: 44, fill: INK }, when),
    text({ x: 8, y: 62, fill: INK }, counts),
    ticks(axis, axisTop, lanesTop + lanes.length * LANE),
    bands.markup,
    lanesHeading,
    laneMarkup,
    route.markup,
    key.markup,
  ];
  const attributes = {
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: WIDTH,
    height,
    role: 'img',
    'aria-labelledby': 'drill-report-title drill-report-desc',
    'font-family': FONT,
    'font-size': 12,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('svg', attributes, body.join(''))}\n`;
}
