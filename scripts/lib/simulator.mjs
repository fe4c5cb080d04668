// Loads the Runner API simulator from its compiled form (out/simulator), so
// callers need `tsc -p .` to have run first.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { simulatorEntry } from './paths.mjs';

const require = createRequire(import.meta.url);

/** The simulator module (see simulator/index.ts for its interface). */
export function loadSimulatorModule() {
  if (!fs.existsSync(simulatorEntry)) {
    throw new Error(`${simulatorEntry} is missing; compile first with "tsc -p ."`);
  }
  return require(simulatorEntry);
}

/** Starts a simulator on a free loopback port; `options` are SimulatorOptions. */
export function startSimulator(options = {}) {
  return loadSimulatorModule().startSimulator(options);
}
