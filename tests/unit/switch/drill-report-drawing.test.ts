// The report's drawing as an instructor debriefs from it: link bands, one lane per query with its marks, late
// answers marked, what is unknown said so, every text escaped, and a document any XML parser takes.
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { LinkConditions, NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import type { DrillReport } from '../../../src-shared/drill.ts';
import { queryLives } from '../../../src-switch/drill/query-lives.ts';
import { drawReport, MAX_LANES, type ReportDrawingInput } from '../../../src-switch/drill/report-drawing.ts';
import { escapeXml } from '../../../src-switch/drill/svg-markup.ts';

const START = Date.parse('2026-11-23T10:00:00.000Z');
const at = (seconds: number) => START + seconds * 1000;
const iso = (seconds: number) => new Date(at(seconds)).toISOString();

function report(overrides: Partial<DrillReport> = {}): DrillReport {
  return {
    drill: 'Dead zone',
    state: 'ended',
    startedAt: iso(0),
    endedAt: iso(180),
    lateAfterSeconds: 10,
    queries: { received: 3, distinctKeys: 2, executed: 2, duplicatesRefused: 1, keyReused: 0 },
    answers: { delivered: 2, undelivered: 0, late: 1, medianDelayMs: 500, maxDelayMs: 42_000 },
    lateAnswers: [],
    restarts: [],
    ...overrides,
  };
}

const ON_TIME = 'aaaaaaaa-0000-4000-8000-000000000001';
const LATE = 'bbbbbbbb-0000-4000-8000-000000000002';

function input(overrides: Partial<ReportDrawingInput> = {}): ReportDrawingInput {
  return {
    report: report(),
    changes: [
      { atMs: at(0), conditions: LinkConditions.parse({ latencyMs: 800, jitterMs: 400 }) },
      { atMs: at(40), conditions: LinkConditions.parse({ latencyMs: 800, jitterMs: 400, outage: true }) },
      { atMs: at(130), conditions: NORMAL_CONDITIONS },
    ],
    queries: [
      { key: ON_TIME, enteredMs: at(5), sentMs: at(6), answeredMs: at(6.5), alertedMs: at(6.6), acknowledgedMs: at(20), late: false, trailCovers: true },
      { key: LATE, enteredMs: at(45), sentMs: at(131), answeredMs: at(173), late: true, trailCovers: false },
    ],
    drawnAtMs: at(200),
    ...overrides,
  };
}

/**
 * Parses as XML, failing on any error or warning, as a strict consumer (a browser's image/svg+xml parser) would;
 * xmldom lets a bare `&` in text and XML-forbidden control characters through, so those are looked for too.
 */
function parse(svg: string) {
  const problems: string[] = [];
  const document = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(svg, 'image/svg+xml');
  expect(problems).toEqual([]);
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i);
  // eslint-disable-next-line no-control-regex -- looking for the control characters XML forbids
  expect(svg).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  return document;
}

type Parsed = ReturnType<typeof parse>;
const all = (document: Parsed, name: string) => Array.from(document.getElementsByTagName(name));
const texts = (document: Parsed) => all(document, 'text').map((node) => node.textContent);
const titles = (document: Parsed) => all(document, 'title').map((node) => node.textContent);

describe('the drill report drawing', () => {
  it('is one well-formed SVG document with a title and a description for screen readers', () => {
    const document = parse(drawReport(input()));
    const svg = document.documentElement!;
    expect(svg.localName).toBe('svg');
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-labelledby')).toBe('drill-report-title drill-report-desc');
    expect(titles(document)[0]).toBe('Drill report: Dead zone');
    const desc = all(document, 'desc')[0]!.textContent!;
    expect(desc).toContain('2 queries reached the switch; 2 answered, 1 late (over 10 s)');
    expect(desc).toContain('Outage refused from 0:40 to 2:10');
  });

  it('loads nothing from anywhere and runs nothing: no script, style, image, link or font', () => {
    const svg = drawReport(input());
    expect(svg).not.toMatch(/<script|<style|<image|<use|<a[\s>]|<foreignObject|href=|url\(|@font-face|\son[a-z]+=/i);
    expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('draws a band for each condition that played, over the time it held, and a legend row for each', () => {
    const document = parse(drawReport(input()));
    expect(texts(document)).toEqual(expect.arrayContaining(['Link conditions', 'Outage', 'Latency', 'refused', '800 ms +0-400']));
    expect(titles(document)).toEqual(expect.arrayContaining(['Outage refused, 0:40 to 2:10', 'Latency 800 ms +0-400, 0:00 to 2:10']));
    // Conditions that never played get no row.
    expect(texts(document)).not.toContain('Black hole');
    expect(texts(document)).not.toContain('Loss');
  });

  it('says the link was normal throughout when nothing played, and draws a restart as its own band', () => {
    const restart = { step: 1, cycle: 1, atSeconds: 60, kind: 'process' as const, at: iso(60), backAt: iso(80), pidBefore: 10, pidAfter: 11 };
    expect(texts(parse(drawReport(input({ changes: [] }))))).toContain('Normal link throughout');
    const document = parse(drawReport(input({ changes: [], report: report({ restarts: [restart] }) })));
    expect(titles(document)).toContain('Restart process, 1:00 to 1:20');
  });

  it('gives each query a lane with a mark for entered, sent, answered, alerted and acknowledged', () => {
    const document = parse(drawReport(input()));
    expect(texts(document)).toEqual(expect.arrayContaining(['1. aaaaaaaa', '+0.5 s', '2. bbbbbbbb']));
    expect(titles(document)).toEqual(
      expect.arrayContaining([`Idempotency key ${ON_TIME}`, 'Entered 0:05', 'Sent: reached the switch 0:06', 'Answered 0:06, 0.5 s after it reached the switch', 'Alerted 0:06', 'Acknowledged 0:20']),
    );
  });

  it('marks a late answer distinctly: its own shape and colour, a LATE label with the delay, its lane shaded', () => {
    const svg = drawReport(input());
    const document = parse(svg);
    expect(texts(document)).toContain('LATE +42.0 s');
    expect(titles(document)).toContain('Answered 2:53: LATE, 42.0 s after it reached the switch (over 10 s)');
    expect(svg).toContain('fill="#fde8eb"');
    expect(svg.match(/fill="#b00020"/g)!.length).toBeGreaterThanOrEqual(2);
    // The on-time answer is not marked late.
    const onTime = drawReport(input({ queries: [input().queries[0]!] }));
    expect(onTime).not.toContain('LATE +');
    expect(onTime).not.toContain('fill="#fde8eb"');
  });

  it('says plainly what it does not know: an entry the trail does not hold, and alerts past where the trail reached', () => {
    const unknownEntry = { key: ON_TIME, sentMs: at(6), answeredMs: at(7), late: false, trailCovers: false };
    const document = parse(drawReport(input({ queries: [unknownEntry] })));
    expect(titles(document)).toEqual(
      expect.arrayContaining([
        "Entered: not known (the terminal's audit trail has not reached the switch, or does not hold this query)",
        "Alerted, acknowledged: not known (the terminal's audit trail has not reached the switch this far)",
      ]),
    );
    expect(texts(document)).toContain("Not known: the terminal's audit trail had not reached the switch that far when this was drawn.");
    expect(texts(document)).toContain('Sent: the query first got through to the switch (from the switch; sends the link lost are not recorded anywhere).');
  });

  it('draws a query never answered to the end of the axis, saying it had no answer', () => {
    const waiting = { key: ON_TIME, enteredMs: at(50), sentMs: at(60), late: false, trailCovers: false };
    expect(texts(parse(drawReport(input({ queries: [waiting] }))))).toContain('no answer');
  });

  it('escapes every text it draws: a drill name with markup stays text', () => {
    const name = `<script>alert("x")</script> & 'Tunnel' ]]> \u0007`;
    const svg = drawReport(input({ report: report({ drill: name }) }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('\u0007');
    const document = parse(svg);
    expect(titles(document)[0]).toBe(`Drill report: <script>alert("x")</script> & 'Tunnel' ]]> `);
    expect(all(document, 'script')).toHaveLength(0);
    expect(escapeXml(`a"b'c<d>e&f`)).toBe('a&quot;b&apos;c&lt;d&gt;e&amp;f');
  });

  it('shows no more than the report does: no plate, officer or terminal from the audit trail', () => {
    const terminal = 'terminal-car-0042';
    const trail = auditChain(terminal, [
      ['query.enqueued', ON_TIME, 'queued plate query 4TRN123 CA, routine', at(5)],
      ['query.answered', ON_TIME, 'hit', at(6.5)],
      ['alert.raised', `alert-${ON_TIME}`, 'hit: STOLEN VEHICLE 4TRN123', at(6.6)],
      ['alert.acknowledged', `alert-${ON_TIME}`, 'hit: STOLEN VEHICLE 4TRN123', at(20)],
    ]);
    const lives = queryLives([{ key: ON_TIME, terminal, firstReceivedMs: at(6), deliveredMs: at(6.5), late: false }], new Map([[terminal, trail]]));
    expect(lives).toEqual([{ key: ON_TIME, enteredMs: at(5), sentMs: at(6), answeredMs: at(6.5), alertedMs: at(6.6), acknowledgedMs: at(20), late: false, trailCovers: true }]);
    const svg = drawReport(input({ queries: lives }));
    for (const secret of ['4TRN123', 'STOLEN', 'TRN101', terminal]) expect(svg).not.toContain(secret);
  });

  it('draws at most MAX_LANES lanes, every late one kept, and says how many are left out', () => {
    const many = Array.from({ length: MAX_LANES + 20 }, (_, index) => ({
      key: `${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
      sentMs: at(index),
      answeredMs: at(index) + (index === MAX_LANES + 10 ? 30_000 : 100),
      late: index === MAX_LANES + 10,
      trailCovers: true,
    }));
    const document = parse(drawReport(input({ queries: many })));
    expect(texts(document)).toContain(`Queries, in the order they reached the switch (${MAX_LANES} of ${MAX_LANES + 20} drawn, every late one among them)`);
    expect(texts(document)).toContain('LATE +30.0 s');
  });

  it('draws nothing for a position track when the drill has no route, and the track when it has one', () => {
    expect(drawReport(input())).not.toContain('Where the car was');
    expect(drawReport(input({ route: [] }))).not.toContain('<polyline');
    const route = [
      { atMs: at(0), lat: 37.8, lon: -122.3 },
      { atMs: at(60), lat: 37.81, lon: -122.28 },
    ];
    const drawn = parse(drawReport(input({ route })));
    expect(texts(drawn)).toContain('Where the car was');
    expect(all(drawn, 'polyline')).toHaveLength(1);
  });

  it("draws a drive's coverage under the track, labelled with its kind, fitted so a polygon the car never reached still shows", () => {
    const route = [
      { atMs: at(0), lat: 37.8, lon: -122.3 },
      { atMs: at(60), lat: 37.81, lon: -122.3 },
    ];
    // North of where the drill ended: the car never got there.
    const ring: Array<[number, number]> = [
      [37.82, -122.301],
      [37.82, -122.299],
      [37.83, -122.299],
      [37.83, -122.301],
    ];
    const crossings = [
      { event: 'entered', area: 'Canyon', kind: 'dead', cycle: 1, atSeconds: 58, at: new Date(at(58)).toISOString() },
      { event: 'left', area: 'Canyon', kind: 'dead', cycle: 1, atSeconds: 111.4, at: new Date(at(111)).toISOString() },
    ] as const;
    const withDrive = { ...report(), drive: { route: 'routes/canyon.nmea', crossings: [...crossings] } };
    const drawn = parse(drawReport(input({ report: withDrive, route, coverage: [{ name: 'Canyon', kind: 'dead', ring }] })));
    expect(texts(drawn)).toContain('The car entered Canyon (dead) 0:58, left Canyon 1:51.');
    expect(all(drawn, 'desc')[0]!.textContent).toContain('Drive routes/canyon.nmea: The car entered Canyon (dead) 0:58, left Canyon 1:51.');
    const [polygon] = all(drawn, 'polygon');
    expect(polygon!.getAttribute('fill')).toBe('#f4c7c3');
    expect(texts(drawn)).toEqual(expect.arrayContaining(['Canyon (dead)', 'Red: dead. Amber: degraded.']));
    const ys = polygon!.getAttribute('points')!.split(' ').map((point) => Number(point.split(',')[1]));
    const [line] = all(drawn, 'polyline');
    const lineYs = line!.getAttribute('points')!.split(' ').map((point) => Number(point.split(',')[1]));
    // North is up, and the whole polygon is inside the map's 180 units of height with the track.
    expect(Math.max(...ys)).toBeLessThan(Math.min(...lineYs));
    expect(Math.max(...lineYs) - Math.min(...ys)).toBeLessThanOrEqual(180.1);
  });

  it('draws the same picture from the same input', () => {
    expect(drawReport(input())).toBe(drawReport(input()));
  });
});

/** A terminal's trail as it reaches the switch: [action, subject, outcome, time] in order, chained. */
function auditChain(terminal: string, lines: Array<[string, string, string, number]>): AuditRecord[] {
  let prev = GENESIS;
  return lines.map(([action, subject, outcome, time], index) => {
    const content = { at: auditTime(new Date(time)), officer: 'TRN101', terminal, action, subject, outcome };
    const hash = chainHash(prev, content);
    const record = { seq: index + 1, ...content, prev, hash };
    prev = hash;
    return record;
  });
}
