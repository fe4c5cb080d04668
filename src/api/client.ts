import type * as NodeFetch from 'node-fetch';

import {
  AbortedError,
  BadRequestError,
  ForbiddenError,
  HttpError,
  InvalidConfigError,
  InvalidNameError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  RunnerApiError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  type ErrorContext,
  type NetworkFailure,
} from './errors';
import { assertNamespace, assertResourceClassName, namespaceOf } from './names';
import {
  parseResourceClass,
  parseResourceClassCreation,
  parseResourceClassList,
  parseRunnerList,
  parseRunningTaskCount,
  parseUnclaimedTaskCount,
} from './parse';
import type {
  CreateResourceClassInput,
  RequestOptions,
  RequestRecord,
  ResourceClass,
  ResourceClassCreation,
  Runner,
  RunnerApi,
  RunnerFilter,
} from './types';

/** What the client passes to `fetch`: a subset both node-fetch and the global fetch accept. */
export interface FetchRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Redirects are not followed, so the token is never sent on to another host. */
  redirect: 'manual';
}

/** The parts of a fetch response the client reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: FetchRequestInit) => Promise<FetchResponseLike>;

export interface RetryOptions {
  /** Extra attempts after the first, for GET only. Default 2. */
  retries?: number;
  /** First back-off delay before jitter. Default 300 ms. */
  baseDelayMs?: number;
  /** Longest delay the client sleeps; a longer Retry-After is thrown back at once. */
  maxDelayMs?: number;
}

export interface RunnerApiClientOptions {
  /** For example https://runner.circleci.com/api/v3 */
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  /** Per attempt, including reading the body. Default 30000. */
  timeoutMs?: number;
  userAgent?: string;
  retry?: RetryOptions;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Waits between attempts; must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch milliseconds, for Retry-After given as a date. Default Date.now. */
  now?: () => number;
  /** Called once per attempt, for logging. Never receives the token. */
  onRequest?: (record: RequestRecord) => void;
}

/** One request as the endpoint code in this folder describes it. */
export interface ApiCall<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, with any path parameter already encoded. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Turns the decoded JSON of a 2xx answer into the result. */
  parse: (body: unknown) => T;
  /** The body of a 2xx answer is not read as JSON; `parse` receives undefined. */
  ignoreBody?: boolean;
  /** What a 404 means was missing, e.g. "the resource class acme/linux". */
  subject?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = 'circleci-runners-vscode';
const SERVER_MESSAGE_LIMIT = 300;

// Node's own error codes for failed connections, grouped into what a person can act on.
const REFUSED = new Set(['ECONNREFUSED']);
const HOST_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN']);

// node-fetch brings node:http and node:https, which take longer to load than the
// rest of the extension together: it is loaded with the first request, so that
// activating the extension does not wait for it.
let nodeFetch: typeof NodeFetch.default | undefined;
const defaultFetch: FetchLike = (url, init) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nodeFetch ??= (require('node-fetch') as typeof NodeFetch).default;
  return nodeFetch(url, init);
};

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') {
    return true;
  }
  // The URL parser has already turned short forms such as 127.1 into dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function quoteForMessage(value: string): string {
  const clean = stripControl(value);
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

function stripControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/**
 * Checks and tidies the API base URL: trims it, drops trailing slashes, and refuses
 * anything but https, or http to this computer. Throws InvalidConfigError.
 */
export function normalizeBaseUrl(url: string): string {
  const example = 'for example https://runner.circleci.com/api/v3';
  if (typeof url !== 'string' || url.trim() === '') {
    throw new InvalidConfigError(`The API URL is empty. Enter an https URL, ${example}.`);
  }

  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new InvalidConfigError(
      `The API URL "${quoteForMessage(trimmed)}" is not a valid URL. ` +
        `Enter an https URL, ${example}.`,
    );
  }

  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidConfigError(
      `The API URL must start with https://, not ${quoteForMessage(parsed.protocol)}//. ` +
        `Enter an https URL, ${example}.`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidConfigError(
      'The API URL must not contain a user name or password. ' +
        'Remove them; the API token is stored separately.',
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new InvalidConfigError(
      `The API URL must not contain "?" or "#". Enter only the base address, ${example}.`,
    );
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new InvalidConfigError(
      `The API URL uses http:// for ${parsed.hostname}, which would send the API token ` +
        'unencrypted. Use https://; http:// is accepted only for localhost, 127.x.x.x and [::1].',
    );
  }

  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** The origin (scheme, host and port) of an API URL: the key under which its token is kept. */
export function apiHostKey(url: string): string {
  return new URL(normalizeBaseUrl(url)).origin;
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), if usable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    return undefined;
  }
  return Math.max(0, at - now);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // Undici nests the system error under `cause`; node-fetch puts `code` on its own error.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeConnectionFailure(
  error: unknown,
  host: string,
): { failure: NetworkFailure; message: string } {
  const code = errorCode(error);
  const suffix = code === undefined ? '' : ` (${code})`;
  if (code !== undefined && REFUSED.has(code)) {
    return {
      failure: 'refused',
      message:
        `Could not connect to the Runner API at ${host}: the connection was refused${suffix}. ` +
        'Check the API URL setting and that the server is running.',
    };
  }
  if (code !== undefined && HOST_NOT_FOUND.has(code)) {
    return {
      failure: 'hostNotFound',
      message:
        `Could not connect to the Runner API: the host name in ${host} could not be ` +
        `resolved${suffix}. Check the API URL setting and your network connection.`,
    };
  }
  if (code !== undefined && RESET.has(code)) {
    return {
      failure: 'reset',
      message:
        `The connection to the Runner API at ${host} was closed before a full answer ` +
        `arrived${suffix}. Try again; if it keeps happening, a proxy may be in the way.`,
    };
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return {
      failure: 'other',
      message:
        `Could not reach the Runner API at ${host}: the network or host is ` +
        `unreachable${suffix}. Check your network connection.`,
    };
  }
  if (code !== undefined && /CERT|TLS|SSL/.test(code)) {
    return {
      failure: 'other',
      message:
        `The Runner API at ${host} presented a TLS certificate that was not accepted${suffix}. ` +
        'Check the API URL setting, or your proxy and certificate configuration.',
    };
  }
  return {
    failure: 'other',
    message: `Could not connect to the Runner API at ${host}${suffix}. Check your network.`,
  };
}

/** The `message` of a JSON error body, cleaned and bounded, or undefined. */
function serverMessageFrom(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const message = (body as { message?: unknown }).message;
  if (typeof message !== 'string') {
    return undefined;
  }
  const clean = stripControl(message).replace(/\s+/g, ' ').trim();
  if (clean === '') {
    return undefined;
  }
  return clean.length > SERVER_MESSAGE_LIMIT
    ? `${clean.slice(0, SERVER_MESSAGE_LIMIT - 3)}...`
    : clean;
}

function secondsText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function statusError(
  status: number,
  serverMessage: string | undefined,
  retryAfterMs: number | undefined,
  context: ErrorContext,
  subject: string | undefined,
): RunnerApiError {
  const said = serverMessage === undefined ? '' : ` The server said: "${serverMessage}".`;
  const ctx: ErrorContext = { ...context, status, serverMessage };

  if (status === 400) {
    const reason = serverMessage === undefined ? '' : `: ${serverMessage}`;
    return new BadRequestError(
      `The Runner API refused the request as invalid (400)${reason}. Check the values given.`,
      ctx,
    );
  }
  if (status === 401) {
    return new UnauthorizedError(
      `The Runner API rejected the API token (401). Set a new token.${said}`,
      ctx,
    );
  }
  if (status === 403) {
    return new ForbiddenError(
      "The Runner API refused this for the API token's user (403). Viewing needs membership " +
        `of the organization; creating and deleting resource classes needs an admin.${said}`,
      ctx,
    );
  }
  if (status === 404) {
    const what = subject ?? 'such item';
    return new NotFoundError(
      `The Runner API found no ${what} (404). It may not exist, or the API token's user ` +
        `may not be allowed to see it.${said}`,
      ctx,
    );
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? 'a minute' : secondsText(retryAfterMs);
    return new RateLimitedError(
      `The Runner API is limiting how often it may be called (429). Wait ${wait} ` +
        `before trying again, or poll less often.${said}`,
      { ...ctx, retryAfterMs },
    );
  }
  if (status >= 500 && status <= 599) {
    return new ServerError(
      `The Runner API had a server error (${status}). Try again in a few minutes.${said}`,
      { ...ctx, retryAfterMs },
    );
  }
  if (status >= 300 && status <= 399) {
    return new HttpError(
      `The Runner API answered with a redirect (${status}), which is not followed so the ` +
        'token stays with this host. Check the API URL setting.',
      ctx,
    );
  }
  return new HttpError(
    `The Runner API answered with an unexpected status (${status}).${said}`,
    ctx,
  );
}

function decodeJson(text: string, contentType: string | null, context: ErrorContext): unknown {
  if (text.trim() === '') {
    throw new InvalidResponseError(
      'The Runner API sent an empty answer where JSON was expected. Try again later.',
      context,
    );
  }
  const looksHtml = /^\s*</.test(text) || (contentType ?? '').toLowerCase().includes('html');
  try {
    return JSON.parse(text);
  } catch {
    if (looksHtml) {
      throw new InvalidResponseError(
        'The Runner API sent a web page instead of JSON; a proxy or sign-in page may be ' +
          'in the way. Check the API URL setting.',
        context,
      );
    }
    throw new InvalidResponseError(
      'The Runner API sent JSON that is cut off or malformed. Try again later.',
      context,
    );
  }
}

function buildQuery(query: Record<string, string> | undefined): string {
  if (query === undefined) {
    return '';
  }
  const text = new URLSearchParams(query).toString();
  return text === '' ? '' : `?${text}`;
}

function isRetryable(error: unknown): error is RunnerApiError {
  // A time-out on a GET is retried: reads are safe to repeat, and the usual cause is one
  // stalled connection (a dead keep-alive socket, a proxy hiccup) that a fresh attempt
  // avoids. The cost is a longer worst case, (retries + 1) * timeoutMs, which callers
  // that need a tighter bound cap with their AbortSignal.
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    error instanceof RateLimitedError ||
    error instanceof ServerError
  );
}

/** The Runner API over HTTP: the seven operations of the spec, with checks and retries. */
export class RunnerApiClient implements RunnerApi {
  readonly baseUrl: string;

  private readonly token: string;
  private readonly host: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly onRequest?: (record: RequestRecord) => void;

  constructor(options: RunnerApiClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.host = new URL(this.baseUrl).host;

    if (typeof options.token !== 'string' || options.token === '') {
      throw new InvalidConfigError('No API token is set. Set an API token first.');
    }
    if (!/^[\x21-\x7e]+$/.test(options.token)) {
      throw new InvalidConfigError(
        'The API token contains spaces, line breaks or other characters a token cannot ' +
          'hold. Set the token again, pasting only the token.',
      );
    }
    this.token = options.token;

    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidConfigError('The request time-out must be a positive number.');
    }
    this.timeoutMs = timeoutMs;

    this.fetchImpl = options.fetch ?? defaultFetch;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.retries = Math.max(0, Math.floor(options.retry?.retries ?? 2));
    this.baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? 300);
    this.maxDelayMs = Math.max(0, options.retry?.maxDelayMs ?? 5000);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
  }

  listRunners(filter: RunnerFilter, options?: RequestOptions): Promise<Runner[]> {
    return this.run(() => {
      const query = runnerFilterQuery(filter);
      return this.request(
        { method: 'GET', path: '/runner', query, parse: parseRunnerList },
        options,
      );
    });
  }

  getUnclaimedTaskCount(resourceClass: string, options?: RequestOptions): Promise<number> {
    return this.run(() => {
      assertResourceClassName(resourceClass);
      return this.request(
        {
          method: 'GET',
          path: '/runner/tasks',
          query: { 'resource-class': resourceClass },
          parse: parseUnclaimedTaskCount,
          subject: `resource class ${resourceClass}`,
        },
        options,
      );
    });
  }

  getRunningTaskCount(resourceClass: string, options?: RequestOptions): Promise<number> {
    return this.run(() => {
      assertResourceClassName(resourceClass);
      return this.request(
        {
          method: 'GET',
          path: '/runner/tasks/running',
          query: { 'resource-class': resourceClass },
          parse: parseRunningTaskCount,
          subject: `resource class ${resourceClass}`,
        },
        options,
      );
    });
  }

  listResourceClasses(namespace: string, options?: RequestOptions): Promise<ResourceClass[]> {
    return this.run(() => {
      assertNamespace(namespace);
      return this.request(
        {
          method: 'GET',
          path: '/runner/resource-class',
          query: { namespace },
          parse: parseResourceClassList,
          subject: `namespace ${namespace}`,
        },
        options,
      );
    });
  }

  createResourceClass(
    input: CreateResourceClassInput,
    options?: RequestOptions,
  ): Promise<ResourceClassCreation> {
    return this.run(() => {
      const body = createBody(input);
      return this.request(
        {
          method: 'POST',
          path: '/runner/resource-class',
          body,
          parse: parseResourceClassCreation,
          subject: `namespace ${namespaceOf(body.resource_class)}`,
        },
        options,
      );
    });
  }

  getResourceClass(resourceClass: string, options?: RequestOptions): Promise<ResourceClass> {
    return this.run(() => {
      assertResourceClassName(resourceClass);
      return this.request(
        {
          method: 'GET',
          path: `/runner/resource-class/${encodeURIComponent(resourceClass)}`,
          parse: parseResourceClass,
          subject: `resource class ${resourceClass}`,
        },
        options,
      );
    });
  }

  deleteResourceClass(resourceClass: string, options?: RequestOptions): Promise<void> {
    return this.run(() => {
      assertResourceClassName(resourceClass);
      return this.request(
        {
          method: 'DELETE',
          path: `/runner/resource-class/${encodeURIComponent(resourceClass)}`,
          parse: () => undefined,
          ignoreBody: true,
          subject: `resource class ${resourceClass}`,
        },
        options,
      );
    });
  }

  /**
   * Sends one API call with the time-out, cancellation, status mapping and (for GET)
   * retries every operation shares. Endpoint variants in this folder build on it; input
   * checks belong to the caller, before this is called.
   */
  async request<T>(call: ApiCall<T>, options?: RequestOptions): Promise<T> {
    const signal = options?.signal;
    const maxAttempts = call.method === 'GET' ? this.retries + 1 : 1;

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted === true) {
        throw this.aborted(call);
      }
      try {
        return await this.attempt(call, attempt, signal);
      } catch (error) {
        if (attempt >= maxAttempts || !isRetryable(error)) {
          throw error;
        }
        const delay = this.retryDelay(error, attempt);
        if (delay === undefined) {
          throw error;
        }
        try {
          await this.sleep(delay, signal);
        } catch {
          throw this.aborted(call);
        }
      }
    }
  }

  /** Runs the synchronous checks inside the promise, so callers see one rejection path. */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    return operation();
  }

  private retryDelay(error: RunnerApiError, attempt: number): number | undefined {
    const retryAfterMs =
      error instanceof RateLimitedError || error instanceof ServerError
        ? error.retryAfterMs
        : undefined;
    if (retryAfterMs !== undefined) {
      // Longer than we are willing to sleep: hand it back so a poller can back off itself.
      return retryAfterMs > this.maxDelayMs ? undefined : retryAfterMs;
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    // Half fixed, half random: spreads clients apart yet never retries immediately.
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private aborted(call: ApiCall<unknown>): AbortedError {
    return new AbortedError('The request was cancelled.', {
      method: call.method,
      path: call.path,
    });
  }

  private async attempt<T>(call: ApiCall<T>, attempt: number, signal?: AbortSignal): Promise<T> {
    const relative = `${call.path}${buildQuery(call.query)}`;
    const context: ErrorContext = { method: call.method, path: relative };
    const started = this.now();
    let status: number | undefined;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });

    try {
      let text: string;
      let contentType: string | null;
      let retryAfter: string | null;
      try {
        const response = await this.fetchImpl(`${this.baseUrl}${relative}`, {
          method: call.method,
          headers: this.headers(call.body !== undefined),
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: controller.signal,
          redirect: 'manual',
        });
        status = response.status;
        contentType = response.headers.get('content-type');
        retryAfter = response.headers.get('retry-after');
        text = await response.text();
      } catch (error) {
        throw this.transportError(error, context, signal, timedOut);
      }

      if (status < 200 || status > 299) {
        const retryAfterMs = parseRetryAfter(retryAfter, this.now());
        // A server that echoes the request back must not make the token part of a message.
        const said = serverMessageFrom(text.split(this.token).join('[token]'));
        throw statusError(status, said, retryAfterMs, context, call.subject);
      }

      const success = { ...context, status };
      const body = call.ignoreBody === true ? undefined : decodeJson(text, contentType, success);
      const result = parseWithContext(call.parse, body, success);
      this.record(call.method, relative, status, started, attempt, undefined);
      return result;
    } catch (error) {
      const kind = error instanceof RunnerApiError ? error.kind : 'unknown';
      this.record(call.method, relative, status, started, attempt, kind);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private transportError(
    error: unknown,
    context: ErrorContext,
    signal: AbortSignal | undefined,
    timedOut: boolean,
  ): RunnerApiError {
    if (signal?.aborted === true) {
      return new AbortedError('The request was cancelled.', { ...context, cause: error });
    }
    if (timedOut) {
      return new TimeoutError(
        `The Runner API at ${this.host} did not answer within ${secondsText(this.timeoutMs)}. ` +
          'Try again later, or raise the request time-out setting.',
        { ...context, cause: error },
      );
    }
    const { failure, message } = describeConnectionFailure(error, this.host);
    return new NetworkError(message, { ...context, cause: error, failure });
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'Circle-Token': this.token,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    if (hasBody) {
      headers['Content-Type'] = 'application/json';
    }
    return headers;
  }

  private record(
    method: string,
    path: string,
    status: number | undefined,
    started: number,
    attempt: number,
    error: string | undefined,
  ): void {
    if (this.onRequest === undefined) {
      return;
    }
    const record: RequestRecord = { method, path, durationMs: this.now() - started, attempt };
    if (status !== undefined) {
      record.status = status;
    }
    if (error !== undefined) {
      record.error = error;
    }
    try {
      this.onRequest(record);
    } catch {
      // A failing logger must not turn a good answer into an error.
    }
  }
}

function parseWithContext<T>(parse: (body: unknown) => T, body: unknown, context: ErrorContext): T {
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof InvalidResponseError) {
      throw new InvalidResponseError(error.message, { ...context, field: error.field });
    }
    throw error;
  }
}

/** The query for `GET /runner`, refusing both or neither filter from untyped callers. */
function runnerFilterQuery(filter: RunnerFilter): Record<string, string> {
  const given = (filter ?? {}) as { namespace?: unknown; resourceClass?: unknown };
  const hasNamespace = given.namespace !== undefined;
  const hasResourceClass = given.resourceClass !== undefined;

  if (hasNamespace && hasResourceClass) {
    throw new InvalidNameError(
      'Listing runners takes either a namespace or a resource class, not both.',
    );
  }
  if (hasNamespace) {
    const namespace = given.namespace as string;
    assertNamespace(namespace);
    return { namespace };
  }
  if (hasResourceClass) {
    const resourceClass = given.resourceClass as string;
    assertResourceClassName(resourceClass);
    return { 'resource-class': resourceClass };
  }
  throw new InvalidNameError(
    'Listing runners needs a namespace or a resource class to filter by; neither was given.',
  );
}

/** The JSON body shared by both ways of creating a resource class. */
export function createBody(input: CreateResourceClassInput): {
  resource_class: string;
  description: string;
} {
  const given = (input ?? {}) as { resourceClass?: unknown; description?: unknown };
  assertResourceClassName(given.resourceClass as string);
  if (typeof given.description !== 'string') {
    throw new InvalidNameError('A resource class needs a description (it may be empty).');
  }
  return { resource_class: given.resourceClass as string, description: given.description };
}
