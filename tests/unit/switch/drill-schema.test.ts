// Drill files: the schema refuses a bad one naming the bad entry, and every shipped drill passes it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDrill, parseDrillText } from '../../../src-shared/drill.ts';
import { SHIPPED_DRILL_FILES } from '../../../src-switch/drill/shipped-drills.ts';

const drill = (steps: unknown[], extra: object = {}) => ({ name: 'Test', description: 'A drill under test', durationSeconds: 60, steps, ...extra });
const problem = (input: unknown) => {
  const parsed = parseDrill(input);
  return parsed.ok ? 'accepted' : parsed.error;
};

describe('the drill schema', () => {
  it('accepts a timeline of conditions and restarts, looping off and late after one request timeout by default', () => {
    const parsed = parseDrill(
      drill([
        { at: 0, set: { latencyMs: 500, jitterMs: 250 } },
        { at: 10, restart: { downSeconds: 5 } },
        { at: 15, set: { slowSource: { source: 'NCIC', extraMs: 8000 } } },
      ]),
    );
    expect(parsed).toMatchObject({ ok: true, value: { loop: false, lateAfterSeconds: 10 } });
    if (parsed.ok) expect(parsed.value.steps[0]).toEqual({ at: 0, set: { latencyMs: 500, jitterMs: 250 } });
  });

  it('names the step and condition out of range', () => {
    const steps = [{ at: 0, set: { latencyMs: 100 } }, { at: 5, set: { outage: true } }, { at: 10, set: { outage: false } }, { at: 20, set: { lossPercent: 150 } }];
    expect(problem(drill(steps))).toBe('steps[3].set.lossPercent: must be 0 to 100');
  });

  it('names a condition it does not know', () => {
    expect(problem(drill([{ at: 0, set: { tunnel: true } }]))).toBe('steps[0].set: Unrecognized key: "tunnel"');
  });

  it('names an unknown slow source', () => {
    expect(problem(drill([{ at: 0, set: { slowSource: { source: 'FBI', extraMs: 100 } } }]))).toMatch(/^steps\[0\]\.set\.slowSource\.source: /);
  });

  it('refuses steps out of time order, naming the later one', () => {
    expect(problem(drill([{ at: 0, set: { outage: true } }, { at: 30, set: { outage: false } }, { at: 20, set: { lossPercent: 5 } }]))).toBe(
      'steps[2].at: comes before steps[1] (at 30 s): steps must be in time order',
    );
  });

  it('refuses a step that is neither a change nor a restart, or both', () => {
    const message = 'a step either sets conditions or restarts the switch: give "set" or "restart", not both or neither';
    expect(problem(drill([{ at: 0 }]))).toBe(`steps[0]: ${message}`);
    expect(problem(drill([{ at: 0, set: { outage: true }, restart: { downSeconds: 3 } }]))).toBe(`steps[0]: ${message}`);
    expect(problem(drill([{ at: 0, set: {} }]))).toBe('steps[0].set: names no condition to change');
  });

  it('refuses a step while the switch is down for a restart, and a restart that outlasts the drill', () => {
    expect(problem(drill([{ at: 10, restart: { downSeconds: 20 } }, { at: 25, set: { lossPercent: 5 } }]))).toBe(
      'steps[1].at: falls while the switch is down for the restart in steps[0] (until 30 s)',
    );
    expect(problem(drill([{ at: 10, restart: { downSeconds: 20 } }, { at: 30, set: { lossPercent: 5 } }]))).toBe('accepted');
    expect(problem(drill([{ at: 50, restart: { downSeconds: 20 } }]))).toBe('steps[0].restart.downSeconds: keeps the switch down past the end of the drill (60 s)');
  });

  it('refuses a step after the end, a negative time, and a drill with no steps or no name', () => {
    expect(problem(drill([{ at: 61, set: { outage: true } }]))).toBe('steps[0].at: is after the drill ends (durationSeconds 60)');
    expect(problem(drill([{ at: -1, set: { outage: true } }]))).toBe('steps[0].at: must be 0 seconds or more');
    expect(problem(drill([]))).toBe('steps: a drill needs at least one step');
    expect(problem({ ...drill([{ at: 0, set: { outage: true } }]), name: ' ' })).toBe('name: is empty');
    expect(problem('dead-zone')).toMatch(/^drill: /);
  });

  it('says when a file is not JSON at all', () => {
    expect(parseDrillText('{ "name": ')).toMatchObject({ ok: false, error: expect.stringMatching(/^drill: not JSON/) });
  });
});

describe('the shipped drills', () => {
  const files = readdirSync(new URL('../../../drills/', import.meta.url)).filter((name) => name.endsWith('.json'));

  it('ship every file in drills/, and at least the four the course uses', () => {
    expect(Object.keys(SHIPPED_DRILL_FILES).map((id) => `${id}.json`).sort()).toEqual(files.sort());
    expect(files).toEqual(expect.arrayContaining(['dead-zone.json', 'tunnel-flapping.json', 'degraded-rural.json', 'switch-restart.json']));
  });

  it.each(files)('%s passes the schema, fits a class (1 to 5 minutes) and says what it drills', (file) => {
    const parsed = parseDrillText(readFileSync(new URL(`../../../drills/${file}`, import.meta.url), 'utf8'));
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.value.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(parsed.value.durationSeconds).toBeLessThanOrEqual(300);
    expect(parsed.value.description.length).toBeGreaterThan(100);
  });
});
