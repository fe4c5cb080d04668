// Command line for the simulator: `npm run simulator -- [flags]`.

import { parseArgs } from 'node:util';
import { validateFaultSpec } from './faults';
import { startSimulator } from './server';
import {
  DEMO_TOKEN,
  FaultBody,
  FaultSpec,
  ResourceClassEndpointSet,
  Simulator,
  SimulatorOptions,
} from './types';

export const USAGE = `Usage: npm run simulator -- [options]
  --port N               listen on this port (default: a free one)
  --live                 tasks arrive, runners claim them, check in and drift away
  --tick MS              live-mode tick (default 2000)
  --seed N               live-mode random seed
  --latency MS           delay every API answer
  --empty                start with no resource classes or runners
  --endpoints SET        spec | circleci-cli | both | none (default spec)
  --fail STATUS          answer with this HTTP status
  --retry-after S        add Retry-After (use with --fail 429)
  --body KIND            html | empty | truncated | malformed | wrongShape | negativeCounts
  --drop                 close the connection without answering
  --hang                 never answer
  --count N              only the next N matching requests
  --fraction F           only this fraction of matching requests
  --path P               only requests whose path (after /api/v3) starts with P
  --method M             only requests with this method`;

export interface CliConfig {
  options: SimulatorOptions;
  fault?: FaultSpec;
  help: boolean;
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new Error(`--${name} needs a number, got "${value}"`);
  }
  return parsed;
}

/** Throws with a readable message on unknown flags or bad values. */
export function parseCliArgs(argv: string[]): CliConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      live: { type: 'boolean' },
      tick: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      empty: { type: 'boolean' },
      endpoints: { type: 'string' },
      fail: { type: 'string' },
      'retry-after': { type: 'string' },
      body: { type: 'string' },
      drop: { type: 'boolean' },
      hang: { type: 'boolean' },
      count: { type: 'string' },
      fraction: { type: 'string' },
      path: { type: 'string' },
      method: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const endpoints = values.endpoints ?? 'spec';
  if (!['spec', 'circleci-cli', 'both', 'none'].includes(endpoints)) {
    throw new Error(`--endpoints must be spec, circleci-cli, both or none, got "${endpoints}"`);
  }
  const tickMs = numberFlag('tick', values.tick);
  const seed = numberFlag('seed', values.seed);
  const options: SimulatorOptions = {
    port: numberFlag('port', values.port) ?? 0,
    data: values.empty === true ? 'empty' : 'demo',
    resourceClassEndpoints: endpoints as ResourceClassEndpointSet,
    latencyMs: numberFlag('latency', values.latency) ?? 0,
    live: values.live === true ? { tickMs, seed } : false,
  };

  const fault: FaultSpec = {};
  const status = numberFlag('fail', values.fail);
  if (status !== undefined) {
    fault.status = status;
  }
  if (values.body !== undefined) {
    fault.body = values.body as FaultBody;
  }
  if (values.drop === true) {
    fault.drop = true;
  }
  if (values.hang === true) {
    fault.hang = true;
  }
  const hasFault = Object.keys(fault).length > 0;
  const retryAfter = numberFlag('retry-after', values['retry-after']);
  const count = numberFlag('count', values.count);
  const fraction = numberFlag('fraction', values.fraction);
  const modifiers = [retryAfter, count, fraction, values.path, values.method];
  if (!hasFault && modifiers.some((m) => m !== undefined)) {
    throw new Error(
      '--retry-after, --count, --fraction, --path and --method need a fault: ' +
        '--fail, --body, --drop or --hang',
    );
  }
  if (retryAfter !== undefined) {
    fault.retryAfterSeconds = retryAfter;
  }
  if (count !== undefined) {
    fault.count = count;
  }
  if (fraction !== undefined) {
    fault.fraction = fraction;
  }
  if (values.path !== undefined || values.method !== undefined) {
    fault.match = { path: values.path, method: values.method };
  }
  if (hasFault) {
    validateFaultSpec(fault);
  }
  return { options, fault: hasFault ? fault : undefined, help: values.help === true };
}

export interface CliIo {
  print(line: string): void;
  onStop(handler: () => void): void;
}

/** Starts the simulator as the flags say and stops it when `io.onStop` fires. */
export async function runCli(argv: string[], io: CliIo): Promise<Simulator | undefined> {
  const config = parseCliArgs(argv);
  if (config.help) {
    io.print(USAGE);
    return undefined;
  }
  const simulator = await startSimulator(config.options);
  if (config.fault) {
    simulator.faults.inject(config.fault);
  }
  io.print(`Runner API simulator: ${simulator.url}`);
  io.print(`Token: ${DEMO_TOKEN}`);
  if (config.options.live !== false) {
    io.print('Live mode: on');
  }
  if (config.fault) {
    io.print(`Fault: ${JSON.stringify(config.fault)}`);
  }
  io.print('Press Ctrl-C to stop.');
  io.onStop(() => {
    simulator.close().then(
      () => io.print('Simulator stopped.'),
      (err: unknown) => io.print(`Simulator failed to stop: ${String(err)}`),
    );
  });
  return simulator;
}

function main(): void {
  const io: CliIo = {
    print: (line) => console.log(line),
    onStop: (handler) => {
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
    },
  };
  runCli(process.argv.slice(2), io).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    console.error(USAGE);
    process.exitCode = 2;
  });
}

if (require.main === module) {
  main();
}

export { main };
