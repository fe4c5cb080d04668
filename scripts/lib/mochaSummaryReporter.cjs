// Mocha reporter: the usual spec output on the terminal, plus a JSON summary
// (counts and failed titles) written to the file given as
// `--reporter-option summary=FILE`, so the test runner can total groups
// without parsing text.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Spec = require('mocha/lib/reporters/spec');

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

module.exports = SummaryReporter;
