// Starts code-server (VS Code's workbench and extension host, served over
// HTTP) with a fresh profile, the extension from this clone, and settings
// preset for the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerBin, extensionId, repoRoot } from './paths.mjs';
import { freePort, waitForOk } from './network.mjs';
import { spawnGroup } from './processes.mjs';

// Quiet defaults: nothing opens on start, nothing phones home, no prompts
// about trust or tips that would cover the views under test.
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
};

/**
 * @param {object} options
 * @param {ReturnType<import('./sandbox.mjs').createSandbox>} options.sandbox
 * @param {number} [options.port] default: a free port
 * @param {Record<string, unknown>} [options.settings] user settings, over the defaults
 * @param {Record<string, string>} [options.env] extra environment for the server and
 *   the extension host it starts
 * @param {boolean} [options.installExtension] link this clone into the extensions folder
 *   (default true); the in-editor suite loads it as a development extension instead
 * @param {(stop: () => Promise<void>) => void} [options.onStarted] receives the way to
 *   stop the server as soon as its process exists, so an interrupt during startup
 *   cannot leave it behind
 */
export async function startCodeServer(options) {
  const { sandbox } = options;
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(
      `code-server is not installed at ${codeServerBin}; run scripts/setup-editor.sh`,
    );
  }
  const port = options.port ?? (await freePort());
  const userDataDir = sandbox.path('user-data');
  const extensionsDir = sandbox.path('extensions');
  const workspace = sandbox.path('workspace');
  const configFile = sandbox.path('code-server.yaml');
  const logFile = sandbox.path('code-server.log');

  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const settings = { ...baseSettings, ...options.settings };
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify(settings, null, 2)}\n`,
  );
  if (options.installExtension ?? true) {
    const version = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
    ).version;
    fs.symlinkSync(repoRoot, path.join(extensionsDir, `${extensionId}-${version}`), 'dir');
  }

  const server = spawnGroup(
    codeServerBin,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--config',
      configFile,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    {
      cwd: workspace,
      env: sandbox.env({ EXTENSIONS_GALLERY: '{}', ...options.env }),
      logFile,
    },
  );
  options.onStarted?.(server.stop);
  let exitedEarly;
  void server.exited.then(({ code, signal }) => {
    exitedEarly = `code-server exited (code ${code}, signal ${signal}); see ${logFile}`;
  });

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${origin}/healthz`, { timeoutMs: 60_000, gaveUp: () => exitedEarly });
  } catch (error) {
    await server.stop();
    throw error;
  }

  return {
    origin,
    port,
    workspace,
    userDataDir,
    extensionsDir,
    logFile,
    /** The workbench URL with `workspace` open and optional extra query parameters. */
    workbenchUrl(query = {}) {
      const params = new URLSearchParams({ folder: workspace, ...query });
      return `${origin}/?${params.toString()}`;
    },
    /** Every log file code-server wrote for this run (server, extension host, channels). */
    logFiles() {
      const logsDir = path.join(userDataDir, 'logs');
      const found = [logFile];
      if (fs.existsSync(logsDir)) {
        for (const entry of fs.readdirSync(logsDir, { recursive: true })) {
          if (String(entry).endsWith('.log')) {
            found.push(path.join(logsDir, String(entry)));
          }
        }
      }
      return found;
    },
    /** Resolves when the server process ends, for whatever reason. */
    exited: server.exited,
    stop: () => server.stop(),
  };
}
