// security:electron fails on any Electronegativity finding not listed, with a reason, in the reviewed allow-list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AllowList, compareWithAllowList, type Finding, parseFindings } from '../../../scripts/electronegativity.ts';

const preload: Finding = { check: 'PRELOAD_JS_CHECK', file: 'src-main/window/main-window.ts', line: 26, message: 'Review the use of preload scripts' };
const csp: Finding = { check: 'CSP_GLOBAL_CHECK', file: undefined, line: 1, message: 'No CSP has been detected in the target application' };
const list = (...allowed: AllowList['allowed']): AllowList => ({ allowed });
const reason = 'reviewed: sandboxed preload exposing named methods only';

describe('compareWithAllowList', () => {
  it('fails a finding that is not listed', () => {
    expect(compareWithAllowList([preload], list()).unlisted).toEqual([preload]);
  });

  it('passes a finding listed for its check and file, whatever line it moved to', () => {
    const result = compareWithAllowList([{ ...preload, line: 90 }], list({ check: 'PRELOAD_JS_CHECK', file: 'src-main/window/main-window.ts', reason }));
    expect(result.unlisted).toEqual([]);
    expect(result.allowed).toEqual([{ finding: { ...preload, line: 90 }, reason }]);
  });

  it('does not let an entry for one file excuse the same check in another', () => {
    const elsewhere = { ...preload, file: 'src-main/window/other-window.ts' };
    expect(compareWithAllowList([elsewhere], list({ check: 'PRELOAD_JS_CHECK', file: 'src-main/window/main-window.ts', reason })).unlisted).toEqual([elsewhere]);
  });

  it('matches a global check only through an entry with a null file', () => {
    expect(compareWithAllowList([csp], list({ check: 'CSP_GLOBAL_CHECK', file: null, reason })).unlisted).toEqual([]);
    expect(compareWithAllowList([csp], list({ check: 'CSP_GLOBAL_CHECK', file: 'src-main/main.ts', reason })).unlisted).toEqual([csp]);
  });

  it('reports entries that no longer match anything as stale', () => {
    const entry = { check: 'CSP_GLOBAL_CHECK', file: null, reason };
    expect(compareWithAllowList([], list(entry)).stale).toEqual([entry]);
  });
});

describe('AllowList', () => {
  it('refuses an entry without a reason a reviewer can read', () => {
    expect(AllowList.safeParse(list({ check: 'PRELOAD_JS_CHECK', file: null, reason: 'ok' })).success).toBe(false);
  });

  it('accepts the shipped allow-list', () => {
    const text = readFileSync(new URL('../../../build/electronegativity-allow.json', import.meta.url), 'utf8');
    expect(AllowList.safeParse(JSON.parse(text)).success).toBe(true);
  });
});

describe('parseFindings', () => {
  it("reads Electronegativity's SARIF, with a global check's file:/// as no file", () => {
    const sarif = {
      runs: [
        {
          results: [
            { ruleId: 'CSP_GLOBAL_CHECK', level: 'warning', message: { text: 'No CSP' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' }, region: { startLine: 1 } } }] },
            { ruleId: 'PRELOAD_JS_CHECK', level: 'note', message: { text: 'Review' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src-main\\window\\main-window.ts' }, region: { startLine: 26 } } }] },
          ],
        },
      ],
    };
    expect(parseFindings(JSON.stringify(sarif))).toEqual([
      { check: 'CSP_GLOBAL_CHECK', file: undefined, line: 1, message: 'No CSP' },
      { check: 'PRELOAD_JS_CHECK', file: 'src-main/window/main-window.ts', line: 26, message: 'Review' },
    ]);
  });

  it('throws on output that is not SARIF rather than passing with no findings', () => {
    expect(() => parseFindings('{"version":"2.1.0"}')).toThrow();
  });
});
