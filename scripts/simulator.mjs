// Runs the Runner API simulator from source: bundles simulator/cli.ts with esbuild (fast, and
// independent of whether the rest of the tree type-checks), then starts it with the flags given.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outfile = path.join(root, 'out', 'simulatorCli.cjs');

await esbuild.build({
  entryPoints: [path.join(root, 'simulator', 'cli.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile,
  logLevel: 'warning',
});

const { main } = createRequire(import.meta.url)(outfile);
main();
