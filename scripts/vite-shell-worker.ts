// Vite plugin: writes sw.js with the exact list of files this build produced, so the shell is precached.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/** The worker's source for a build of `files` (paths relative to the page, './' being the page itself). */
export function shellWorkerSource(files: readonly string[]): string {
  const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
  const template = readFileSync(new URL('../src-renderer/offline/sw-template.js', import.meta.url), 'utf8');
  return template.replace('__VERSION__', version).replace('__SHELL__', JSON.stringify(files));
}

export function shellWorker(): Plugin {
  return {
    name: 'outrider-shell-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = ['./', './config.json', ...Object.keys(bundle).map((file) => `./${file}`)].filter((f) => f !== './index.html');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: shellWorkerSource(files) });
    },
  };
}
