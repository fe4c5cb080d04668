// Set API Token and Clear API Token. A token is tried against the server
// before it is saved; the server's answer decides, not a guess.

import * as vscode from 'vscode';
import { UnauthorizedError, isRunnerApiError } from '../api/errors';
import { errorMessage, runAction } from './errors';
import type { Services } from './services';

export function registerTokenCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('circleciRunners.setApiToken', () => setApiToken(services)),
    vscode.commands.registerCommand('circleciRunners.clearApiToken', () => clearApiToken(services)),
  ];
}

type ProbeResult =
  { kind: 'accepted' } | { kind: 'rejected' } | { kind: 'unreachable'; why: string };

async function setApiToken(services: Services): Promise<boolean> {
  const baseUrl = services.connections.baseUrl();
  const hostKey = services.connections.hostKey();
  if (baseUrl === undefined || hostKey === undefined) {
    const state = services.connections.state;
    const why = state.kind === 'invalidConfig' ? state.message : 'The API URL is not valid.';
    await runAction(await services.prompts.showErrorMessage(why, {}, 'Open Settings'));
    return false;
  }

  const host = new URL(baseUrl).host;
  const token = await services.prompts.showInputBox({
    title: 'CircleCI Runners: Set API Token',
    prompt: `Personal API token for ${host}. It is kept in the editor's secret storage.`,
    placeHolder: 'Paste a personal API token from CircleCI user settings',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() === ''
        ? 'Enter the token.'
        : /\s/.test(value.trim())
          ? 'A token has no spaces in it.'
          : /^[\x21-\x7e]+$/.test(value.trim())
            ? undefined
            : 'A token holds only letters, digits and punctuation.',
  });
  if (token === undefined) {
    return false;
  }

  const trimmed = token.trim();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the token with ${host}…` },
    () => probe(services, baseUrl, trimmed),
  );

  if (result.kind === 'rejected') {
    services.log.warn(`Set API Token: ${host} rejected the token; it was not saved.`);
    await services.prompts.showErrorMessage(
      `${host} rejected this token (401 Unauthorized), so it was not saved. ` +
        'Check that it is a personal API token and that it has not been revoked.',
      {},
    );
    return false;
  }

  if (result.kind === 'unreachable') {
    const choice = await services.prompts.showWarningMessage(
      `Could not check the token: ${result.why} Save it anyway?`,
      { modal: true },
      'Save Anyway',
    );
    if (choice !== 'Save Anyway') {
      return false;
    }
  }

  await services.tokens.setApiToken(hostKey, trimmed);
  services.log.info(`Saved an API token for ${host}.`);
  // The token store's change event reconnects; asking here as well makes
  // the view current before this command's promise settles.
  await services.connections.update(services.settings());
  return true;
}

/**
 * One real request with the candidate token. Any answer other than 401 means
 * the server accepted the token (403 or 404 only say the namespace is not
 * visible to it, which Add Namespace will show).
 */
async function probe(services: Services, baseUrl: string, token: string): Promise<ProbeResult> {
  const settings = services.settings();
  const namespace = settings.namespaces[0] ?? 'circleci';
  try {
    await services.probe(baseUrl, token, settings).listRunners({ namespace });
    return { kind: 'accepted' };
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      return { kind: 'rejected' };
    }
    if (isRunnerApiError(error)) {
      if (['forbidden', 'notFound', 'badRequest'].includes(error.kind)) {
        return { kind: 'accepted' };
      }
    }
    return { kind: 'unreachable', why: errorMessage(error) };
  }
}

async function clearApiToken(services: Services): Promise<void> {
  const hostKey = services.connections.hostKey();
  if (hostKey === undefined || !(await services.tokens.hasStoredApiToken(hostKey))) {
    await services.prompts.showInformationMessage(
      'No API token is stored for the configured API URL.',
      {},
    );
    return;
  }

  const host = new URL(hostKey).host;
  const choice = await services.prompts.showWarningMessage(
    `Remove the API token stored for ${host}?`,
    {
      modal: true,
      detail:
        'The Runners view and the status bar stop updating until a token is set again. ' +
        'Resource class tokens stay stored.',
    },
    'Clear Token',
  );
  if (choice !== 'Clear Token') {
    return;
  }

  await services.tokens.clearApiToken(hostKey);
  await services.connections.update(services.settings());
  services.log.info(`Cleared the API token for ${host}.`);

  const fallback = await services.tokens.getApiToken(hostKey);
  if (fallback !== undefined) {
    await services.prompts.showInformationMessage(
      `The stored token was removed. The ${fallback.source} environment variable still ` +
        'provides one, and it is used until it is unset.',
      {},
    );
  }
}
