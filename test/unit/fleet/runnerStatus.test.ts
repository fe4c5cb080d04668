import * as assert from 'node:assert/strict';
import {
  defaultThresholds,
  deriveRunnerStatus,
  formatAgo,
  nextStatusChangeAt,
} from '../../../src/fleet/runnerStatus';

const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const seconds = (s: number) => now - s * 1000;

describe('runner status', () => {
  it('is online up to the online threshold, inclusive', () => {
    assert.equal(deriveRunnerStatus(seconds(0), now, defaultThresholds), 'online');
    assert.equal(deriveRunnerStatus(seconds(120), now, defaultThresholds), 'online');
    assert.equal(deriveRunnerStatus(seconds(121), now, defaultThresholds), 'idle');
  });

  it('is idle up to the idle threshold, then offline', () => {
    assert.equal(deriveRunnerStatus(seconds(1800), now, defaultThresholds), 'idle');
    assert.equal(deriveRunnerStatus(seconds(1801), now, defaultThresholds), 'offline');
    assert.equal(deriveRunnerStatus(seconds(9 * 86400), now, defaultThresholds), 'offline');
  });

  it('follows custom thresholds', () => {
    const thresholds = { onlineWithinMs: 10_000, idleWithinMs: 60_000 };
    assert.equal(deriveRunnerStatus(seconds(11), now, thresholds), 'idle');
    assert.equal(deriveRunnerStatus(seconds(61), now, thresholds), 'offline');
  });

  it('treats an idle threshold below the online one as no idle band', () => {
    const thresholds = { onlineWithinMs: 300_000, idleWithinMs: 60_000 };
    assert.equal(deriveRunnerStatus(seconds(200), now, thresholds), 'online');
    assert.equal(deriveRunnerStatus(seconds(301), now, thresholds), 'offline');
  });

  it('is unknown without a time, and online for a clock slightly ahead of ours', () => {
    assert.equal(deriveRunnerStatus(undefined, now, defaultThresholds), 'unknown');
    assert.equal(deriveRunnerStatus(Number.NaN, now, defaultThresholds), 'unknown');
    assert.equal(deriveRunnerStatus(now + 5_000, now, defaultThresholds), 'online');
  });

  it('says when the status next changes by time alone', () => {
    assert.equal(nextStatusChangeAt(seconds(60), now, defaultThresholds), seconds(60) + 120_000);
    assert.equal(
      nextStatusChangeAt(seconds(600), now, defaultThresholds),
      seconds(600) + 1_800_000,
    );
    assert.equal(nextStatusChangeAt(seconds(7200), now, defaultThresholds), undefined);
  });
});

describe('relative times', () => {
  it('reads like a person would say it', () => {
    assert.equal(formatAgo(seconds(3), now), 'just now');
    assert.equal(formatAgo(seconds(45), now), '45 s ago');
    assert.equal(formatAgo(seconds(4 * 60 + 59), now), '4 min ago');
    assert.equal(formatAgo(seconds(3 * 3600), now), '3 h ago');
    assert.equal(formatAgo(seconds(12 * 86400), now), '12 d ago');
    assert.equal(formatAgo(now + 3_600_000, now), 'in the future');
  });
});
