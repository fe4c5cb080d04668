// Add Namespace and Remove Namespace edit the `circleciRunners.namespaces`
// setting; the view follows the setting.

import * as vscode from 'vscode';
import { describeNamespaceProblem } from '../api/names';
import { updateList } from '../config';
import type { TreeNode } from '../views/treeModel';
import type { Services } from './services';

export function registerNamespaceCommands(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('circleciRunners.addNamespace', () => addNamespace(services)),
    vscode.commands.registerCommand('circleciRunners.removeNamespace', (node?: TreeNode) =>
      removeNamespace(services, node),
    ),
  ];
}

async function addNamespace(services: Services): Promise<string | undefined> {
  const existing = services.settings().namespaces;
  const namespace = await services.prompts.showInputBox({
    title: 'CircleCI Runners: Add Namespace',
    prompt: 'The namespace is your organization’s name in CircleCI, as in namespace/name.',
    placeHolder: 'for example: acme',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (existing.includes(trimmed)) {
        return `${trimmed} is already shown.`;
      }
      return describeNamespaceProblem(trimmed);
    },
  });
  if (namespace === undefined) {
    return undefined;
  }

  const trimmed = namespace.trim();
  await updateList('namespaces', [...existing, trimmed]);
  services.log.info(`Added namespace ${trimmed}.`);
  return trimmed;
}

async function removeNamespace(services: Services, node?: TreeNode): Promise<void> {
  const namespaces = services.settings().namespaces;
  let namespace = node?.kind === 'namespace' ? node.namespace : undefined;
  if (namespace === undefined) {
    const picked = await services.prompts.showQuickPick(
      namespaces.map((label) => ({ label })),
      { title: 'CircleCI Runners: Remove Namespace', placeHolder: 'Choose a namespace to hide' },
    );
    namespace = picked?.label;
  }
  if (namespace === undefined) {
    return;
  }

  await updateList(
    'namespaces',
    namespaces.filter((name) => name !== namespace),
  );
  services.log.info(`Removed namespace ${namespace} from the view.`);
}
