// Lint: TypeScript and Svelte rules, plus the import boundaries between the processes (STYLE.md habit 2).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'worker_threads'];

/** The renderer runs in a sandboxed page: no Electron, no Node, no reaching into other processes' code. */
const rendererBoundary = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'The renderer never imports Electron: use the Platform bridge (src-renderer/platform).' },
    { group: NODE_BUILTINS, message: 'The renderer runs in a browser sandbox: Node modules are not available.' },
    { group: ['**/src-main/**', '**/src-switch/**', '**/scripts/**'], message: 'The renderer imports only src-shared and itself.' },
  ],
};

/** src-shared is imported by every side, so it may depend on nothing runtime-specific. */
const sharedBoundary = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'src-shared is runtime-neutral: no Electron.' },
    { group: NODE_BUILTINS, message: 'src-shared is runtime-neutral: no Node modules.' },
    { group: ['dexie', 'svelte', 'svelte/*', 'fastify', '@fastify/*'], message: 'src-shared is runtime-neutral: no browser or server frameworks.' },
    { group: ['**/src-main/**', '**/src-renderer/**', '**/src-switch/**', '**/scripts/**'], message: 'src-shared imports nothing from the processes that import it.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', 'src-renderer/offline/sw-template.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: { 'no-restricted-imports': ['error', rendererBoundary] },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedBoundary] },
  },
);
