// The Runner API simulator: a stateful in-memory server for development and tests.

export { startSimulator, SimulatorServer } from './server';
export { REQUEST_LOG_CAP } from './requestLog';
export { DEFAULT_TICK_MS, DEFAULT_LIVE_SEED } from './live';
export * from './types';
