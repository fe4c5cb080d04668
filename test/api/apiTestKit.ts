import * as http from 'node:http';
import * as https from 'node:https';
import { createServer } from 'node:net';

import nodeFetch from 'node-fetch';

import { RunnerApiClient, type FetchLike, type RunnerApiClientOptions } from '../../src/api/client';
import type { RequestRecord } from '../../src/api/types';
import { DEMO_TOKEN, type Simulator } from '../../simulator/index';

// Shared set-up for the client tests: a client pointed at the simulator whose
// attempts, and whose sleeps between attempts, are written down for assertions.

export interface ClientUnderTest {
  client: RunnerApiClient;
  records: RequestRecord[];
  /** Every delay the client asked to sleep, in order. */
  delays: number[];
}

export function clientFor(
  baseUrl: string,
  overrides: Partial<RunnerApiClientOptions> = {},
): ClientUnderTest {
  const records: RequestRecord[] = [];
  const delays: number[] = [];
  const client = new RunnerApiClient({
    baseUrl,
    token: DEMO_TOKEN,
    timeoutMs: 5000,
    random: () => 0.5,
    // Sleeping is recorded, not waited for, so retry tests take milliseconds.
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    onRequest: (record) => records.push(record),
    ...overrides,
  });
  return { client, records, delays };
}

export function simulatorClient(
  sim: Simulator,
  overrides: Partial<RunnerApiClientOptions> = {},
): ClientUnderTest {
  return clientFor(sim.url, overrides);
}

/** A loopback port that nothing listens on any more. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * node-fetch with a host-name lookup that fails the way the system resolver does
 * for an unknown name. Resolving a `.invalid` name for real would send a query to
 * this machine's DNS server, which is not on loopback; this keeps node-fetch's own
 * error path while no packet leaves the machine.
 */
export const fetchWithFailingLookup: FetchLike = (url, init) => {
  const Agent = url.startsWith('https:') ? https.Agent : http.Agent;
  const agent = new Agent({
    lookup: (hostname, _options, callback) => {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        errno: -3008,
        syscall: 'getaddrinfo',
        hostname,
      });
      callback(error, '', 4);
    },
  });
  return nodeFetch(url, { ...init, agent });
};
