import * as assert from 'node:assert/strict';
import {
  backoffDelay,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  nextPollDelay,
  regularDelay,
  resolvePollSettings,
} from '../../../src/queue/schedule';

const SEC = 1000;

describe('poll schedule', () => {
  it('uses 30 s and 4 requests by default, and never polls faster than every 10 s', () => {
    assert.deepEqual(resolvePollSettings({}), { intervalMs: 30 * SEC, maxConcurrent: 4 });
    assert.equal(resolvePollSettings({ intervalSeconds: 1 }).intervalMs, 10 * SEC);
    assert.equal(resolvePollSettings({ intervalSeconds: Number.NaN }).intervalMs, 30 * SEC);
    assert.equal(resolvePollSettings({ maxConcurrent: 0 }).maxConcurrent, 1);
    assert.equal(resolvePollSettings({ maxConcurrent: 99 }).maxConcurrent, 16);
  });

  it('polls at a fifth of the rate while the window is not focused', () => {
    assert.equal(regularDelay(30 * SEC, true), 30 * SEC);
    assert.equal(regularDelay(30 * SEC, false), 150 * SEC);
  });

  it('waits exactly the interval when healthy, whatever the random source says', () => {
    for (const r of [0, 0.5, 0.999]) {
      const delay = nextPollDelay({
        intervalMs: 30 * SEC,
        focused: true,
        consecutiveFailures: 0,
        random: () => r,
      });
      assert.equal(delay, 30 * SEC);
    }
  });

  it('doubles the backoff ceiling per consecutive failure up to 5 minutes', () => {
    const top = (failures: number) => backoffDelay(30 * SEC, failures, undefined, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 50].map(top), [
      60 * SEC,
      120 * SEC,
      240 * SEC,
      MAX_BACKOFF_MS,
      MAX_BACKOFF_MS,
      MAX_BACKOFF_MS,
    ]);
  });

  it('keeps the jitter within the upper half of the ceiling', () => {
    const ceiling = 120 * SEC;
    for (let i = 0; i <= 100; i += 1) {
      const delay = backoffDelay(30 * SEC, 2, undefined, () => i / 100);
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${delay} out of bounds`);
    }
    assert.equal(
      backoffDelay(30 * SEC, 2, undefined, () => 0),
      ceiling / 2,
    );
    assert.equal(
      backoffDelay(30 * SEC, 9, undefined, () => 0.5),
      MAX_BACKOFF_MS * 0.75,
    );
  });

  it("never retries before the server's Retry-After, even past the cap, within a bound", () => {
    assert.equal(
      backoffDelay(30 * SEC, 1, 200 * SEC, () => 0),
      200 * SEC,
    );
    assert.equal(
      backoffDelay(30 * SEC, 1, 10 * 60 * SEC, () => 1),
      10 * 60 * SEC,
    );
    assert.equal(
      backoffDelay(30 * SEC, 1, 10 * 3600 * SEC, () => 1),
      MAX_RETRY_AFTER_MS,
    );
    // A short Retry-After does not shorten the backoff.
    assert.equal(
      backoffDelay(30 * SEC, 1, 1 * SEC, () => 1),
      60 * SEC,
    );
  });

  it('never lets backoff poll faster than the unfocused rate', () => {
    const delay = nextPollDelay({
      intervalMs: 30 * SEC,
      focused: false,
      consecutiveFailures: 1,
      random: () => 1,
    });
    assert.equal(delay, 150 * SEC);
  });
});
