// The lint rules that keep each process to its own code: Electron and Node out of the renderer, the runtime out of src-shared,
// the terminal out of the switch and the main process, and the test tree out of scripts.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../../..', import.meta.url)) });

async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  // Loading ESLint's parsers and plugins takes seconds on a busy machine; do it once, before the clock starts.
  beforeAll(() => boundaryErrors('export {};\n', 'src-renderer/warm-up.ts'), 60_000);

  it.each([
    ["import { ipcRenderer } from 'electron';", 'never imports Electron'],
    ["import { readFileSync } from 'node:fs';", 'Node modules are not available'],
    ["import { join } from 'path';", 'Node modules are not available'],
    ["import { buildSwitch } from '../src-switch/server.ts';", 'imports only src-shared'],
  ])('fails the renderer for %s', async (code, message) => {
    const errors = await boundaryErrors(`${code}\nexport {};\n`, 'src-renderer/sync/probe.ts');
    expect(errors.join('\n')).toContain(message);
  });

  it.each([
    ["import { app } from 'electron';"],
    ["import { createHash } from 'node:crypto';"],
    ["import { Dexie } from 'dexie';"],
  ])('fails src-shared for %s', async (code) => {
    expect(await boundaryErrors(`${code}\nexport {};\n`, 'src-shared/protocol-extra.ts')).toHaveLength(1);
  });

  it('lets the renderer import src-shared and its own modules', async () => {
    const code = "import { Query } from '../../src-shared/queries.ts';\nimport { Outbox } from '../outbox/outbox.ts';\nexport { Query, Outbox };\n";
    expect(await boundaryErrors(code, 'src-renderer/sync/probe.ts')).toEqual([]);
  });

  it.each([
    ["import { Outbox } from '../src-renderer/outbox/outbox.ts';", 'src-main/probe.ts', 'imports neither'],
    ["import { MessageSwitch } from '../src-switch/server.ts';", 'src-main/probe.ts', 'imports neither'],
    ["import { app } from 'electron';", 'src-switch/probe.ts', 'no Electron'],
    ["import { Outbox } from '../src-renderer/outbox/outbox.ts';", 'src-switch/probe.ts', 'never the terminal'],
    ["import { enter } from '../tests/support/sign-in.ts';", 'scripts/probe.ts', 'never import from tests/'],
    ["import { app } from 'electron';", 'src-host/probe.ts', 'no Electron'],
  ])('fails %s in %s', async (code, filePath, message) => {
    const errors = await boundaryErrors(`${code}\nexport {};\n`, filePath);
    expect(errors.join('\n')).toContain(message);
  });

  it('lets scripts and the main process share src-host', async () => {
    const code = "import { contentTypeFor } from '../src-host/content-type.ts';\nexport { contentTypeFor };\n";
    expect(await boundaryErrors(code, 'scripts/probe.ts')).toEqual([]);
    expect(await boundaryErrors(code.replace('../src-host', '../../src-host'), 'src-main/protocol/probe.ts')).toEqual([]);
  });

  it('lets the switch use Node', async () => {
    expect(await boundaryErrors("import { createHash } from 'node:crypto';\nexport { createHash };\n", 'src-switch/extra.ts')).toEqual([]);
  });
});
