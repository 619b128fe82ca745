// The lint rule that keeps Electron and Node out of the renderer, and everything runtime-specific out of src-shared.
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

  it('lets the switch use Node', async () => {
    expect(await boundaryErrors("import { createHash } from 'node:crypto';\nexport { createHash };\n", 'src-switch/extra.ts')).toEqual([]);
  });
});
