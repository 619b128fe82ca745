// Lint: TypeScript and Svelte rules, plus the import boundaries of every process (STYLE.md habit 2).
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

/** The Electron main process and preload: Electron and Node, src-shared and src-host, never another process's code. */
const mainBoundary = {
  patterns: [
    { group: ['**/src-renderer/**', '**/src-switch/**'], message: 'src-main talks to the renderer over IPC and to the switch over HTTP: it imports neither.' },
    { group: ['**/scripts/**', '**/tests/**', '**/bench/**'], message: 'Shipped code imports no build scripts, tests or benchmarks.' },
  ],
};

/** The switch is a server an agency deploys: Node, never Electron, never the terminal's code. */
const switchBoundary = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'The switch is a Node server: no Electron.' },
    { group: ['**/src-renderer/**', '**/src-main/**'], message: 'The switch imports src-shared and itself, never the terminal.' },
    { group: ['**/scripts/**', '**/tests/**', '**/bench/**'], message: 'Shipped code imports no build scripts, tests or benchmarks.' },
  ],
};

/** src-host is Node code both hosts of the renderer build share (the main process, the web server). */
const hostBoundary = {
  patterns: [
    { group: ['electron', 'electron/*'], message: 'src-host also runs in the plain Node web server: no Electron.' },
    { group: ['**/src-main/**', '**/src-renderer/**', '**/src-switch/**', '**/scripts/**', '**/tests/**', '**/bench/**'], message: 'src-host imports only src-shared and itself.' },
  ],
};

/** Scripts are what npm runs: they may use any process's code, never the test tree. */
const scriptsBoundary = {
  patterns: [{ group: ['**/tests/**'], message: 'Scripts never import from tests/: shared helpers go to src-host, src-shared or bench/.' }],
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
  { files: ['src-main/**/*.ts'], rules: { 'no-restricted-imports': ['error', mainBoundary] } },
  { files: ['src-switch/**/*.ts'], rules: { 'no-restricted-imports': ['error', switchBoundary] } },
  { files: ['src-host/**/*.ts'], rules: { 'no-restricted-imports': ['error', hostBoundary] } },
  { files: ['scripts/**/*.ts'], rules: { 'no-restricted-imports': ['error', scriptsBoundary] } },
);
