// One editor session: a simulator, code-server pointed at it, and headless
// Chromium showing the workbench. UI tests, screenshots and the in-editor
// suite all start from here, and everything is stopped by `close()`, also
// when the process is interrupted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { onStopSignals } from './processes.mjs';
import { createSandbox } from './sandbox.mjs';
import { startSimulator } from './simulator.mjs';

/**
 * @param {object} [options]
 * @param {string} [options.label] names the sandbox folder
 * @param {object | false} [options.simulator] SimulatorOptions, or false for none
 * @param {Record<string, unknown>} [options.settings] user settings over the defaults
 * @param {Record<string, string>} [options.env] extra environment for code-server
 * @param {string} [options.token] sets CIRCLECI_TOKEN, the extension's fallback token
 * @param {boolean} [options.browser] launch Chromium (default true)
 * @param {boolean} [options.installExtension] see startCodeServer
 * @param {number} [options.port] code-server's port (default: a free one)
 * @param {{ width: number, height: number }} [options.viewport]
 */
export async function startEditorSession(options = {}) {
  const sandbox = createSandbox(options.label ?? 'editor');
  const stops = [];
  let closed = false;

  const close = async () => {
    if (closed) {
      return;
    }
    closed = true;
    removeSignalHandlers();
    // Stop in reverse order of start: browser, then server, then simulator.
    for (const stop of stops.reverse()) {
      await stop().catch((error) => console.error(`while stopping: ${error.message}`));
    }
    sandbox.remove();
  };
  const removeSignalHandlers = onStopSignals(close);

  /** Registers `stop` for whatever `starting` resolves to, then waits for it. */
  function startPart(starting, stop) {
    stops.push(async () => {
      const started = await starting.catch(() => undefined);
      if (started) {
        await stop(started);
      }
    });
    return starting;
  }

  try {
    // Each part is registered for stopping before it has finished starting, so
    // an interrupt during startup still stops it before the sandbox goes.
    const simulator = await startPart(
      options.simulator === false ? Promise.resolve(undefined) : startSimulator(options.simulator),
      (started) => started.close(),
    );

    const settings = simulator
      ? {
          'circleciRunners.apiUrl': simulator.url,
          'circleciRunners.namespaces': simulator.state.namespaces(),
        }
      : {};
    const env = { ...(simulator ? { CIRCLECI_RUNNERS_SIM_URL: simulator.url } : {}) };
    if (options.token !== undefined) {
      env.CIRCLECI_TOKEN = options.token;
    }
    const server = await startCodeServer({
      sandbox,
      port: options.port,
      settings: { ...settings, ...options.settings },
      env: { ...env, ...options.env },
      installExtension: options.installExtension,
      onStarted: (stop) => stops.push(stop),
    });

    const browser = await startPart(
      options.browser === false
        ? Promise.resolve(undefined)
        : launchBrowser(sandbox, { viewport: options.viewport }),
      (started) => started.close(),
    );

    return {
      sandbox,
      simulator,
      server,
      context: browser?.context,
      page: browser?.page,
      /** Copies code-server's logs to `dir`, e.g. to keep them after a failure. */
      saveLogs(dir) {
        fs.mkdirSync(dir, { recursive: true });
        for (const file of server.logFiles()) {
          const name = path.relative(sandbox.root, file).replaceAll(path.sep, '__');
          fs.copyFileSync(file, path.join(dir, name));
        }
        return dir;
      },
      /** True once close() has begun, e.g. after Ctrl-C. */
      get closing() {
        return closed;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
