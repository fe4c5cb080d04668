// Runs the in-editor mocha suite (out/test/suite/index.js) inside code-server's
// extension host. code-server refuses --extensionDevelopmentPath on its
// command line, but the workbench takes the same options from its `payload`
// URL parameter and calls window.codeAutomationExit when the suite is done.
import * as fs from 'node:fs';
import { repoRoot, suiteEntry } from './paths.mjs';
import { startEditorSession } from './session.mjs';

/**
 * @param {object} options
 * @param {string} options.reportPath where the suite writes its JSON report
 * @param {number} [options.timeoutMs] how long the whole suite may take
 * @param {string} [options.logsDir] where code-server's logs are copied when the run fails
 * @returns {Promise<{ exitCode: number | null, report: object | undefined, problem?: string }>}
 */
export async function runEditorSuite(options) {
  if (!fs.existsSync(suiteEntry)) {
    throw new Error(`${suiteEntry} is missing; compile first with "tsc -p ."`);
  }
  fs.rmSync(options.reportPath, { force: true });
  const session = await startEditorSession({
    label: 'suite',
    installExtension: false,
    env: { CIRCLECI_RUNNERS_SUITE_REPORT: options.reportPath },
  });
  let exitCode = null;
  let problem;
  try {
    const { page, server } = session;
    const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suiteEntry)],
      ['skipWelcome', 'true'],
    ];
    const finished = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    await page.goto(server.workbenchUrl({ payload: JSON.stringify(payload) }));

    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      problem = `the suite did not finish within ${timeoutMs} ms`;
    } else {
      exitCode = result;
    }
  } finally {
    if (exitCode !== 0 && options.logsDir) {
      session.saveLogs(options.logsDir);
    }
    await session.close();
  }
  const report = readReport(options.reportPath);
  if (!report && !problem) {
    problem = `the suite wrote no report to ${options.reportPath}`;
  }
  return { exitCode, report, problem };
}

function readReport(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
