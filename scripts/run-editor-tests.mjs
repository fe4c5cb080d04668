// Runs the in-editor mocha suite in code-server and prints its results.
// Usage: node scripts/run-editor-tests.mjs [--report FILE]
// Expects a compiled tree (tsc -p . and node esbuild.mjs) and
// scripts/setup-editor.sh to have run; `npm run test:editor` does all three.
import * as path from 'node:path';
import { runEditorSuite } from './lib/editorSuite.mjs';
import { resultsDir } from './lib/paths.mjs';

const reportIndex = process.argv.indexOf('--report');
const reportPath =
  reportIndex > 0
    ? path.resolve(process.argv[reportIndex + 1])
    : path.join(resultsDir, 'suite.json');

const { exitCode, report, problem } = await runEditorSuite({
  reportPath,
  logsDir: path.join(resultsDir, 'logs', 'suite'),
});

for (const test of report?.passes ?? []) {
  console.log(`  ✔ ${test.fullTitle}`);
}
for (const test of report?.failures ?? []) {
  console.log(`  ✘ ${test.fullTitle}\n      ${String(test.error).split('\n').join('\n      ')}`);
}
if (problem) {
  console.log(`  ✘ ${problem}`);
}
const passed = report?.passes?.length ?? 0;
const failed = (report?.failures?.length ?? 0) + (problem ? 1 : 0);
console.log(`in-editor suite: ${passed} passed, ${failed} failed (exit code ${exitCode})`);
process.exitCode = failed === 0 && exitCode === 0 ? 0 : 1;
