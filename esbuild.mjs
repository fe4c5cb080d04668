// Bundles the extension into one CommonJS file. `--production` minifies for
// packaging; `--watch` rebuilds on change with source maps.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Modules node-fetch can reach that this extension never runs, each replaced
 * by a stub that throws if it is ever loaded, so a wrong assumption fails loudly.
 * - web-streams-polyfill (60 KB): fetch-blob loads it only when neither
 *   globalThis.ReadableStream nor node:stream/web exists; every Node that
 *   VS Code ships (and engines.node >= 20.19) has both.
 * - node-fetch's multipart parser (4 KB): loaded only by Response#formData();
 *   the client reads answers with text() alone (FetchResponseLike in src/api/client.ts).
 */
const neverLoaded = [
  {
    filter: /^web-streams-polyfill(\/|$)/,
    why: 'web-streams-polyfill: this Node has no ReadableStream',
  },
  {
    filter: /[\\/]utils[\\/]multipart-parser\.js$/,
    importer: /[\\/]node-fetch[\\/]/,
    why: 'node-fetch multipart parsing (Response#formData) is not bundled',
  },
];

const stubUnusedModules = {
  name: 'stub-unused-modules',
  setup(build) {
    for (const [index, entry] of neverLoaded.entries()) {
      build.onResolve({ filter: entry.filter }, (args) =>
        entry.importer === undefined || entry.importer.test(args.importer)
          ? { path: String(index), namespace: 'never-loaded' }
          : undefined,
      );
    }
    build.onLoad({ filter: /.*/, namespace: 'never-loaded' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(
        `Not bundled: ${neverLoaded[Number(args.path)]?.why}`,
      )});`,
      loader: 'js',
    }));
  },
};

const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [stubUnusedModules],
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
  console.log(`esbuild: dist/extension.js ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
}
