// Create, delete, and copy the token of resource classes. A class's token is
// handed out once, so create saves it before anything else happens, and an
// answer lost on the way is checked with the server and reported as it is.

import * as vscode from 'vscode';
import {
  AbortedError,
  HttpError,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  TokenNotIssuedError,
} from '../api/errors';
import { describeShortNameProblem } from '../api/names';
import type { ResourceClassCreation } from '../api/types';
import type { Connection } from '../connection';
import type { ResourceClassEntry } from '../fleet/grouping';
import type { TreeNode } from '../views/treeModel';
import { errorMessage, runAction, showCommandError } from './errors';
import { pickNamespace, pickResourceClass } from './pickers';
import type { Services } from './services';

export function registerResourceClassCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('circleciRunners.createResourceClass', (node?: TreeNode) =>
      createResourceClass(services, node),
    ),
    vscode.commands.registerCommand('circleciRunners.deleteResourceClass', (node?: TreeNode) =>
      deleteResourceClass(services, node),
    ),
    vscode.commands.registerCommand('circleciRunners.copyResourceClassToken', (node?: TreeNode) =>
      copyResourceClassToken(services, node),
    ),
  ];
}

/** What a finished command did, for callers such as tests. */
export type Outcome =
  | 'created'
  | 'createdWithoutToken'
  | 'notCreated'
  | 'unknown'
  | 'deleted'
  | 'alreadyGone'
  | 'copied'
  | 'noToken'
  | 'cancelled'
  | 'failed'
  | 'unavailable';

async function requireConnection(services: Services): Promise<Connection | undefined> {
  const connection = services.connections.connection;
  if (connection !== undefined) {
    return connection;
  }

  const state = services.connections.state;
  const message =
    state.kind === 'invalidConfig'
      ? state.message
      : state.kind === 'rejected'
        ? 'The Runner API rejected the API token. Set a new one first.'
        : 'Set an API token first.';
  const action = state.kind === 'invalidConfig' ? 'Open Settings' : 'Set API Token';
  await runAction(await services.prompts.showErrorMessage(message, {}, action));
  return undefined;
}

function namespaceOfNode(node: TreeNode | undefined): string | undefined {
  if (node === undefined || node.kind === 'message') {
    return undefined;
  }
  return node.namespace;
}

function endpointsHint(services: Services): string {
  return services.settings().resourceClassEndpoints === 'spec'
    ? 'CircleCI cloud manages resource classes through the endpoints its command-line client ' +
        'uses: set circleciRunners.api.resourceClassEndpoints to "circleci-cli".'
    : 'Set circleciRunners.api.resourceClassEndpoints to "spec" if this server follows the ' +
        'Runner API specification.';
}

/** A namespace whose classes had to be derived from runners cannot be changed here. */
async function explainUnavailable(services: Services, what: string): Promise<Outcome> {
  const dialect = services.settings().resourceClassEndpoints;
  const paths = dialect === 'spec' ? '/runner/resource-class' : '/runner/resource';
  const choice = await services.prompts.showErrorMessage(
    `Cannot ${what}: this server does not offer resource classes at ${paths} ` +
      `(it answered 404 or 405). ${endpointsHint(services)}`,
    {},
    'Open Setting',
  );
  await runAction(choice);
  return 'unavailable';
}

function isMissingEndpoint(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof HttpError && error.status === 405);
}

export async function createResourceClass(services: Services, node?: TreeNode): Promise<Outcome> {
  const connection = await requireConnection(services);
  if (connection === undefined) {
    return 'failed';
  }

  const namespace =
    namespaceOfNode(node) ??
    (await pickNamespace(services, 'CircleCI Runners: Create Resource Class'));
  if (namespace === undefined) {
    return 'cancelled';
  }
  if (services.fleet.snapshot(namespace)?.classesFromRunners) {
    return explainUnavailable(services, 'create a resource class');
  }

  const existing = new Set(
    services.fleet.snapshot(namespace)?.classes.map((entry) => entry.shortName) ?? [],
  );
  const shortName = await services.prompts.showInputBox({
    title: `Create Resource Class in ${namespace} (1/2)`,
    prompt: `The name after "${namespace}/". Lowercase letters, digits and dashes.`,
    placeHolder: 'for example: linux-large',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const problem = describeShortNameProblem(value.trim());
      if (problem !== undefined) {
        return problem;
      }
      return existing.has(value.trim())
        ? `${namespace}/${value.trim()} already exists.`
        : undefined;
    },
  });
  if (shortName === undefined) {
    return 'cancelled';
  }

  const resourceClass = `${namespace}/${shortName.trim()}`;
  const description = await services.prompts.showInputBox({
    title: `Create Resource Class ${resourceClass} (2/2)`,
    prompt: 'A description, shown to people who pick this class for their jobs.',
    placeHolder: 'for example: Linux machines in the build lab, 16 cores',
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() === ''
        ? 'A description is required.'
        : value.length > 1000
          ? 'Keep the description under 1,000 characters.'
          : undefined,
  });
  if (description === undefined) {
    return 'cancelled';
  }

  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Creating resource class ${resourceClass}…`,
      cancellable: true,
    },
    async (_progress, cancellation) => {
      const controller = new AbortController();
      const subscription = cancellation.onCancellationRequested(() => controller.abort());
      try {
        return await create(services, connection, resourceClass, description.trim(), controller);
      } finally {
        subscription.dispose();
      }
    },
  );
}

async function create(
  services: Services,
  connection: Connection,
  resourceClass: string,
  description: string,
  controller: AbortController,
): Promise<Outcome> {
  let created: ResourceClassCreation;
  try {
    created = await connection.resourceClasses.create(
      { resourceClass, description },
      { signal: controller.signal },
    );
  } catch (error) {
    return createFailed(services, connection, resourceClass, error);
  }

  services.log.info(`Created resource class ${resourceClass}.`);
  const outcome = await keepAndShowToken(services, connection, resourceClass, created.token);
  void services.refresh(resourceClass.split('/')[0]);
  return outcome;
}

/** Saves the one-time token, then tells the user; if saving fails, the token is still offered. */
async function keepAndShowToken(
  services: Services,
  connection: Connection,
  resourceClass: string,
  token: string | undefined,
): Promise<Outcome> {
  if (token === undefined || token === '') {
    await services.prompts.showWarningMessage(
      `${resourceClass} was created, but the server sent no resource class token.`,
      {
        modal: true,
        detail:
          'CircleCI shows a class’s token only once. To get one, delete the class and ' +
          'create it again.',
      },
    );
    return 'createdWithoutToken';
  }

  let saved = true;
  try {
    await services.tokens.setResourceClassToken(connection.hostKey, resourceClass, token);
  } catch (error) {
    saved = false;
    services.log.error(`Could not save the token of ${resourceClass}: ${errorMessage(error)}`);
  }

  const detail = saved
    ? 'CircleCI will not show this token again. It is kept in the editor’s secret storage; ' +
      'copy it now or later with "Copy Resource Class Token" to configure your runners.'
    : 'CircleCI will not show this token again, and the editor could not save it. Copy it ' +
      'now and keep it somewhere safe: it cannot be shown later.';
  const choice = await services.prompts.showInformationMessage(
    `Resource class ${resourceClass} was created.`,
    { modal: true, detail },
    'Copy Token',
  );
  if (choice === 'Copy Token') {
    await services.writeClipboard(token);
    vscode.window.setStatusBarMessage(`Copied the token of ${resourceClass}.`, 4000);
  }
  return 'created';
}

/** The request may have reached the server; ask it whether the class exists now. */
function outcomeUnknown(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    error instanceof AbortedError ||
    (error instanceof ServerError && error.status !== 501)
  );
}

async function createFailed(
  services: Services,
  connection: Connection,
  resourceClass: string,
  error: unknown,
): Promise<Outcome> {
  if (error instanceof TokenNotIssuedError) {
    services.log.error(`${resourceClass}: ${error.message}`);
    void services.refresh(resourceClass.split('/')[0]);
    await services.prompts.showErrorMessage(
      `${resourceClass} was created, but no resource class token was made: ` +
        `${errorMessage(error.cause)} Create a token for it with CircleCI's command-line ` +
        'client, or delete the class and create it again.',
      {},
    );
    return 'createdWithoutToken';
  }
  if (isMissingEndpoint(error)) {
    return explainUnavailable(services, 'create a resource class');
  }
  if (!outcomeUnknown(error)) {
    await showCommandError(services, `Could not create ${resourceClass}`, error);
    return 'notCreated';
  }

  services.log.warn(
    `Creating ${resourceClass}: no answer (${errorMessage(error)}); asking whether it exists.`,
  );
  let exists: boolean | undefined;
  try {
    await connection.resourceClasses.get(resourceClass);
    exists = true;
  } catch (checkError) {
    exists = checkError instanceof NotFoundError ? false : undefined;
  }
  void services.refresh(resourceClass.split('/')[0]);

  if (exists === true) {
    await services.prompts.showWarningMessage(
      `${resourceClass} was created, but its token never reached the editor.`,
      {
        modal: true,
        detail:
          `The answer was lost (${errorMessage(error)}). CircleCI shows a class’s token only ` +
          'once, so no token is stored for it. To get one, delete the class and create it again.',
      },
    );
    return 'createdWithoutToken';
  }
  if (exists === false) {
    await services.prompts.showErrorMessage(
      `${resourceClass} was not created (${errorMessage(error)}). Nothing changed on the ` +
        'server; you can try again.',
      {},
    );
    return 'notCreated';
  }
  await services.prompts.showErrorMessage(
    `It is not known whether ${resourceClass} was created: ${errorMessage(error)} Refresh the ` +
      'view before trying again; if the class is there, its token was not received.',
    {},
    'Show Logs',
  );
  return 'unknown';
}

function classOfNode(services: Services, node?: TreeNode): ResourceClassEntry | undefined {
  if (node?.kind !== 'resourceClass') {
    return undefined;
  }
  return services.fleet.findClass(node.resourceClass);
}

export async function deleteResourceClass(services: Services, node?: TreeNode): Promise<Outcome> {
  const connection = await requireConnection(services);
  if (connection === undefined) {
    return 'failed';
  }

  const entry =
    classOfNode(services, node) ??
    (await pickResourceClass(services, 'CircleCI Runners: Delete Resource Class'));
  if (entry === undefined) {
    return 'cancelled';
  }
  const namespace = entry.name.split('/')[0] ?? '';
  if (services.fleet.snapshot(namespace)?.classesFromRunners) {
    return explainUnavailable(services, 'delete a resource class');
  }

  const count = entry.runners.length;
  const attached =
    count === 0
      ? 'No runner is attached to it.'
      : `${count} runner${count === 1 ? ' is' : 's are'} attached to it; ` +
        `${count === 1 ? 'it' : 'they'} will stop taking tasks.`;
  const choice = await services.prompts.showWarningMessage(
    `Delete the resource class ${entry.name}?`,
    {
      modal: true,
      detail: `${attached} Jobs that ask for this class will not run. This cannot be undone.`,
    },
    'Delete',
  );
  if (choice !== 'Delete') {
    return 'cancelled';
  }

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deleting ${entry.name}…` },
    async (): Promise<Outcome> => {
      try {
        await connection.resourceClasses.delete(entry.name);
        return 'deleted';
      } catch (error) {
        if (error instanceof NotFoundError && !entry.seenFromRunnersOnly) {
          return 'alreadyGone';
        }
        if (isMissingEndpoint(error)) {
          return 'unavailable';
        }
        await showCommandError(services, `Could not delete ${entry.name}`, error);
        return 'failed';
      }
    },
  );

  if (outcome === 'unavailable') {
    return explainUnavailable(services, 'delete a resource class');
  }
  if (outcome === 'deleted' || outcome === 'alreadyGone') {
    await services.tokens.deleteResourceClassToken(connection.hostKey, entry.name);
    services.log.info(
      outcome === 'deleted' ? `Deleted ${entry.name}.` : `${entry.name} was already gone.`,
    );
    if (outcome === 'alreadyGone') {
      await services.prompts.showInformationMessage(
        `${entry.name} was already deleted; its stored token, if any, was removed.`,
        {},
      );
    } else {
      vscode.window.setStatusBarMessage(`Deleted resource class ${entry.name}.`, 4000);
    }
    await services.refresh(namespace);
  }
  return outcome;
}

export async function copyResourceClassToken(
  services: Services,
  node?: TreeNode,
): Promise<Outcome> {
  const hostKey = services.connections.hostKey();
  if (hostKey === undefined) {
    await requireConnection(services);
    return 'failed';
  }

  let name = node?.kind === 'resourceClass' ? node.resourceClass : undefined;
  if (name === undefined) {
    const withToken = services.tokens.resourceClassesWithToken(hostKey);
    const picked = await pickResourceClass(
      services,
      'CircleCI Runners: Copy Resource Class Token',
      (entry) => withToken.size === 0 || withToken.has(entry.name),
    );
    name = picked?.name;
  }
  if (name === undefined) {
    return 'cancelled';
  }

  const token = await services.tokens.getResourceClassToken(hostKey, name);
  if (token === undefined) {
    await services.prompts.showInformationMessage(
      `No token is stored for ${name} in this editor.`,
      {
        modal: true,
        detail:
          'CircleCI shows a resource class token only once, when the class is created. Tokens ' +
          'of classes created elsewhere cannot be read back; make a new one with CircleCI’s ' +
          'command-line client, or delete the class and create it again here.',
      },
    );
    return 'noToken';
  }

  await services.writeClipboard(token);
  vscode.window.setStatusBarMessage(`Copied the token of ${name}.`, 4000);
  return 'copied';
}
