// Typed shapes of what the Runner API returns, after defensive parsing.
// Every field the spec marks optional stays optional here: a missing field is
// "unknown", never a made-up default. Times are epoch milliseconds.

export interface Runner {
  resourceClass?: string;
  hostname?: string;
  name?: string;
  firstConnected?: number;
  lastConnected?: number;
  lastUsed?: number;
  version?: string;
  ip?: string;
  os?: string;
  arch?: string;
}

export interface ResourceClass {
  id?: string;
  resourceClass?: string;
  description?: string;
}

export interface ResourceClassCreation extends ResourceClass {
  token?: string;
}

/** Exactly one filter: the spec forbids sending both, and the server needs one. */
export type RunnerFilter = { namespace: string } | { resourceClass: string };

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface CreateResourceClassInput {
  resourceClass: string;
  description: string;
}

/** The seven operations of the Runner API. */
export interface RunnerApi {
  listRunners(filter: RunnerFilter, options?: RequestOptions): Promise<Runner[]>;
  getUnclaimedTaskCount(resourceClass: string, options?: RequestOptions): Promise<number>;
  getRunningTaskCount(resourceClass: string, options?: RequestOptions): Promise<number>;
  listResourceClasses(namespace: string, options?: RequestOptions): Promise<ResourceClass[]>;
  createResourceClass(
    input: CreateResourceClassInput,
    options?: RequestOptions,
  ): Promise<ResourceClassCreation>;
  getResourceClass(resourceClass: string, options?: RequestOptions): Promise<ResourceClass>;
  deleteResourceClass(resourceClass: string, options?: RequestOptions): Promise<void>;
}

/** One finished HTTP exchange, as the client reports it for logging. Never holds a token. */
export interface RequestRecord {
  method: string;
  /** Path and query, relative to the base URL. */
  path: string;
  status?: number;
  durationMs: number;
  attempt: number;
  error?: string;
}
