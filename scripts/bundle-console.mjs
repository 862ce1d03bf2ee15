// Builds the web console (viz/console) into dist/console: app.js (one ES module with the chart
// functions and d3's modules inlined), app.css and index.html. Type-checks the console first,
// since esbuild only strips types. Run by `npm run build`, after tsc.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'viz', 'console');
const out = join(root, 'dist', 'console');

try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(source, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error('bundle-console: the console does not type-check (above)');
  process.exit(1);
}

mkdirSync(out, { recursive: true });
const result = await build({
  // One name for both: app.js and app.css, as index.html asks for them.
  entryPoints: [
    { in: join(source, 'main.ts'), out: 'app' },
    { in: join(source, 'console.css'), out: 'app' },
  ],
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith('.map'))
  .map(([file, info]) => `${file.slice(file.lastIndexOf('/') + 1)} ${(info.bytes / 1024).toFixed(1)} KiB`);
console.log(`bundle-console: ${out}: ${sizes.join(', ')}`);
