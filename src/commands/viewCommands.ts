// Refresh, Retry, Show Logs, Show Queue, and muting the stuck-queue alert.

import * as vscode from 'vscode';
import { thresholdsOf, updateList } from '../config';
import { deriveRunnerStatus } from '../fleet/runnerStatus';
import type { TreeNode } from '../views/treeModel';
import type { Services } from './services';

export function registerViewCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('circleciRunners.refresh', async () => {
      services.connections.retryRejected();
      await services.refresh();
    }),
    vscode.commands.registerCommand('circleciRunners.refreshNamespace', (node?: TreeNode) =>
      services.refresh(node?.kind === 'namespace' ? node.namespace : undefined),
    ),
    vscode.commands.registerCommand('circleciRunners.retry', (node?: TreeNode) =>
      services.refresh(node?.kind === 'message' ? node.retryNamespace : undefined),
    ),
    vscode.commands.registerCommand('circleciRunners.showLogs', () => services.log.show(true)),
    vscode.commands.registerCommand('circleciRunners.showQueue', () => showQueue(services)),
    vscode.commands.registerCommand(
      'circleciRunners.muteStuckQueueAlert',
      async (resourceClass?: string) => {
        if (typeof resourceClass !== 'string') {
          return;
        }
        const muted = services.settings().mutedResourceClasses;
        if (!muted.includes(resourceClass)) {
          await updateList('alerts.mutedResourceClasses', [...muted, resourceClass]);
        }
      },
    ),
  ];
}

interface ClassItem extends vscode.QuickPickItem {
  resourceClass: string;
}

async function showQueue(services: Services): Promise<void> {
  const queue = services.queue.sorted();
  if (queue.length === 0) {
    await services.prompts.showInformationMessage(
      'No resource class is being watched yet. Add a namespace and set an API token.',
      {},
    );
    return;
  }

  const items: ClassItem[] = queue.map((entry) => {
    const fleet = services.fleet.findClass(entry.resourceClass);
    const thresholds = thresholdsOf(services.settings());
    const online = fleet?.runners.filter(
      (r) => deriveRunnerStatus(r.lastConnected, Date.now(), thresholds) === 'online',
    ).length;
    const counts =
      entry.unclaimed === undefined
        ? 'counts unknown'
        : `${entry.unclaimed} queued · ${entry.running ?? '?'} running`;
    return {
      label: entry.resourceClass,
      description: counts + (entry.stale ? ' (stale)' : ''),
      detail: online === undefined ? undefined : `${online} of ${fleet?.runners.length} online`,
      resourceClass: entry.resourceClass,
    };
  });

  const picked = await services.prompts.showQuickPick(items, {
    title: 'CircleCI Runners: Queue',
    placeHolder: 'Resource classes by queued tasks; choose one to show it in the Runners view',
    matchOnDescription: true,
  });
  if (picked !== undefined) {
    await services.reveal(picked.resourceClass);
  }
}
