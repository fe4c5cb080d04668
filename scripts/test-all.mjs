// `npm test`: everything CI checks, in order, each as a named group with its
// own pass and fail counts, ending with the line "N passed, N failed".
// Until `npm ci` has run this file may use node's built-in modules only, so
// it works on a fresh clone of a fresh machine: the imports below are local
// files that themselves import only built-ins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, resultsDir } from './lib/paths.mjs';
import { ensureInstalled } from './lib/bootstrap.mjs';
import { onStopSignals, runGroup as runDetached } from './lib/processes.mjs';

// Every group gets the same, generous limit: a hang fails its group instead
// of stalling CI, whose whole run is limited to 90 minutes.
const groupTimeoutMs = 15 * 60_000;
const node = process.execPath;
const bin = {
  tsc: 'node_modules/typescript/bin/tsc',
  eslint: 'node_modules/eslint/bin/eslint.js',
  prettier: 'node_modules/prettier/bin/prettier.cjs',
  mocha: 'node_modules/mocha/bin/mocha.js',
};
// Children run in their own process groups, so Ctrl-C reaches only this
// process; it stops whichever group is running before exiting.
const running = new Set();
let stopping = false;
onStopSignals(() => {
  stopping = true;
  return Promise.all([...running].map((stop) => stop()));
});

function runGroup(command, args, options) {
  if (stopping) {
    // The group just stopped resolved; start nothing new while exiting.
    return new Promise(() => undefined);
  }
  let stopThis;
  return runDetached(command, args, {
    ...options,
    onStarted: (stop) => {
      stopThis = stop;
      running.add(stop);
    },
  }).finally(() => running.delete(stopThis));
}

const summaryDir = path.join(resultsDir, 'groups');
const screenshotsDir = path.join(resultsDir, 'screenshots');

/** A group that is one check: it passes when all its commands exit with 0. */
function checkGroup(name, commands) {
  return { name, run: () => runChecks(commands) };
}

/** A group of mocha tests under `dir` of out/test (compiled from test/). */
function mochaGroup(name, dir, extraArgs = []) {
  return { name, run: () => runMocha(name, path.join('out', 'test', dir), extraArgs) };
}

const groups = [
  checkGroup('typecheck', [[node, bin.tsc, '-p', '.', '--noEmit']]),
  checkGroup('lint', [[node, bin.eslint, '.']]),
  checkGroup('format', [[node, bin.prettier, '--check', '.']]),
  {
    name: 'compile',
    run: async () => {
      const compiled = await runChecks([[node, bin.tsc, '-p', '.']]);
      pruneStaleOutput();
      const bundled = await runChecks([[node, 'esbuild.mjs']]);
      return { passed: compiled.passed + bundled.passed, failed: compiled.failed + bundled.failed };
    },
  },
  mochaGroup('unit', 'unit'),
  mochaGroup('simulator', 'simulator'),
  mochaGroup('api', 'api'),
  mochaGroup('contract', 'contract'),
  { name: 'in-editor suite', run: runEditorSuite },
  {
    name: 'ui',
    run: () => {
      fs.rmSync(screenshotsDir, { recursive: true, force: true });
      return runMocha('ui', path.join('out', 'test', 'ui'), ['--timeout', '120000']);
    },
  },
];

async function main() {
  process.chdir(repoRoot);
  const started = Date.now();
  await bootstrap();

  const results = [];
  for (const group of groups) {
    if (stopping) {
      return;
    }
    console.log(`\n━━ ${group.name} ━━`);
    const groupStarted = Date.now();
    const result = await group.run();
    results.push({ name: group.name, ...result, seconds: (Date.now() - groupStarted) / 1000 });
  }

  printSummary(results, (Date.now() - started) / 1000);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  process.exitCode = failed > 0 ? 1 : 0;
}

/** Installs dependencies and the editor tools when they are missing or stale. */
async function bootstrap() {
  const problem = await ensureInstalled();
  if (problem) {
    console.error(`${problem}; nothing was tested.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

async function runChecks(commands) {
  for (const [command, ...args] of commands) {
    const { code, timedOut } = await runGroup(command, args, { timeoutMs: groupTimeoutMs });
    if (code !== 0) {
      console.log(timedOut ? `timed out after ${groupTimeoutMs / 60_000} minutes` : '');
      return { passed: 0, failed: 1 };
    }
  }
  return { passed: 1, failed: 0 };
}

async function runMocha(name, dir, extraArgs) {
  const files = listFiles(dir).filter((file) => file.endsWith('.test.js'));
  if (files.length === 0) {
    console.log(`no test files in ${dir} yet`);
    return { passed: 0, failed: 0, note: 'no test files yet' };
  }
  const summaryFile = path.join(summaryDir, `${name}.json`);
  fs.rmSync(summaryFile, { force: true });
  const reporter = path.join('scripts', 'lib', 'mochaSummaryReporter.mjs');
  const { code, timedOut } = await runGroup(
    node,
    [
      bin.mocha,
      '--reporter',
      reporter,
      '--reporter-option',
      `summary=${summaryFile}`,
      ...extraArgs,
      ...files,
    ],
    { timeoutMs: groupTimeoutMs },
  );
  return countsFrom(readJson(summaryFile), code, timedOut);
}

async function runEditorSuite() {
  const reportFile = path.join(resultsDir, 'suite.json');
  const { code, timedOut } = await runGroup(
    node,
    [path.join('scripts', 'run-editor-tests.mjs'), '--report', reportFile],
    { timeoutMs: groupTimeoutMs },
  );
  const report = readJson(reportFile);
  const summary = report && { passed: report.passes.length, failed: report.failures.length };
  return countsFrom(summary, code, timedOut);
}

/** Counts from a summary file; a crash or hang without one counts as one failure. */
function countsFrom(summary, code, timedOut) {
  if (timedOut) {
    return {
      passed: summary?.passed ?? 0,
      failed: (summary?.failed ?? 0) + 1,
      note: `timed out after ${groupTimeoutMs / 60_000} minutes`,
    };
  }
  if (!summary) {
    return { passed: 0, failed: 1, note: `exited with ${code} and reported no results` };
  }
  if (code !== 0 && summary.failed === 0) {
    return { passed: summary.passed, failed: 1, note: `exited with ${code}` };
  }
  return { passed: summary.passed, failed: summary.failed };
}

/** Removes compiled files whose TypeScript source is gone, so deleted tests stop running. */
function pruneStaleOutput() {
  for (const file of listFiles('out')) {
    const match = /^out\/(.+)\.js(\.map)?$/.exec(file);
    if (match && !fs.existsSync(`${match[1]}.ts`)) {
      fs.rmSync(file);
    }
  }
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile())
    .sort();
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function printSummary(results, seconds) {
  console.log('\n━━ summary ━━');
  for (const r of results) {
    const counts = `${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed`;
    const note = r.note ? `  (${r.note})` : '';
    console.log(`${r.name.padEnd(16)} ${counts} ${r.seconds.toFixed(1).padStart(6)} s${note}`);
  }
  const shots = listFiles(screenshotsDir).filter((file) => file.endsWith('.png'));
  if (shots.length > 0) {
    console.log('\nUI screenshots:');
    for (const shot of shots) {
      console.log(`  ${shot}`);
    }
  }
  console.log(`\nwhole run: ${seconds.toFixed(0)} s`);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
}

await main();
