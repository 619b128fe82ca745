// Unit tests: pure modules and the switch in Node; Dexie code against fake-indexeddb.
import { availableParallelism } from 'node:os';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // The switch processes the tests start run its bundle, built once here from the current sources.
    globalSetup: ['tests/setup/switch-bundle.setup.ts'],
    environment: 'node',
    // Several tests start a real switch process (the data set, scrypt for each officer): a few seconds on a
    // busy two-core machine, past Vitest's default 5 s. A test that hangs still fails, after 20 s.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Vitest runs one file fewer than there are cores: one at a time on two. Most of a file's time here is spent
    // waiting on a switch process, PostgreSQL or a timer, so two at a time on two cores took the suite from about
    // 307 s to 188-197 s, every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
