// `npm start`: the extension in a real VS Code (code-server) against the
// Runner API simulator in live mode, for trying it out by hand. Prints the
// URL to open; Ctrl-C stops everything it started.
//
// CIRCLECI_RUNNERS_PORT picks code-server's port (default: a free one) and
// CIRCLECI_RUNNERS_SIM_PORT the simulator's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, simulatorEntry } from './lib/paths.mjs';
import { runGroup } from './lib/processes.mjs';
import { ensureInstalled } from './lib/bootstrap.mjs';
import { loadSimulatorModule } from './lib/simulator.mjs';

const node = process.execPath;

function portFrom(variable) {
  const value = process.env[variable];
  if (value === undefined || value === '') {
    return undefined;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable}=${value} is not a TCP port`);
  }
  return port;
}

async function build() {
  console.log('building: tsc -p . (simulator), esbuild (extension)');
  // Type errors elsewhere in the tree should not stop a demo; tsc still emits.
  await runGroup(node, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', repoRoot], {
    cwd: repoRoot,
    timeoutMs: 5 * 60_000,
  });
  if (!fs.existsSync(simulatorEntry)) {
    throw new Error(`the simulator did not compile (${simulatorEntry} is missing)`);
  }
  const bundled = await runGroup(node, ['esbuild.mjs'], { cwd: repoRoot, timeoutMs: 5 * 60_000 });
  if (bundled.code !== 0) {
    throw new Error('esbuild could not bundle the extension');
  }
}

// On a fresh clone nothing is installed yet: install first, then load what
// needs the dependencies (the session module imports playwright-core).
const problem = await ensureInstalled();
if (problem) {
  throw new Error(problem);
}
await build();
const { startEditorSession } = await import('./lib/session.mjs');
const { DEMO_TOKEN } = loadSimulatorModule();
const session = await startEditorSession({
  label: 'start',
  browser: false,
  port: portFrom('CIRCLECI_RUNNERS_PORT'),
  simulator: { live: true, port: portFrom('CIRCLECI_RUNNERS_SIM_PORT') ?? 0 },
  token: DEMO_TOKEN,
});

console.log(`
Runner API simulator (live): ${session.simulator.url}
  namespaces: ${session.simulator.state.namespaces().join(', ')}
  demo token: ${DEMO_TOKEN} (given to the extension as CIRCLECI_TOKEN)

Open the editor: ${session.server.workbenchUrl()}

Press Ctrl-C to stop.`);

const { code, signal } = await session.server.exited;
if (session.closing) {
  // Ctrl-C: the session's signal handler is stopping everything and exits.
  await new Promise(() => undefined);
}
console.error(`code-server stopped on its own (code ${code}, signal ${signal}); stopping.`);
await session.close();
process.exitCode = 1;
