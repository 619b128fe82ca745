// `npm run switch -- --help` lists every option the README names, and a mistyped option gets a sentence, not a stack.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { switchCommand } from '../../../scripts/switch-bundle.ts';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [...switchCommand(), ...args], { encoding: 'utf8', timeout: 20_000 });

describe('the switch CLI', () => {
  it('prints its options with --help, each the README names among them, and exits 0 without starting', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run switch -- \[options\]/);
    expect(stdout).not.toContain('listening');
    const row = readFileSync(README, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| `npm run switch` |'));
    const named = [...new Set([...row!.matchAll(/`(--[a-z-]+)/g)].map((match) => match[1]!))];
    expect(named.length).toBeGreaterThan(10);
    for (const flag of named) expect(stdout, flag).toMatch(new RegExp(`^  ${flag} `, 'm'));
  });

  it('names a mistyped option and where the list is, exiting 2', () => {
    const { status, stderr } = run('--prot', '9000');
    expect(status).toBe(2);
    expect(stderr.trim()).toBe("Unknown option '--prot'. npm run switch -- --help lists the options.");
  });
});
