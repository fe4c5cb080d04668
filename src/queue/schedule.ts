// The poll schedule as plain functions: how long to wait before the next
// queue poll, given the interval setting, focus, and recent failures.

import type { RandomSource } from './clock';

export const DEFAULT_INTERVAL_SECONDS = 30;
export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 3600;
export const DEFAULT_MAX_CONCURRENT = 4;
export const MIN_MAX_CONCURRENT = 1;
export const MAX_MAX_CONCURRENT = 16;

/** While the window is not focused, polls come this many times less often. */
export const UNFOCUSED_SLOWDOWN = 5;

/** Exponential backoff stops growing here. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * A server's Retry-After is honoured even beyond MAX_BACKOFF_MS, but not
 * without bound: a broken proxy header must not stop polling for days.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface PollSettings {
  intervalSeconds?: number;
  maxConcurrent?: number;
}

export interface ResolvedPollSettings {
  intervalMs: number;
  maxConcurrent: number;
}

/** Applies defaults and bounds, so a bad value in settings cannot make the poller hammer. */
export function resolvePollSettings(settings: PollSettings): ResolvedPollSettings {
  const seconds = clampInteger(
    settings.intervalSeconds,
    DEFAULT_INTERVAL_SECONDS,
    MIN_INTERVAL_SECONDS,
    MAX_INTERVAL_SECONDS,
  );
  const maxConcurrent = clampInteger(
    settings.maxConcurrent,
    DEFAULT_MAX_CONCURRENT,
    MIN_MAX_CONCURRENT,
    MAX_MAX_CONCURRENT,
  );
  return { intervalMs: seconds * 1000, maxConcurrent };
}

/** The delay between healthy polls: the interval, or five times it when unfocused. */
export function regularDelay(intervalMs: number, focused: boolean): number {
  return focused ? intervalMs : intervalMs * UNFOCUSED_SLOWDOWN;
}

/**
 * The wait imposed by failures alone: 0 when healthy; otherwise the interval
 * doubled per consecutive failed poll, capped at MAX_BACKOFF_MS, with "equal
 * jitter" (a random point in the upper half) so that many windows do not retry
 * in step; never shorter than the server's Retry-After.
 */
export function backoffDelay(
  intervalMs: number,
  consecutiveFailures: number,
  retryAfterMs: number | undefined,
  random: RandomSource,
): number {
  if (consecutiveFailures <= 0) {
    return 0;
  }
  // The exponent is bounded so the arithmetic stays finite after a long outage.
  const exponent = Math.min(consecutiveFailures, 30);
  const ceiling = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** exponent);
  const jittered = ceiling / 2 + (ceiling / 2) * clampUnit(random());
  const retryAfter = Math.min(Math.max(retryAfterMs ?? 0, 0), MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, retryAfter));
}

export interface NextDelayInput {
  intervalMs: number;
  focused: boolean;
  consecutiveFailures: number;
  retryAfterMs?: number;
  random: RandomSource;
}

/**
 * Milliseconds from the end of one poll to the start of the next. Backoff
 * never makes polling faster than the regular (possibly unfocused) rate.
 */
export function nextPollDelay(input: NextDelayInput): number {
  const backoff = backoffDelay(
    input.intervalMs,
    input.consecutiveFailures,
    input.retryAfterMs,
    input.random,
  );
  return combineDelays(input.intervalMs, input.focused, backoff);
}

/** The regular delay for the focus state, stretched by an already drawn backoff. */
export function combineDelays(intervalMs: number, focused: boolean, backoffMs: number): number {
  return Math.max(regularDelay(intervalMs, focused), backoffMs);
}

function clampInteger(value: number | undefined, fallback: number, min: number, max: number) {
  if (value === undefined || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value)) {
    return 0;
  }
  return Math.min(1, Math.max(0, value));
}
