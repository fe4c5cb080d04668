// The in-memory record of API requests, for tests to inspect.

import type { RecordedRequest } from './types';

/**
 * Keeps the newest 10,000 requests (up to 10% more between trims): at a poller's few requests a
 * second that is hours of a live session, and it bounds memory however long the simulator runs.
 */
export const REQUEST_LOG_CAP = 10_000;

export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly cap = REQUEST_LOG_CAP) {}

  get all(): readonly RecordedRequest[] {
    return this.entries;
  }

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    // Trim in batches so a full log does not copy the whole array on every request.
    if (this.entries.length > this.cap + Math.ceil(this.cap / 10)) {
      this.entries = this.entries.slice(this.entries.length - this.cap);
    }
  }

  clear(): void {
    this.entries = [];
  }

  /** Counts by `METHOD path`, for the control endpoint. */
  countsByPath(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      const key = `${entry.method} ${entry.path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
}
