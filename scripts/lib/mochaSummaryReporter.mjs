// Mocha reporter: the usual spec output on the terminal, plus a JSON summary
// (counts and failed titles) written to the file given as
// `--reporter-option summary=FILE`, so the test runner can total groups
// without parsing text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Spec from 'mocha/lib/reporters/spec.js';

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = options?.reporterOption?.summary;
    const failures = [];
    // 'fail' fires for failing hooks too, so a broken before() is counted.
    runner.on('fail', (test, error) => {
      failures.push({ fullTitle: test.fullTitle(), error: String(error?.message ?? error) });
    });
    runner.once('end', () => {
      if (!file) {
        return;
      }
      const summary = {
        passed: this.stats.passes,
        failed: failures.length,
        pending: this.stats.pending,
        failures,
      };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    });
  }
}

// Mocha loads reporters with require(); this export name makes require() of
// this ES module return the class itself (Node 20.19 and later).
export { SummaryReporter as 'module.exports' };
