// The simulator's public shapes. Other parts of the project code against these names, so
// fields may be added but never renamed or reshaped.

export const DEMO_TOKEN = 'simulator-demo-token';

export type ResourceClassEndpointSet = 'spec' | 'circleci-cli' | 'both' | 'none';

export interface LiveOptions {
  tickMs?: number;
  seed?: number;
}

export interface SimulatorOptions {
  /** Default 0: a free port. The server always binds 127.0.0.1. */
  port?: number;
  /** Accepted Circle-Token values; default [DEMO_TOKEN]. */
  tokens?: string[];
  /** Seed data; default 'demo'. */
  data?: 'demo' | 'empty';
  /** Default false. */
  live?: boolean | LiveOptions;
  /** Default 'spec'. */
  resourceClassEndpoints?: ResourceClassEndpointSet;
  /** Added before every API answer; default 0. */
  latencyMs?: number;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
}

export interface Simulator {
  /** API base URL: `http://127.0.0.1:PORT/api/v3`. */
  readonly url: string;
  readonly state: SimulatorState;
  readonly faults: FaultInjector;
  /** API requests received, in order (the oldest drop off past a cap; see requestLog.ts). */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  setLatency(ms: number): void;
  setResourceClassEndpoints(set: ResourceClassEndpointSet): void;
  setLive(live: boolean): void;
  /** Closes all sockets and timers. */
  close(): Promise<void>;
}

/** Raw API shapes (snake_case, ISO-8601 strings), exactly what the server sends. */
export interface SimRunner {
  resource_class: string;
  hostname?: string;
  name?: string;
  first_connected?: string;
  last_connected?: string;
  last_used?: string;
  version?: string;
  ip?: string;
  os?: string;
  arch?: string;
}

export interface SimResourceClass {
  id: string;
  resource_class: string;
  description: string;
}

export interface TaskCounts {
  unclaimed: number;
  running: number;
}

export interface GenerateSpec {
  namespace: string;
  resourceClasses: number;
  runners: number;
}

export interface SimulatorState {
  namespaces(): string[];
  resourceClasses(namespace?: string): SimResourceClass[];
  addResourceClass(fullName: string, description?: string): SimResourceClass;
  removeResourceClass(fullName: string): boolean;
  runners(filter?: { namespace?: string; resourceClass?: string }): SimRunner[];
  /** Duplicates are allowed on purpose: real fleets report them. */
  addRunner(runner: SimRunner): SimRunner;
  removeRunners(predicate?: (r: SimRunner) => boolean): number;
  setRunnersLastConnected(resourceClass: string, isoOrMsAgo: string | number): void;
  setTaskCounts(fullName: string, counts: { unclaimed?: number; running?: number }): void;
  taskCounts(fullName: string): TaskCounts;
  /** Resource-class tokens handed out, oldest first. */
  issuedTokens(fullName: string): string[];
  generate(spec: GenerateSpec): void;
  reset(data: 'demo' | 'empty'): void;
}

export interface RecordedRequest {
  method: string;
  /**
   * Path relative to /api/v3 without the query, percent-encoding kept
   * (e.g. '/runner/resource-class/acme%2Flinux'), so an encoded slash stays distinct.
   */
  path: string;
  /** Exactly as received, query included. */
  rawPath: string;
  query: Record<string, string>;
  /** Kept in memory for tests; never printed. */
  circleToken?: string;
  accept?: string;
  userAgent?: string;
  /** Parsed JSON when the body was JSON, else the raw text; absent when empty. */
  body?: unknown;
  /** 0 while unanswered, and for dropped or hung requests. */
  status: number;
  at: number;
}

export type FaultBody =
  'html' | 'empty' | 'truncated' | 'malformed' | 'wrongShape' | 'negativeCounts';

export interface FaultSpec {
  /** Answer with this status and a `{message}` body. */
  status?: number;
  /** Sets Retry-After (use with 429). */
  retryAfterSeconds?: number;
  body?: FaultBody;
  /** Destroy the socket without any answer. */
  drop?: boolean;
  /** Never answer (until close). */
  hang?: boolean;
  /** Delay before answering. */
  latencyMs?: number;
  /** Slow body. */
  trickle?: { bytesPerChunk: number; intervalMs: number };
  /** The next N matching requests; default: until cleared. */
  count?: number;
  /** This fraction of matching requests (seeded, repeatable). */
  fraction?: number;
  /** Path prefix relative to /api/v3. */
  match?: { method?: string; path?: string };
  /**
   * Carry out the operation before the fault spoils the answer, so a create can succeed on
   * the server while its answer is lost (drop, hang, 5xx). Default false: no side effects.
   */
  applyOperation?: boolean;
}

export interface FaultInjector {
  inject(spec: FaultSpec): void;
  clear(): void;
}
