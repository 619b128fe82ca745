// Builds the renderer (Svelte 5) into dist/renderer; the same build serves the browser and Electron shells.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { shellWorker } from './scripts/vite-shell-worker.ts';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte(), shellWorker()],
  build: {
    // OUTRIDER_RENDERER_DIR lets a second build (a benchmark, a parallel checkout) write elsewhere.
    outDir: process.env.OUTRIDER_RENDERER_DIR ?? '../dist/renderer',
    emptyOutDir: true,
    // Source maps would ship the source inside installers; the packaging check refuses them.
    sourcemap: false,
    target: 'es2022',
  },
});
