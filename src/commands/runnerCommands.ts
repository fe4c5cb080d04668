// Copy Runner Hostname and Copy Runner IP: from a runner row, or a pick.

import * as vscode from 'vscode';
import type { Runner } from '../api/types';
import type { TreeNode } from '../views/treeModel';
import { pickRunner } from './pickers';
import type { Services } from './services';

export function registerRunnerCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('circleciRunners.copyRunnerHostname', (node?: TreeNode) =>
      copyField(services, node, 'hostname', (runner) => runner.hostname),
    ),
    vscode.commands.registerCommand('circleciRunners.copyRunnerIp', (node?: TreeNode) =>
      copyField(services, node, 'IP address', (runner) => runner.ip),
    ),
  ];
}

async function copyField(
  services: Services,
  node: TreeNode | undefined,
  what: string,
  field: (runner: Runner) => string | undefined,
): Promise<string | undefined> {
  const runner =
    node?.kind === 'runner'
      ? node.runner
      : await pickRunner(services, `CircleCI Runners: Copy Runner ${what}`, field);
  if (runner === undefined) {
    return undefined;
  }

  const value = field(runner);
  if (value === undefined || value === '') {
    await services.prompts.showInformationMessage(`The server did not report its ${what}.`, {});
    return undefined;
  }

  await services.writeClipboard(value);
  vscode.window.setStatusBarMessage(`Copied the runner's ${what}.`, 4000);
  return value;
}
