// Child processes started in their own process group, so that stopping one
// also stops everything it spawned (code-server forks an extension host and
// file watchers; Chromium forks renderers).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const defaultStopGraceMs = 5000;

/**
 * Starts `command` detached in a new process group. Output goes to `logFile`
 * when given, otherwise to this process's terminal.
 * @param {string} command
 * @param {string[]} args
 * `stopGraceMs` is how long stop() waits after SIGTERM before SIGKILL.
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string, stopGraceMs?: number }}
 *   [options]
 */
export function spawnGroup(command, args, options = {}) {
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'inherit';
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') {
    fs.closeSync(out);
  }
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const graceMs = options.stopGraceMs ?? defaultStopGraceMs;
  return { child, exited, stop: () => stopGroup(child.pid, exited, graceMs) };
}

/** Sends SIGTERM to the group, then SIGKILL if it is still there after a grace period. */
export async function stopGroup(pid, exited, graceMs = defaultStopGraceMs) {
  if (pid === undefined) {
    return;
  }
  signalGroup(pid, 'SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
  ]);
  // The leader may exit before its children do; kill whatever is left.
  signalGroup(pid, 'SIGKILL');
  if (timedOut) {
    await exited;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') {
      throw error;
    }
  }
}

/**
 * Runs a command to completion in its own process group, killing the group if
 * it takes longer than `timeoutMs`. Resolves with the exit code (or null) and
 * whether it timed out. `options.onStarted` receives a function that stops it.
 */
export async function runGroup(command, args, options = {}) {
  // A test runner stopping its own servers needs longer than a bare server.
  const started = spawnGroup(command, args, { stopGraceMs: 20_000, ...options });
  // Detached children do not get the terminal's Ctrl-C; callers stop them.
  options.onStarted?.(started.stop);
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 15 * 60_000);
  });
  const result = await Promise.race([started.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    await started.stop();
    return { code: null, timedOut: true };
  }
  // Leftover grandchildren (a server a test forgot to stop) must not outlive the group.
  signalGroup(started.child.pid, 'SIGKILL');
  return { code: result.code, timedOut: false, error: result.error };
}

/**
 * Runs `cleanup` once on SIGINT, SIGTERM or SIGHUP, then exits with the usual
 * 128 + signal status. Returns a function that removes the handlers.
 */
export function onStopSignals(cleanup) {
  let stopping = false;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const handler = (signal) => {
    if (stopping) {
      return;
    }
    stopping = true;
    Promise.resolve()
      .then(cleanup)
      .catch((error) => console.error(error))
      .finally(() => process.exit(codes[signal] ?? 1));
  };
  for (const signal of Object.keys(codes)) {
    process.on(signal, handler);
  }
  return () => {
    for (const signal of Object.keys(codes)) {
      process.off(signal, handler);
    }
  };
}
