// Quick picks for commands run from the palette, where no tree node says
// what to act on.

import type * as vscode from 'vscode';
import type { Runner } from '../api/types';
import type { ResourceClassEntry } from '../fleet/grouping';
import { toDisplayText } from '../util/text';
import type { Services } from './services';

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

export async function pickNamespace(
  services: Services,
  title: string,
): Promise<string | undefined> {
  const namespaces = services.settings().namespaces;
  if (namespaces.length === 0) {
    await services.prompts.showInformationMessage(
      'No namespace is configured yet. Add one first.',
      {},
    );
    return undefined;
  }
  if (namespaces.length === 1) {
    return namespaces[0];
  }

  const items: Item<string>[] = namespaces.map((namespace) => ({
    label: namespace,
    value: namespace,
  }));
  const picked = await services.prompts.showQuickPick(items, {
    title,
    placeHolder: 'Choose a namespace',
  });
  return picked?.value;
}

export async function pickResourceClass(
  services: Services,
  title: string,
  filter: (entry: ResourceClassEntry) => boolean = () => true,
): Promise<ResourceClassEntry | undefined> {
  await services.fleet.ensureLoaded();
  const classes = services.fleet.allClasses().filter(filter);
  if (classes.length === 0) {
    await services.prompts.showInformationMessage('There is no resource class to choose.', {});
    return undefined;
  }

  const hostKey = services.connections.hostKey();
  const withToken =
    hostKey === undefined ? new Set<string>() : services.tokens.resourceClassesWithToken(hostKey);
  const items: Item<ResourceClassEntry>[] = classes.map((entry) => ({
    label: toDisplayText(entry.name, 200),
    description: `${entry.runners.length} runner${entry.runners.length === 1 ? '' : 's'}`,
    detail: [toDisplayText(entry.description, 120), withToken.has(entry.name) ? 'token stored' : '']
      .filter(Boolean)
      .join(' · '),
    value: entry,
  }));
  const picked = await services.prompts.showQuickPick(items, {
    title,
    placeHolder: 'Choose a resource class',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.value;
}

export async function pickRunner(
  services: Services,
  title: string,
  has: (runner: Runner) => string | undefined,
): Promise<Runner | undefined> {
  await services.fleet.ensureLoaded();
  const items: Item<Runner>[] = [];
  for (const entry of services.fleet.allClasses()) {
    for (const runner of entry.runners) {
      if (has(runner) === undefined) {
        continue;
      }
      items.push({
        label: toDisplayText(runner.name ?? runner.hostname, 100) || '(unnamed runner)',
        description: toDisplayText(has(runner), 100),
        detail: toDisplayText(entry.name, 200),
        value: runner,
      });
    }
  }
  if (items.length === 0) {
    await services.prompts.showInformationMessage('There is no runner to choose.', {});
    return undefined;
  }

  const picked = await services.prompts.showQuickPick(items, {
    title,
    placeHolder: 'Choose a runner',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.value;
}
