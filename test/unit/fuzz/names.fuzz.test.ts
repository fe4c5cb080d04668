// Property tests of the name checks: a name passes exactly when it matches the
// pattern the API documents, and no request is built for any other name.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';

import { RunnerApiClient } from '../../../src/api/client';
import { InvalidNameError } from '../../../src/api/errors';
import {
  assertResourceClassName,
  describeNamespaceProblem,
  describeResourceClassNameProblem,
  describeShortNameProblem,
} from '../../../src/api/names';
import { DEMO_TOKEN, startSimulator, type Simulator } from '../../../simulator/index';
import { fuzzParameters } from './fuzzConfig';

const FULL = /^[a-z0-9-]+\/[a-z0-9-]+$/;
const PART = /^[a-z0-9-]+$/;

/** Characters near the edge of what is allowed, so valid names come up often too. */
const nameChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcxyz0189-') },
  { weight: 2, arbitrary: fc.constantFrom('/', 'A', 'Z', ' ', '_', '.', '%', '\n', '\t') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\u0000', '\u0085', '\u202e', '\u00e9', 'ı', 'K', '\u{1f600}'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const part = fc.array(nameChar, { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
const name = fc.oneof(
  fc.array(nameChar, { maxLength: 24 }).map((chars) => chars.join('')),
  // One slash between two near-valid parts: the shape most mistakes take.
  fc.tuple(part, part).map(([a, b]) => `${a}/${b}`),
  fc
    .tuple(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.stringMatching(/^[a-z0-9-]{1,12}$/))
    .map(([a, b]) => `${a}/${b}`),
);

function problemIsReadable(problem: string): void {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(problem, /[\u0000-\u001f\u007f-\u009f]/, 'control character in message');
  assert.ok(problem.length < 400, `message of ${problem.length} characters`);
}

describe('Name checks under generated names (fast-check)', () => {
  it('accepts a full name exactly when it matches ^[a-z0-9-]+/[a-z0-9-]+$', () => {
    fc.assert(
      fc.property(name, (candidate) => {
        const problem = describeResourceClassNameProblem(candidate);
        assert.equal(problem === undefined, FULL.test(candidate), JSON.stringify(problem));
        if (problem !== undefined) {
          problemIsReadable(problem);
          assert.throws(() => assertResourceClassName(candidate), InvalidNameError);
        } else {
          assert.doesNotThrow(() => assertResourceClassName(candidate));
        }
      }),
      fuzzParameters(3000),
    );
  });

  it('accepts a namespace or short name exactly when it matches ^[a-z0-9-]+$', () => {
    fc.assert(
      fc.property(name, (candidate) => {
        for (const describe of [describeNamespaceProblem, describeShortNameProblem]) {
          const problem = describe(candidate);
          assert.equal(problem === undefined, PART.test(candidate), JSON.stringify(problem));
          if (problem !== undefined) {
            problemIsReadable(problem);
          }
        }
      }),
      fuzzParameters(3000),
    );
  });

  describe('over HTTP', () => {
    let sim: Simulator;
    let client: RunnerApiClient;

    before(async () => {
      sim = await startSimulator({ data: 'empty' });
      client = new RunnerApiClient({ baseUrl: sim.url, token: DEMO_TOKEN, retry: { retries: 0 } });
    });

    after(() => sim.close());

    it('sends nothing for an invalid name, one encoded path segment for a valid one', async () => {
      await fc.assert(
        fc.asyncProperty(name, async (candidate) => {
          sim.clearRequests();
          const outcome = await client.getResourceClass(candidate).then(
            () => 'found',
            (error: unknown) => error,
          );
          if (!FULL.test(candidate)) {
            assert.ok(outcome instanceof InvalidNameError, `got ${String(outcome)}`);
            assert.equal(sim.requests.length, 0, 'a request was sent for an invalid name');
            return;
          }
          assert.equal(sim.requests.length, 1);
          assert.equal(
            sim.requests[0]?.rawPath,
            `/api/v3/runner/resource-class/${candidate.replace('/', '%2F')}`,
          );
        }),
        fuzzParameters(300),
      );
    });
  });
});
