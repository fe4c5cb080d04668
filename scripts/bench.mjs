// `npm run bench`: measures what the extension costs and prints figures and
// ratios (never pass or fail): bundle and package size, activation in a real
// VS Code next to an empty extension, requests and time to fill the tree,
// and scale with 1,000 classes and 20,000 runners. All traffic stays on
// 127.0.0.1; every server it starts is stopped by process group at the end.
//
// Environment: BENCH_RUNS (activation and tree-fill runs, default 5);
// BENCH_PARTS=node or BENCH_PARTS=editor runs one half (build always runs).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { codeServerBin, extensionId, repoRoot, resultsDir } from './lib/paths.mjs';
import { onStopSignals, runGroup } from './lib/processes.mjs';
import { createSandbox } from './lib/sandbox.mjs';
import { loadSimulatorModule } from './lib/simulator.mjs';

const parts = (process.env.BENCH_PARTS ?? 'node,editor').split(',');
const runs = Math.max(1, Math.min(20, Number(process.env.BENCH_RUNS ?? 5) || 5));
const fill = { namespaces: 10, classesPerNamespace: 5, runnersPerNamespace: 40, latencyMs: 100 };
const scale = { classes: 1000, runners: 20_000, repeats: 5 };
const poll = { latencyMs: 50, maxConcurrent: 4, sizes: [10, 100, 1000] };
const targets = {
  bundleBytes: 150 * 1024,
  activation: (empty) => 1.5 * empty + 10,
  fillRatio: 1.3,
  expandMs: 100,
  addedBytes: 50 * 1024 * 1024,
  pollRatio: 1.3,
};

const results = { machine: machine(), runs };
const cleanups = [];
const removeSignalHandlers = onStopSignals(() => cleanupAll());

/** Runs `stop` at the end (or on Ctrl-C); returns a function that runs it now, once. */
function onCleanup(stop) {
  let done = false;
  const once = async () => {
    if (!done) {
      done = true;
      await stop();
    }
  };
  cleanups.push(once);
  return once;
}

async function cleanupAll() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await Promise.resolve()
      .then(cleanup)
      .catch((error) => console.error(`while stopping: ${error.message}`));
  }
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (value) => `${value.toFixed(1)} ms`;
const ratio = (value) => `${value.toFixed(2)}×`;
const versus = (met) => (met ? 'within target' : 'OVER target');

function section(title) {
  console.log(`\n== ${title}`);
}
function line(label, value) {
  console.log(`  ${label.padEnd(44)} ${value}`);
}

function run(command, args, options = {}) {
  return execFileSync(command, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 180_000,
    env: { ...process.env, ...options.env },
  });
}

// ---------------------------------------------------------------- build

function build() {
  section('Build');
  console.log('  compiling (tsc) and packaging (esbuild --production, vsce)…');
  try {
    run(path.join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--outDir', 'out']);
  } catch (error) {
    // Type errors elsewhere in the tree still emit JavaScript; the bench needs only that.
    if (!fs.existsSync(path.join(repoRoot, 'out', 'bench', 'worker.js'))) {
      throw error;
    }
    console.log('  (tsc reported errors; using the JavaScript it emitted)');
  }
  const vsix = path.join(repoRoot, 'circleci-runners.vsix');
  fs.rmSync(vsix, { force: true });
  // The package script builds the minified bundle, then the .vsix.
  try {
    run('npm', ['run', 'package']);
  } catch (error) {
    // vsce refuses relative README links when it cannot tell the repository's
    // host; that changes the README's links, not the size of what is measured.
    const reason = String(error.stderr ?? error.message)
      .split('\n')
      .find((l) => l.includes('ERROR'));
    console.log(`  npm run package failed (${reason?.trim() ?? 'see above'});`);
    console.log('  packaging again with vsce --no-rewrite-relative-links');
    run(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), [
      'package',
      '--no-dependencies',
      '--no-rewrite-relative-links',
      '--out',
      vsix,
    ]);
  }
  const bundleBytes = fs.statSync(path.join(repoRoot, 'dist', 'extension.js')).size;
  const vsixBytes = fs.statSync(vsix).size;
  const listing = run('unzip', ['-Z1', vsix])
    .split('\n')
    .filter((entry) => entry && !entry.endsWith('/'));
  results.size = { bundleBytes, vsixBytes, vsixFiles: listing };
  line('minified bundle (dist/extension.js)', `${kib(bundleBytes)} (${bundleBytes} bytes)`);
  line(
    '  vs target 150 KiB',
    `${ratio(bundleBytes / targets.bundleBytes)} · ${versus(bundleBytes <= targets.bundleBytes)}`,
  );
  line('circleci-runners.vsix', `${kib(vsixBytes)} (${vsixBytes} bytes)`);
  line('  files in it', listing.join(', '));
  return vsix;
}

// ---------------------------------------------------------------- Node-side figures

async function runWorker(tmp, input) {
  const inputFile = path.join(tmp, `in-${input.task}.json`);
  const outputFile = path.join(tmp, `out-${input.task}.json`);
  const logFile = path.join(tmp, `worker-${input.task}.log`);
  fs.writeFileSync(inputFile, JSON.stringify(input));
  fs.rmSync(outputFile, { force: true });
  const result = await runGroup(
    process.execPath,
    ['--expose-gc', path.join(repoRoot, 'out', 'bench', 'worker.js'), inputFile, outputFile],
    { logFile, timeoutMs: 120_000 },
  );
  if (result.code !== 0 || !fs.existsSync(outputFile)) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    throw new Error(
      `bench worker (${input.task}) failed${result.timedOut ? ' (timeout)' : ''}\n${log}`,
    );
  }
  return JSON.parse(fs.readFileSync(outputFile, 'utf8'));
}

/** Requests sent more than once, as "METHOD path?query ×n". */
function repeated(requests) {
  const counts = new Map();
  for (const request of requests) {
    const query = new URLSearchParams(request.query).toString();
    const key = `${request.method} ${request.rawPath}${query ? `?${query}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

async function nodeFigures(tmp) {
  const simulatorModule = loadSimulatorModule();
  const sim = await simulatorModule.startSimulator({ data: 'empty' });
  const closeSimulator = onCleanup(() => sim.close());
  const token = simulatorModule.DEMO_TOKEN;
  const width = String(fill.namespaces).length;
  const namespaces = [];
  for (let i = 1; i <= fill.namespaces; i++) {
    const namespace = `org-${String(i).padStart(width, '0')}`;
    namespaces.push(namespace);
    sim.state.generate({
      namespace,
      resourceClasses: fill.classesPerNamespace,
      runners: fill.runnersPerNamespace,
    });
  }

  section(
    `Tree fill: ${fill.namespaces} namespaces (real client → simulator, FleetStore + TreeModel)`,
  );
  sim.clearRequests();
  const once = await runWorker(tmp, { task: 'fill', url: sim.url, token, namespaces, runs: 1 });
  const requests = [...sim.requests];
  const dupes = repeated(requests);
  const minimum = 2 * fill.namespaces;
  line(
    'requests to fill the whole tree',
    `${requests.length} (minimum ${minimum}: ${ratio(requests.length / minimum)})`,
  );
  line('requests sent twice', dupes.length === 0 ? 'none' : dupes.join('; '));
  line('tree nodes built', String(once.nodes));

  const bare = await runWorker(tmp, { task: 'fill', url: sim.url, token, namespaces, runs });
  sim.setLatency(fill.latencyMs);
  const timed = await runWorker(tmp, { task: 'fill', url: sim.url, token, namespaces, runs });
  sim.setLatency(0);
  const fillMs = median(timed.times);
  const fillRatio = fillMs / fill.latencyMs;
  line(`fill time, ${fill.latencyMs} ms added per request (median of ${runs})`, ms(fillMs));
  line(
    '  vs floor (one round trip)',
    `${ratio(fillRatio)} of ${fill.latencyMs} ms · target ≤ ${targets.fillRatio}× · ` +
      versus(fillRatio <= targets.fillRatio),
  );
  line('  same fill with no added latency', `${ms(median(bare.times))} (this machine's own cost)`);
  results.fill = {
    ...fill,
    bareMedianMs: median(bare.times),
    requests: requests.length,
    minimum,
    repeated: dupes,
    nodes: once.nodes,
    timesMs: timed.times,
    medianMs: fillMs,
    ratio: fillRatio,
  };

  section(`Scale: ${scale.classes} classes and ${scale.runners} runners`);
  sim.state.generate({
    namespace: 'bigorg',
    resourceClasses: scale.classes,
    runners: scale.runners,
  });
  sim.state.generate({ namespace: 'onepool', resourceClasses: 1, runners: scale.runners });
  const bigClasses = sim.state
    .resourceClasses('bigorg')
    .map((c) => c.resource_class)
    .sort();
  const onePool = sim.state.resourceClasses('onepool')[0].resource_class;
  const spread = await runWorker(tmp, {
    task: 'scale',
    url: sim.url,
    token,
    namespace: 'bigorg',
    resourceClass: bigClasses[0],
    repeats: scale.repeats,
  });
  const single = await runWorker(tmp, {
    task: 'scale',
    url: sim.url,
    token,
    namespace: 'onepool',
    resourceClass: onePool,
    repeats: scale.repeats,
  });
  const describe = (label, r) => {
    const added = r.heapBuilt - r.heapBefore;
    line(`${label}: ${r.classes} classes, ${r.runners} runners`, '');
    line(
      `  expand namespace (${r.namespaceItems} items)`,
      `first ${ms(r.namespaceFirstMs)}, warm ${ms(r.namespaceWarmMs)}`,
    );
    line(
      `  expand a class (${r.classItems} items)`,
      `first ${ms(r.classFirstMs)}, warm ${ms(r.classWarmMs)} · ` +
        `target ≤ ${targets.expandMs} ms · ` +
        versus(Math.max(r.classFirstMs, r.namespaceFirstMs) <= targets.expandMs),
    );
    line(
      '  heap added (loaded / with items built)',
      `${mib(r.heapLoaded - r.heapBefore)} / ${mib(added)} · target ≤ 50 MiB · ` +
        versus(added <= targets.addedBytes),
    );
  };
  describe('spread (20 runners a class)', spread);
  describe('one class holding every runner', single);
  results.scale = { spread, single };

  section(
    `Poll cycle: real client, ${poll.latencyMs} ms added per request, ` +
      `at most ${poll.maxConcurrent} in flight`,
  );
  results.poll = [];
  {
    const size = poll.sizes[1] ?? poll.sizes[0];
    const bare = await runWorker(tmp, {
      task: 'poll',
      url: sim.url,
      token,
      classes: bigClasses.slice(0, size),
      maxConcurrent: poll.maxConcurrent,
    });
    const slot = bare.ms / Math.ceil((2 * size) / poll.maxConcurrent);
    line(`no added latency, N = ${size}`, `${ms(bare.ms)}: ${ms(slot)} per request slot`);
    results.pollBare = { classes: size, ms: bare.ms, slotMs: slot };
  }
  sim.setLatency(poll.latencyMs);
  for (const size of poll.sizes) {
    const classes = bigClasses.slice(0, size);
    sim.clearRequests();
    const cycle = await runWorker(tmp, {
      task: 'poll',
      url: sim.url,
      token,
      classes,
      maxConcurrent: poll.maxConcurrent,
    });
    const sent = sim.requests.filter((r) => r.path.startsWith('/runner/tasks'));
    const dupes = repeated(sent);
    const floor = Math.ceil((2 * size) / poll.maxConcurrent) * poll.latencyMs;
    const cycleRatio = cycle.ms / floor;
    line(
      `N = ${size}: requests (must be ${2 * size})`,
      `${sent.length}${sent.length === 2 * size ? '' : ' ≠ 2N'}, ` +
        `repeated: ${dupes.length === 0 ? 'none' : dupes.length}, ` +
        `most in flight ${cycle.maxInFlight}`,
    );
    line(
      `  cycle time vs ceil(2N/${poll.maxConcurrent})×${poll.latencyMs} = ${floor} ms`,
      `${ms(cycle.ms)} · ${ratio(cycleRatio)} · target ≤ ${targets.pollRatio}× · ` +
        versus(cycleRatio <= targets.pollRatio),
    );
    results.poll.push({
      classes: size,
      requests: sent.length,
      repeated: dupes,
      ms: cycle.ms,
      floorMs: floor,
      ratio: cycleRatio,
      outcome: cycle.outcome,
      maxInFlight: cycle.maxInFlight,
    });
  }
  await closeSimulator();
}

// ---------------------------------------------------------------- activation in VS Code

const emptyId = 'runnerdesk-bench.empty';
const probeId = 'runnerdesk-bench.probe';

/** An extension that does nothing, activated the same way: by opening its view. */
function writeEmptyExtension(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'empty',
      publisher: 'runnerdesk-bench',
      version: '0.0.1',
      engines: { vscode: '^1.90.0' },
      main: './extension.js',
      activationEvents: ['onView:benchEmpty.view'],
      contributes: {
        viewsContainers: {
          activitybar: [{ id: 'benchEmpty', title: 'Bench Empty', icon: 'icon.svg' }],
        },
        views: { benchEmpty: [{ id: 'benchEmpty.view', name: 'Empty' }] },
      },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'icon.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">' +
      '<circle cx="12" cy="12" r="8"/></svg>',
  );
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    'exports.activate = function () {};\nexports.deactivate = function () {};\n',
  );
}

/**
 * Reads the extension host's own performance marks (VS Code marks
 * willLoadExtensionCode, didLoadExtensionCode, willActivateExtension and
 * didActivateExtension for every extension) and writes them to a file.
 */
function writeProbeExtension(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'probe',
      publisher: 'runnerdesk-bench',
      version: '0.0.1',
      engines: { vscode: '^1.90.0' },
      main: './extension.js',
      activationEvents: ['onCommand:benchProbe.dumpMarks'],
      contributes: {
        commands: [{ command: 'benchProbe.dumpMarks', title: 'Bench Probe: Dump Marks' }],
      },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    `const vscode = require('vscode');
const fs = require('fs');
exports.activate = function (context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('benchProbe.dumpMarks', () => {
      const perf = globalThis.MonacoPerformanceMarks;
      const marks = perf ? perf.getMarks() : [];
      fs.writeFileSync(process.env.BENCH_MARKS_FILE, JSON.stringify(marks));
    }),
  );
};
`,
  );
}

function activationOf(marks, id) {
  const at = (name) => marks.find((mark) => mark.name === `code/extHost/${name}/${id}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const willActivate = at('willActivateExtension');
  const didActivate = at('didActivateExtension');
  if ([willLoad, didLoad, willActivate, didActivate].some((t) => t === undefined)) {
    return undefined;
  }
  return {
    totalMs: didActivate - willLoad,
    loadMs: didLoad - willLoad,
    // Extension context (storage, secrets) loads beside the code; activate() waits for both.
    waitMs: willActivate - didLoad,
    activateMs: didActivate - willActivate,
  };
}

async function waitFor(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function extHostLog(server) {
  const file = server
    .logFiles()
    .find((f) => f.endsWith(path.join('exthost1', 'remoteexthost.log')));
  return file ? fs.readFileSync(file, 'utf8') : '';
}

async function openView(page, title) {
  const entry = page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.click();
}

async function activation(vsix) {
  section(`Activation in VS Code (code-server 4.100.3), ${runs} runs, median`);
  if (!fs.existsSync(codeServerBin)) {
    console.log('  code-server is missing; installing it with scripts/setup-editor.sh…');
    execFileSync('bash', [path.join(repoRoot, 'scripts', 'setup-editor.sh')], { stdio: 'inherit' });
  }
  const simulatorModule = loadSimulatorModule();
  const sim = await simulatorModule.startSimulator({ data: 'demo' });
  const closeSimulator = onCleanup(() => sim.close());
  const sandbox = createSandbox('bench');
  const removeSandbox = onCleanup(() => sandbox.remove());

  // The packaged extension, unpacked as `--install-extension` would, beside the
  // empty extension and the probe; with no extensions.json, all three are scanned.
  const extensionsDir = sandbox.path('extensions');
  const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
  const unpacked = sandbox.path('vsix');
  execFileSync('unzip', ['-q', vsix, 'extension/*', '-d', unpacked]);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.renameSync(
    path.join(unpacked, 'extension'),
    path.join(extensionsDir, `${extensionId}-${version}`),
  );
  writeEmptyExtension(path.join(extensionsDir, `${emptyId}-0.0.1`));
  writeProbeExtension(path.join(extensionsDir, `${probeId}-0.0.1`));

  const browser = await launchBrowser(sandbox);
  const closeBrowser = onCleanup(() => browser.close());
  const marksFile = sandbox.path('marks.json');
  const samples = [];
  let startupRequests;

  for (let i = 0; i < runs; i++) {
    // A fresh server per run: a fresh extension host, and nothing warm from the last run.
    fs.rmSync(sandbox.path('user-data'), { recursive: true, force: true });
    fs.rmSync(marksFile, { force: true });
    sim.clearRequests();
    let stopServer = async () => undefined;
    const server = await startCodeServer({
      sandbox,
      installExtension: false,
      settings: {
        'circleciRunners.apiUrl': sim.url,
        'circleciRunners.namespaces': sim.state.namespaces(),
      },
      env: { BENCH_MARKS_FILE: marksFile, CIRCLECI_TOKEN: simulatorModule.DEMO_TOKEN },
      onStarted: (stop) => {
        stopServer = onCleanup(stop);
      },
    });
    try {
      const page = browser.page;
      await page.goto(server.workbenchUrl());
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // Let the startup extensions settle so they do not share the measured window.
      await waitFor('eager extensions', () =>
        extHostLog(server).includes('Eager extensions activated'),
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));

      // Alternate which opens first, so neither always runs on a warmer host.
      const order =
        i % 2 === 0 ? ['Bench Empty', 'CircleCI Runners'] : ['CircleCI Runners', 'Bench Empty'];
      for (const title of order) {
        const id = title === 'Bench Empty' ? emptyId : extensionId;
        await openView(page, title);
        await waitFor(`${id} to activate`, () =>
          extHostLog(server).includes(`_doActivateExtension ${id},`),
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }

      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Bench Probe: Dump Marks');
      await page
        .locator('.quick-input-widget .monaco-list-row')
        .first()
        .waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      const marks = await waitFor('performance marks', () =>
        fs.existsSync(marksFile) ? JSON.parse(fs.readFileSync(marksFile, 'utf8')) : undefined,
      );
      const ours = activationOf(marks, extensionId);
      const empty = activationOf(marks, emptyId);
      if (!ours || !empty) {
        throw new Error(
          'the extension host recorded no activation marks for one of the extensions',
        );
      }
      samples.push({ ours, empty });
      if (i === 0) {
        // The extension's own startup traffic, once the first poll is done.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        startupRequests = [...sim.requests];
      }
    } finally {
      await stopServer();
    }
  }
  await closeBrowser();
  await removeSandbox();
  await closeSimulator();

  const pick = (who, key) => median(samples.map((s) => s[who][key]));
  const oursMs = pick('ours', 'totalMs');
  const emptyMs = pick('empty', 'totalMs');
  const limit = targets.activation(emptyMs);
  line('method', 'extension host marks willLoadExtensionCode → didActivateExtension');
  line(
    'empty extension',
    `${ms(emptyMs)} (load ${ms(pick('empty', 'loadMs'))}, ` +
      `activate() ${ms(pick('empty', 'activateMs'))})`,
  );
  line(
    'CircleCI Runners (packaged .vsix)',
    `${ms(oursMs)} (load ${ms(pick('ours', 'loadMs'))}, ` +
      `activate() ${ms(pick('ours', 'activateMs'))})`,
  );
  const ownMs = median(samples.map((s) => s.ours.loadMs + s.ours.activateMs));
  const emptyOwnMs = median(samples.map((s) => s.empty.loadMs + s.empty.activateMs));
  line('  load + activate() only (ours / empty)', `${ms(ownMs)} / ${ms(emptyOwnMs)}`);
  line('  ratio to empty', emptyMs > 0 ? ratio(oursMs / emptyMs) : 'n/a (empty took 0 ms)');
  line('  target 1.5 × empty + 10 ms', `${ms(limit)} · ${versus(oursMs <= limit)}`);
  line(
    '  per run (ours / empty, ms)',
    samples.map((s) => `${s.ours.totalMs}/${s.empty.totalMs}`).join('  '),
  );

  const fleetPaths = startupRequests.filter((r) => !r.path.startsWith('/runner/tasks'));
  const taskPaths = startupRequests.filter((r) => r.path.startsWith('/runner/tasks'));
  const namespaces = sim.state.namespaces().length;
  const classes = sim.state.resourceClasses().length;
  const dupes = repeated(startupRequests);
  line(
    `startup requests in VS Code (${namespaces} namespaces)`,
    `${fleetPaths.length} fleet (minimum ${2 * namespaces}), ` +
      `${taskPaths.length} task-count (2N = ${2 * classes})`,
  );
  line('  requests sent twice', dupes.length === 0 ? 'none' : dupes.join('; '));

  results.activation = {
    samples,
    medianMs: oursMs,
    emptyMedianMs: emptyMs,
    ratio: emptyMs > 0 ? oursMs / emptyMs : null,
    ownMs,
    emptyOwnMs,
    targetMs: limit,
    startup: {
      fleet: fleetPaths.length,
      tasks: taskPaths.length,
      namespaces,
      classes,
      repeated: dupes,
    },
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  console.log(
    `CircleCI Runners benchmark · ${results.machine.cpus} × ${results.machine.cpuModel}, ` +
      `${results.machine.memoryGiB} GiB, Node ${results.machine.node}`,
  );
  // Other work on the machine moves every timing; say how busy it was.
  const load = () =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  results.loadAverageStart = load();
  console.log(`load average at start: ${results.loadAverageStart}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'circleci-runners-bench-'));
  onCleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    const vsix = build();
    if (parts.includes('node')) {
      await nodeFigures(tmp);
    }
    if (parts.includes('editor')) {
      await activation(vsix);
    }
  } finally {
    await cleanupAll();
    removeSignalHandlers();
    // Put back the development build (source maps) that the other scripts expect.
    run('node', ['esbuild.mjs']);
  }
  results.loadAverageEnd = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  console.log(`load average at end: ${results.loadAverageEnd}`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      'figures in test-results/bench.json.',
  );
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exitCode = 1;
});
