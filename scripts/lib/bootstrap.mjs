// The set-up both `npm test` and `npm start` begin with, so that either
// works on a fresh clone of a fresh machine: `npm ci` when node_modules is
// missing or older than the lockfile, then the editor tools. Built-in
// modules only: this runs before any dependency is installed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.mjs';
import { runGroup } from './processes.mjs';

const installTimeoutMs = 30 * 60_000;

/** Installs what is missing; returns a sentence saying what failed, or undefined. */
export async function ensureInstalled() {
  if (dependenciesStale()) {
    console.log('━━ npm ci ━━');
    const problem = await run('npm', ['ci', '--no-audit', '--no-fund']);
    if (problem) {
      return problem;
    }
  }
  console.log('━━ editor tools ━━');
  return run('bash', [path.join(repoRoot, 'scripts', 'setup-editor.sh')]);
}

function dependenciesStale() {
  // npm ci writes node_modules/.package-lock.json last; a lockfile changed
  // later (a pull, a checkout) means the installed tree may not match it.
  const installed = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) {
    return true;
  }
  const slackMs = 2000;
  const lockfile = path.join(repoRoot, 'package-lock.json');
  return fs.statSync(lockfile).mtimeMs > fs.statSync(installed).mtimeMs + slackMs;
}

async function run(command, args) {
  const { code, timedOut } = await runGroup(command, args, {
    cwd: repoRoot,
    timeoutMs: installTimeoutMs,
  });
  if (code === 0) {
    return undefined;
  }
  return `${command} ${args.join(' ')} ${timedOut ? 'timed out' : `exited with ${code}`}`;
}
