import type { ResourceClass } from './types';

// One error class for each failure a caller must treat differently. Callers
// decide by `instanceof` or `kind`, never by parsing the message.

export type RunnerApiErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'rateLimited'
  | 'server'
  | 'badRequest'
  | 'http'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'invalidResponse'
  | 'invalidName'
  | 'invalidConfig'
  | 'tokenNotIssued';

export interface ErrorContext {
  method?: string;
  path?: string;
  status?: number;
  /** The `message` field of the server's error body, when it sent one. */
  serverMessage?: string;
  cause?: unknown;
}

export abstract class RunnerApiError extends Error {
  abstract readonly kind: RunnerApiErrorKind;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly serverMessage?: string;

  constructor(message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.serverMessage = context.serverMessage;
  }
}

/** 401: the token is missing, wrong, expired or revoked. */
export class UnauthorizedError extends RunnerApiError {
  readonly kind = 'unauthorized';
}

/** 403: the token is valid but may not do this (for example, not an org admin). */
export class ForbiddenError extends RunnerApiError {
  readonly kind = 'forbidden';
}

/** 404: not found, or not permitted; real servers deliberately answer alike. */
export class NotFoundError extends RunnerApiError {
  readonly kind = 'notFound';
}

/** 429: too many requests. `retryAfterMs` comes from the `Retry-After` header. */
export class RateLimitedError extends RunnerApiError {
  readonly kind = 'rateLimited';
  readonly retryAfterMs?: number;

  constructor(message: string, context: ErrorContext & { retryAfterMs?: number } = {}) {
    super(message, context);
    this.retryAfterMs = context.retryAfterMs;
  }
}

/** 5xx from the server or a proxy in front of it. `retryAfterMs` if it sent `Retry-After`. */
export class ServerError extends RunnerApiError {
  readonly kind = 'server';
  readonly retryAfterMs?: number;

  constructor(message: string, context: ErrorContext & { retryAfterMs?: number } = {}) {
    super(message, context);
    this.retryAfterMs = context.retryAfterMs;
  }
}

/** 400: the server refused the input; `serverMessage` says why. */
export class BadRequestError extends RunnerApiError {
  readonly kind = 'badRequest';
}

/** Any other unexpected status (405, 409, 3xx without a body we can use, ...). */
export class HttpError extends RunnerApiError {
  readonly kind = 'http';
}

/** Why a connection failed, for callers that word their own hint. */
export type NetworkFailure = 'refused' | 'hostNotFound' | 'reset' | 'other';

/** The request never got an HTTP answer: refused, unresolvable host, reset. */
export class NetworkError extends RunnerApiError {
  readonly kind = 'network';
  readonly failure?: NetworkFailure;

  constructor(message: string, context: ErrorContext & { failure?: NetworkFailure } = {}) {
    super(message, context);
    this.failure = context.failure;
  }
}

/** No complete answer within the time-out. */
export class TimeoutError extends RunnerApiError {
  readonly kind = 'timeout';
}

/** The caller cancelled through its AbortSignal. */
export class AbortedError extends RunnerApiError {
  readonly kind = 'aborted';
}

/** A 2xx answer that is not the documented JSON: HTML, empty, truncated, wrong types. */
export class InvalidResponseError extends RunnerApiError {
  readonly kind = 'invalidResponse';
  /** The offending field, as a path such as `items[3].last_connected`. */
  readonly field?: string;

  constructor(message: string, context: ErrorContext & { field?: string } = {}) {
    super(message, context);
    this.field = context.field;
  }
}

/** A resource class or namespace name that cannot be valid; no request was sent. */
export class InvalidNameError extends RunnerApiError {
  readonly kind = 'invalidName';
}

/** The client's settings are unusable (a malformed base URL, http:// to a remote host). */
export class InvalidConfigError extends RunnerApiError {
  readonly kind = 'invalidConfig';
}

/**
 * A resource class was created, but the separate call that issues its token failed.
 * The class exists on the server; `resourceClass` is what the server said about it and
 * `cause` is the error from the token call.
 */
export class TokenNotIssuedError extends RunnerApiError {
  readonly kind = 'tokenNotIssued';
  readonly resourceClass: ResourceClass;

  constructor(message: string, context: ErrorContext & { resourceClass: ResourceClass }) {
    super(message, context);
    this.resourceClass = context.resourceClass;
  }
}

export function isRunnerApiError(value: unknown): value is RunnerApiError {
  return value instanceof RunnerApiError;
}
