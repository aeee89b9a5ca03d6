import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The renderer's build configuration (run by Node at build time; nothing of it reaches the bundle).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const here = path.join(root, 'renderer');

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  resolve: {
    alias: { $common: path.resolve(here, '../main/common') },
  },
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Known third-party noise: Rollup cannot place some `@__PURE__` comments in zod's sources and says so
      // (INVALID_ANNOTATION); the comments are dropped, nothing changes. Other warnings, ours included, still show.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]/.test(warning.id ?? '')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
