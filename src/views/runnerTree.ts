// The Runners view: turns the tree model's plain nodes into TreeItems and
// tells VS Code which nodes changed when the stores say so.

import * as vscode from 'vscode';
import type { FleetChange } from '../fleet/fleetStore';
import type { Presentation, TreeModel, TreeNode } from './treeModel';
import { runnerStatusUri } from './decorations';

const collapsibleStates = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export class RunnerTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: TreeModel,
    /** While signed out or unconfigured the view is empty, so its welcome content shows. */
    private readonly rootsVisible: () => boolean,
  ) {}

  getChildren(node?: TreeNode): TreeNode[] {
    if (node === undefined && !this.rootsVisible()) {
      return [];
    }
    return this.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parent(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node, this.model.presentRow(node));
  }

  /** Runner tooltips are built when a row is hovered, not when the class expands. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (item.tooltip === undefined) {
      item.tooltip = tooltipOf(this.model.present(node));
    }
    return item;
  }

  /** The item as someone hovering it sees it, tooltip included. */
  resolvedTreeItem(node: TreeNode): vscode.TreeItem {
    return this.resolveTreeItem(this.getTreeItem(node), node);
  }

  /** Fires the namespace that changed, or the whole tree when the set of namespaces did. */
  fleetChanged(change: FleetChange): void {
    if (change.namespace === undefined) {
      this.changed.fire(undefined);
      return;
    }
    this.changed.fire(this.model.namespaceNode(change.namespace));
  }

  /** Queue counts moved: only these class nodes (and their namespaces) redraw. */
  classesChanged(resourceClasses: Iterable<string>): void {
    const namespaces = new Set<string>();
    for (const name of resourceClasses) {
      this.changed.fire(this.model.classNode(name));
      namespaces.add(name.split('/')[0] ?? '');
    }
    for (const namespace of namespaces) {
      this.changed.fire(this.model.namespaceNode(namespace));
    }
  }

  /** Redraws labels that depend on the clock ("seen 4 min ago"), without fetching. */
  tick(namespaces: Iterable<string>, expandedClasses: Iterable<string>): void {
    for (const name of expandedClasses) {
      this.changed.fire(this.model.classNode(name));
    }
    for (const namespace of namespaces) {
      this.changed.fire(this.model.namespaceNode(namespace));
    }
  }

  refreshAll(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function toTreeItem(node: TreeNode, view: Presentation): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, collapsibleStates[view.collapsible]);
  item.id = node.id;
  item.description = view.description;
  item.contextValue = view.contextValue;
  if (!view.tooltipDeferred) {
    item.tooltip = tooltipOf(view);
  }
  if (view.icon !== undefined) {
    item.iconPath =
      view.icon.color === undefined
        ? new vscode.ThemeIcon(view.icon.id)
        : new vscode.ThemeIcon(view.icon.id, new vscode.ThemeColor(view.icon.color));
  }
  if (view.status !== undefined) {
    item.resourceUri = runnerStatusUri(view.status, node.id);
  }
  if (node.kind === 'message' && node.retryNamespace !== undefined) {
    item.command = {
      command: 'circleciRunners.retry',
      title: 'Retry',
      arguments: [node],
    };
  }
  item.accessibilityInformation = {
    label: [view.label, view.description].filter(Boolean).join(', '),
  };
  return item;
}

/** Server text goes in through appendText, which escapes it: never a link, never HTML. */
function tooltipOf(view: Presentation): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  tooltip.supportThemeIcons = false;

  tooltip.appendMarkdown('**');
  tooltip.appendText(view.tooltip.title);
  tooltip.appendMarkdown('**\n\n');
  for (const row of view.tooltip.rows) {
    tooltip.appendMarkdown(`${row.label}: `);
    tooltip.appendText(row.value);
    tooltip.appendMarkdown('  \n');
  }
  for (const note of view.tooltip.notes) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(note);
  }
  return tooltip;
}
