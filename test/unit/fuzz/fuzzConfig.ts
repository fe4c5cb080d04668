// One fixed seed for every property, so a run is repeatable. FUZZ_SEED (and
// FUZZ_PATH, from a failure report) replay one case; FUZZ_RUNS runs more.
import * as fc from 'fast-check';

const seedText = process.env.FUZZ_SEED;
const runsText = process.env.FUZZ_RUNS;

export const fuzzSeed = seedText === undefined ? 20_251_203 : Number(seedText);

export function fuzzParameters<Ts>(numRuns: number): fc.Parameters<Ts> {
  const parameters: fc.Parameters<Ts> = {
    seed: fuzzSeed,
    numRuns: runsText === undefined ? numRuns : Number(runsText),
    // The default report already names the seed and path; verbose adds the
    // shrunk counterexample's history, which mocha then prints with the failure.
    verbose: fc.VerbosityLevel.Verbose,
  };
  if (process.env.FUZZ_PATH !== undefined) {
    parameters.path = process.env.FUZZ_PATH;
  }
  return parameters;
}

/** Text a hostile or broken server might send: markup, controls, bidi marks, long runs. */
export const awkwardText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '[x](command:workbench.action.quit)',
    '<img src=x onerror=alert(1)>',
    '\u202eevil\u202c',
    '\u0000\u0007\u001b[31m',
    '**bold** `code` # head',
    'a'.repeat(10_000),
  ),
);

/** Any JSON value, biased towards the numbers and strings counts and dates are made of. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.integer(),
  fc.double(),
  awkwardText,
  fc.constant(null),
);
