// Where things live. The editor tools are cached outside the clone so that a
// fresh checkout or `git clean` does not throw away a 300 MB install.
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const codeServerVersion = '4.100.3';

export const cacheDir =
  process.env.CIRCLECI_RUNNERS_CACHE ?? path.join(os.homedir(), '.cache', 'circleci-runners-dev');

export const codeServerBin = path.join(
  cacheDir,
  `code-server-${codeServerVersion}`,
  'node_modules',
  '.bin',
  'code-server',
);

export const chromiumPath = '/usr/bin/chromium';

export const extensionId = 'runnerdesk.circleci-runners';

export const suiteEntry = path.join(repoRoot, 'out', 'test', 'suite', 'index.js');

export const simulatorEntry = path.join(repoRoot, 'out', 'simulator', 'index.js');

export const resultsDir = path.join(repoRoot, 'test-results');
