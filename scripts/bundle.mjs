#!/usr/bin/env node
// Writes dist/monitor.bundle.js: the monitor's screen (dist/ui/run-monitor.js) with ink, React
// and what they import as one ES module, made by `npm run build` from what tsc wrote to dist/.
// A screen left open for hours pays for every module it loads, for as long as it runs: ink
// imports one function (throttle) from es-toolkit's compat entry, which alone loads 415
// modules (+20 MiB RSS in a bare Node); bundled, only what is used is there. (The daemon
// bundled the same way loads 5 MiB lighter, but measured no lighter running on Debian 13:
// docs/benchmarks.md.)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/** ink's `import('./devtools.js')` (only with DEV=true: React's devtools, a developer's
 * tool, with the WebSocket library they bring) as an empty module. */
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (a) => (a.importer.includes(`${path.sep}ink${path.sep}`) ? { path: 'devtools', namespace: 'no-devtools' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

await build({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  entryPoints: [path.join(dist, 'ui', 'run-monitor.js')],
  outfile: path.join(dist, 'monitor.bundle.js'),
  plugins: [noDevtools],
  // React's production build only (bin/run.js sets NODE_ENV=production for the same reason)
  define: { 'process.env.NODE_ENV': '"production"' },
  // for the CommonJS parts: ink's copies of signal-exit and stack-utils `require` Node's own
  // modules
  banner: { js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);" },
  logLevel: 'warning',
});
