// A task-count API under the test's control. The poller's logic is what these
// tests check; the real client against the simulator is tested elsewhere.

import { AbortedError } from '../../../src/api/errors';
import type { RequestOptions } from '../../../src/api/types';
import type { TaskCountApi } from '../../../src/queue/queuePoller';

export type CountKind = 'unclaimed' | 'running';

/** A number answers, an Error fails, 'hold' leaves the request pending for the test. */
export type Answer = number | Error | 'hold';

export interface FakeCall {
  resourceClass: string;
  kind: CountKind;
  signal: AbortSignal | undefined;
  settled: boolean;
  resolve(count: number): void;
  reject(error: Error): void;
}

export class FakeTaskApi implements TaskCountApi {
  readonly calls: FakeCall[] = [];
  private readonly cleanups = new Map<FakeCall, () => void>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(public answer: (resourceClass: string, kind: CountKind) => Answer) {}

  getUnclaimedTaskCount(resourceClass: string, options?: RequestOptions): Promise<number> {
    return this.call(resourceClass, 'unclaimed', options);
  }

  getRunningTaskCount(resourceClass: string, options?: RequestOptions): Promise<number> {
    return this.call(resourceClass, 'running', options);
  }

  get pending(): FakeCall[] {
    return this.calls.filter((c) => !c.settled);
  }

  resolvePending(count: number): void {
    for (const call of this.pending) {
      call.resolve(count);
    }
  }

  private call(resourceClass: string, kind: CountKind, options?: RequestOptions) {
    const answer = this.answer(resourceClass, kind);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<number>((resolve, reject) => {
      const signal = options?.signal;
      // As the real client does: an abort rejects the request at once.
      const onAbort = () => call.reject(new AbortedError('The request was cancelled.'));
      const call: FakeCall = {
        resourceClass,
        kind,
        signal,
        settled: false,
        resolve: (count) => this.settle(call, () => resolve(count)),
        reject: (error) => this.settle(call, () => reject(error)),
      };
      this.calls.push(call);
      signal?.addEventListener('abort', onAbort);
      this.cleanups.set(call, () => signal?.removeEventListener('abort', onAbort));
      if (answer instanceof Error) {
        call.reject(answer);
      } else if (answer !== 'hold') {
        call.resolve(answer);
      }
    });
  }

  private settle(call: FakeCall, fn: () => void): void {
    if (call.settled) {
      return;
    }
    call.settled = true;
    this.inFlight -= 1;
    this.cleanups.get(call)?.();
    this.cleanups.delete(call);
    fn();
  }
}
