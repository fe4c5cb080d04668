// A throwaway home for one run: code-server and Chromium write their state
// (config, caches, secrets, crash dumps) under HOME, the XDG folders and
// TMPDIR, so all of those point into one temporary folder that is removed at
// the end. A developer's own editor settings and tokens never leak in.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Inherited variables that would change how code-server or the extension
// behaves: a VS Code terminal's own session, npm's configuration, and the
// fallback token, which tests must not see unless they ask for it.
const droppedVariables = [/^VSCODE_/, /^ELECTRON_/, /^npm_/, /^CIRCLECI_TOKEN$/];

/** @param {string} label a short name for the folder, e.g. "suite" */
export function createSandbox(label) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `circleci-runners-${label}-`));
  const dirs = {
    home: path.join(root, 'home'),
    config: path.join(root, 'home', '.config'),
    data: path.join(root, 'home', '.local', 'share'),
    cache: path.join(root, 'home', '.cache'),
    tmp: path.join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** The environment for a child process, with `extra` applied last. */
  function env(extra = {}) {
    const result = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!droppedVariables.some((pattern) => pattern.test(name))) {
        result[name] = value;
      }
    }
    return {
      ...result,
      HOME: dirs.home,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
      TMPDIR: dirs.tmp,
      ...extra,
    };
  }

  function remove() {
    if (process.env.CIRCLECI_RUNNERS_KEEP_SANDBOX) {
      console.log(`sandbox kept: ${root}`);
      return;
    }
    // A browser or server that just exited may still be flushing files.
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  return { root, dirs, env, path: (...parts) => path.join(root, ...parts), remove };
}
