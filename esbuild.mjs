// Bundles the extension into one CommonJS file. `--production` minifies for
// packaging; `--watch` rebuilds on change with source maps.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('esbuild: watching src/ for changes');
} else {
  const result = await esbuild.build(options);
  const bytes = result.metafile.outputs['dist/extension.js']?.bytes ?? 0;
  console.log(`esbuild: dist/extension.js ${(bytes / 1024).toFixed(1)} KiB`);
}
