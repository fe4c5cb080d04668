// Turning a failure into a message a person can act on, with the button that
// helps. Decisions are made on the error's type, never on its text.

import * as vscode from 'vscode';
import { isRunnerApiError } from '../api/errors';
import type { Services } from './services';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** Shows a failed command's error with the actions that fit it. */
export async function showCommandError(
  services: Services,
  what: string,
  error: unknown,
): Promise<void> {
  const message = `${what}: ${errorMessage(error)}`;
  services.log.error(message);

  const actions: string[] = [];
  if (isRunnerApiError(error)) {
    if (error.kind === 'unauthorized') {
      services.connections.markRejected(errorMessage(error));
      actions.push('Set API Token');
    }
    if (error.kind === 'invalidConfig') {
      actions.push('Open Settings');
    }
  }
  actions.push('Show Logs');

  const choice = await services.prompts.showErrorMessage(message, {}, ...actions);
  await runAction(choice);
}

export async function runAction(choice: string | undefined): Promise<void> {
  switch (choice) {
    case 'Set API Token':
      await vscode.commands.executeCommand('circleciRunners.setApiToken');
      return;
    case 'Open Settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'circleciRunners');
      return;
    case 'Show Logs':
      await vscode.commands.executeCommand('circleciRunners.showLogs');
      return;
    case 'Open Setting':
      await vscode.commands.executeCommand(
        'workbench.action.openSettings',
        'circleciRunners.api.resourceClassEndpoints',
      );
      return;
    default:
      return;
  }
}
