// Entry point of the in-editor suite, called inside a real VS Code extension
// host, by @vscode/test-electron on desktop or by code-server through the
// workbench's `payload` URL parameter. Mocha's console output only reaches the
// extension host's log there, so the results are also written as JSON to the
// file named by CIRCLECI_RUNNERS_SUITE_REPORT.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export const reportVariable = 'CIRCLECI_RUNNERS_SUITE_REPORT';

interface TestResult {
  title: string;
  fullTitle: string;
  durationMs: number;
}

interface FailedTest extends TestResult {
  error: string;
  stack: string;
}

export interface SuiteReport {
  passes: TestResult[];
  failures: FailedTest[];
  pending: TestResult[];
  durationMs: number;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  for (const file of findTestFiles(__dirname)) {
    mocha.addFile(file);
  }

  const report: SuiteReport = { passes: [], failures: [], pending: [], durationMs: 0 };
  const started = Date.now();
  const result = (test: Mocha.Test): TestResult => ({
    title: test.title,
    fullTitle: test.fullTitle(),
    durationMs: test.duration ?? 0,
  });

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      report.durationMs = Date.now() - started;
      writeReport(report);
      if (failures > 0) {
        reject(new Error(`${failures} in-editor tests failed`));
      } else {
        resolve();
      }
    });
    runner.on('pass', (test) => report.passes.push(result(test)));
    runner.on('pending', (test) => report.pending.push(result(test)));
    // 'fail' also fires for hooks, which is what we want: a failing
    // before() must show up even though no test ran.
    runner.on('fail', (test, error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      report.failures.push({
        ...result(test),
        error: failure.message,
        stack: failure.stack ?? '',
      });
    });
  });
}

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function writeReport(report: SuiteReport): void {
  const file = process.env[reportVariable];
  if (!file) {
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
