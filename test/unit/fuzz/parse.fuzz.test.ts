// Property tests of the response parsers: whatever a server sends, a parser
// returns well-typed data or throws InvalidResponseError, nothing else.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';

import { InvalidResponseError } from '../../../src/api/errors';
import {
  parseDateTime,
  parseIssuedToken,
  parseResourceClass,
  parseResourceClassCreation,
  parseResourceClassList,
  parseRunnerList,
  parseRunningTaskCount,
  parseUnclaimedTaskCount,
} from '../../../src/api/parse';
import type { ResourceClass, Runner } from '../../../src/api/types';
import { anyJson, awkwardText, fuzzParameters } from './fuzzConfig';

const runnerTextFields = ['resource_class', 'hostname', 'name', 'version', 'ip', 'os', 'arch'];
const runnerDateFields = ['first_connected', 'last_connected', 'last_used'];

const isoDate = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z') })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString());

/** A field value: usually plausible, often of the wrong type, sometimes absent. */
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: awkwardText },
  { weight: 2, arbitrary: isoDate },
  { weight: 1, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

function objectWith(keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: keys.length }),
      fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 2 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));
}

const runnerLike = objectWith([...runnerTextFields, ...runnerDateFields]);
const classLike = objectWith(['id', 'resource_class', 'description', 'token']);
const countValue = fc.oneof(
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER),
  anyJson,
);

/** Bodies shaped like the real answers, and bodies that are anything at all. */
const listBody = fc.oneof(
  fc.record({ items: fc.array(fc.oneof(runnerLike, classLike, anyJson), { maxLength: 8 }) }),
  fc.record({ items: anyJson }),
  anyJson,
);
const countBody = fc.oneof(
  fc.record({ unclaimed_task_count: countValue, running_runner_tasks: countValue }),
  fc.dictionary(fc.constantFrom('unclaimed_task_count', 'running_runner_tasks'), countValue),
  anyJson,
);
const objectBody = fc.oneof(classLike, anyJson);

/** Runs a parser; returns its result, or undefined when it threw the one allowed error. */
function parseOrRefuse<T>(parse: (body: unknown) => T, body: unknown): T | undefined {
  try {
    return parse(body);
  } catch (error) {
    if (!(error instanceof InvalidResponseError)) {
      throw new Error(`threw ${String(error)} instead of InvalidResponseError`, { cause: error });
    }
    // The message is shown to people: one readable, bounded line.
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(error.message, /[\u0000-\u001f\u007f-\u009f]/);
    assert.ok(error.message.length < 400, `message of ${error.message.length} characters`);
    return undefined;
  }
}

function assertOptionalText(value: unknown, what: string): void {
  assert.ok(value === undefined || typeof value === 'string', `${what} is ${typeof value}`);
}

function assertOptionalTime(value: unknown, what: string): void {
  assert.ok(
    value === undefined || (typeof value === 'number' && Number.isFinite(value)),
    `${what} is ${String(value)}`,
  );
}

function checkRunner(runner: Runner): void {
  for (const key of ['resourceClass', 'hostname', 'name', 'version', 'ip', 'os', 'arch'] as const) {
    assertOptionalText(runner[key], key);
  }
  for (const key of ['firstConnected', 'lastConnected', 'lastUsed'] as const) {
    assertOptionalTime(runner[key], key);
  }
}

function checkClass(resourceClass: ResourceClass): void {
  assertOptionalText(resourceClass.id, 'id');
  assertOptionalText(resourceClass.resourceClass, 'resourceClass');
  assertOptionalText(resourceClass.description, 'description');
}

describe('Response parsers under generated bodies (fast-check)', () => {
  it('runner lists: well-typed runners, one per item, or InvalidResponseError', () => {
    fc.assert(
      fc.property(listBody, (body) => {
        const runners = parseOrRefuse(parseRunnerList, body);
        if (runners !== undefined) {
          const items = (body as { items: unknown[] }).items;
          assert.equal(runners.length, items.length);
          runners.forEach(checkRunner);
        }
      }),
      fuzzParameters(500),
    );
  });

  it('resource class lists and single classes: text fields or InvalidResponseError', () => {
    fc.assert(
      fc.property(listBody, objectBody, (list, single) => {
        parseOrRefuse(parseResourceClassList, list)?.forEach(checkClass);
        const one = parseOrRefuse(parseResourceClass, single);
        if (one !== undefined) {
          checkClass(one);
        }
        const created = parseOrRefuse(parseResourceClassCreation, single);
        if (created !== undefined) {
          checkClass(created);
          assertOptionalText(created.token, 'token');
        }
        const issued = parseOrRefuse(parseIssuedToken, single);
        if (issued !== undefined) {
          assertOptionalText(issued.token, 'token');
          assertOptionalTime(issued.createdAt, 'createdAt');
        }
      }),
      fuzzParameters(500),
    );
  });

  it('task counts: a whole number from zero up, or InvalidResponseError', () => {
    fc.assert(
      fc.property(countBody, (body) => {
        for (const parse of [parseUnclaimedTaskCount, parseRunningTaskCount]) {
          const count = parseOrRefuse(parse, body);
          if (count !== undefined) {
            assert.ok(Number.isSafeInteger(count), `count ${count} is not a whole number`);
            assert.ok(count >= 0, `count ${count} is negative`);
          }
        }
      }),
      fuzzParameters(1000),
    );
  });

  it('never reads a count from a body whose count field is negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: -1 }), (negative) => {
        assert.equal(
          parseOrRefuse(parseUnclaimedTaskCount, { unclaimed_task_count: negative }),
          undefined,
        );
        assert.equal(
          parseOrRefuse(parseRunningTaskCount, { running_runner_tasks: negative }),
          undefined,
        );
      }),
      fuzzParameters(200),
    );
  });

  it('date-times: every ISO string of a real instant reads back as that instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') }),
        (date) => {
          fc.pre(!Number.isNaN(date.getTime()));
          assert.equal(parseDateTime(date.toISOString()), date.getTime());
        },
      ),
      fuzzParameters(1000),
    );
  });

  it('date-times: any other text gives a finite time or undefined, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          awkwardText,
          isoDate.map((d) => d.slice(0, -1)),
        ),
        (text) => {
          const ms = parseDateTime(text);
          assert.ok(ms === undefined || Number.isFinite(ms), `${text} gave ${String(ms)}`);
        },
      ),
      fuzzParameters(1000),
    );
  });
});
