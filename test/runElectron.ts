// Runs the in-editor suite (test/suite) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. Machines that
// cannot use scripts/run-editor-tests.mjs, which runs the same suite in
// code-server. `npm run test:electron` builds first.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { startSimulator } from '../simulator/index';

// The version code-server 4.100.3 bundles, so both runs test the same editor.
const vscodeVersion = process.env.CIRCLECI_RUNNERS_VSCODE_VERSION ?? '1.100.3';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const reportPath = path.join(repoRoot, 'test-results', 'suite-electron.json');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'circleci-runners-electron-'));
  const userDataDir = path.join(scratch, 'user-data');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(workspace);

  const simulator = await startSimulator();
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'circleciRunners.apiUrl': simulator.url,
    'circleciRunners.namespaces': simulator.state.namespaces(),
  };
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify(settings, null, 2)}\n`,
  );
  // The suite stores its own tokens; a fallback token from the shell would hide that.
  delete process.env.CIRCLECI_TOKEN;

  try {
    await runTests({
      version: vscodeVersion,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
      extensionTestsEnv: {
        CIRCLECI_RUNNERS_SUITE_REPORT: reportPath,
        CIRCLECI_RUNNERS_SIM_URL: simulator.url,
      },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        path.join(scratch, 'extensions'),
        '--disable-extensions',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-workspace-trust',
      ],
    });
    console.log(`in-editor suite passed; report: ${reportPath}`);
  } finally {
    await simulator.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
