import * as assert from 'node:assert/strict';

import fc from 'fast-check';

import { InvalidResponseError } from '../../src/api/errors';
import {
  parseDateTime,
  parseIssuedToken,
  parseResourceClassCreation,
  parseRunnerList,
  parseUnclaimedTaskCount,
} from '../../src/api/parse';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InvalidResponseError, String(error));
    return error.field ?? '(answer)';
  }
  assert.fail('expected InvalidResponseError');
}

describe('Response parsing', () => {
  it('ignores unknown fields and leaves missing ones undefined', () => {
    const [runner] = parseRunnerList({ items: [{ hostname: 'h', extra: { deep: 1 } }] });
    assert.equal(runner?.hostname, 'h');
    assert.equal(runner?.lastConnected, undefined);
    assert.ok(!('extra' in (runner ?? {})));
  });

  it('names the field of a wrong type by its path', () => {
    const items = [{}, {}, {}, { last_connected: 12 }];
    assert.equal(
      fieldOf(() => parseRunnerList({ items })),
      'items[3].last_connected',
    );
    assert.equal(
      fieldOf(() => parseRunnerList({ items: [{ ip: [] }] })),
      'items[0].ip',
    );
    assert.equal(
      fieldOf(() => parseRunnerList({ items: [null] })),
      'items[0]',
    );
    assert.equal(
      fieldOf(() => parseRunnerList({ items: {} })),
      'items',
    );
    assert.equal(
      fieldOf(() => parseRunnerList({})),
      'items',
    );
    assert.equal(
      fieldOf(() => parseRunnerList([])),
      '(answer)',
    );
    assert.equal(
      fieldOf(() => parseResourceClassCreation({ token: 5 })),
      'token',
    );
  });

  it('rejects dates that are not ISO 8601 date-times', () => {
    for (const text of [
      'yesterday',
      '2026-01-15',
      '2026-02-30T00:00:00Z',
      '2026-01-15 10:00:00Z',
    ]) {
      assert.equal(parseDateTime(text), undefined, text);
      assert.equal(
        fieldOf(() => parseRunnerList({ items: [{ first_connected: text }] })),
        'items[0].first_connected',
      );
    }
  });

  it('reads date-times with fractions and offsets as epoch milliseconds', () => {
    assert.equal(parseDateTime('2026-01-15T12:00:00Z'), Date.UTC(2026, 0, 15, 12));
    assert.equal(parseDateTime('2026-01-15T12:00:00.5Z'), Date.UTC(2026, 0, 15, 12, 0, 0, 500));
    assert.equal(parseDateTime('2026-01-15T12:00:00.12Z'), Date.UTC(2026, 0, 15, 12, 0, 0, 120));
    assert.equal(
      parseDateTime('2026-01-15T12:00:00.123456Z'),
      Date.UTC(2026, 0, 15, 12, 0, 0, 123),
    );
    assert.equal(parseDateTime('2026-01-15T14:30:00+02:30'), Date.UTC(2026, 0, 15, 12));
    assert.equal(parseDateTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  });

  it('refuses near misses of the date-time form', () => {
    const nearMisses = [
      '2026-01-15T12:00:00.Z',
      '2026-01-15T12:00:00+2:00',
      '2026-01-15T12:00:00+02:00x',
      '2026-01-15T12:00:00',
      '2026-01-15T24:00:00Z',
      '2026-01-15T12:60:00Z',
      '2025-02-29T00:00:00Z',
      '2026-1-15T12:00:00Z',
      '+02026-01-15T12:00:00Z',
    ];
    for (const text of nearMisses) {
      assert.equal(parseDateTime(text), undefined, text);
    }
    assert.equal(parseDateTime('2026-01-15t12:00:00z'), Date.UTC(2026, 0, 15, 12));
    assert.equal(parseDateTime('2026-01-15T10:00:00-02:00'), Date.UTC(2026, 0, 15, 12));
  });

  it('agrees with the platform on every instant it prints', () => {
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) });
    fc.assert(
      fc.property(instant, (ms) => parseDateTime(new Date(ms).toISOString()) === ms),
      { numRuns: 2000 },
    );
  });

  it('requires a whole, non-negative count', () => {
    assert.equal(parseUnclaimedTaskCount({ unclaimed_task_count: 0 }), 0);
    for (const bad of [{}, { unclaimed_task_count: -1 }, { unclaimed_task_count: 1.5 }]) {
      assert.equal(
        fieldOf(() => parseUnclaimedTaskCount(bad)),
        'unclaimed_task_count',
      );
    }
    assert.equal(
      fieldOf(() => parseUnclaimedTaskCount({ unclaimed_task_count: '3' })),
      'unclaimed_task_count',
    );
  });

  it('reads an issued token', () => {
    const issued = parseIssuedToken({
      id: 'i',
      resource_class: 'acme/x',
      nickname: 'default',
      created_at: '2026-01-15T12:00:00Z',
      token: 't',
    });
    assert.equal(issued.createdAt, Date.UTC(2026, 0, 15, 12));
    assert.equal(issued.token, 't');
  });
});
