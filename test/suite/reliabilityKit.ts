// Shared by the fault, token and hostile-data suites: what the extension
// shows (tree items, status bar), unhandled rejections, and settings these
// suites change beyond those helpers.ts resets.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/app';
import type { TreeNode } from '../../src/views/treeModel';

/** Collects unhandled promise rejections in the extension host while installed. */
export class RejectionWatch {
  readonly seen: unknown[] = [];
  private readonly listener = (reason: unknown): void => {
    this.seen.push(reason);
  };

  install(): void {
    process.on('unhandledRejection', this.listener);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.listener);
  }

  assertNone(): void {
    const described = this.seen.map((r) => (r instanceof Error ? r.stack : String(r)));
    this.seen.length = 0;
    assert.deepStrictEqual(described, [], 'unhandled promise rejections in the extension host');
  }
}

/** Settings these suites use that helpers.resetSettings does not reset. */
export async function setTimeoutSeconds(seconds: number | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('circleciRunners')
    .update('requestTimeoutSeconds', seconds, vscode.ConfigurationTarget.Global);
}

/** Every node the Runners view can show, depth first, with runners of every class. */
export function allNodes(api: ExtensionApi): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (nodes: TreeNode[], depth: number): void => {
    for (const node of nodes) {
      out.push(node);
      if (depth < 3) {
        walk(api.model.children(node), depth + 1);
      }
    }
  };
  walk(api.model.children(), 0);
  return out;
}

export interface ShownItem {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  tooltipTrusted: boolean | { readonly enabledCommands: readonly string[] } | undefined;
  tooltipHtml: boolean | undefined;
  accessibility: string;
}

/** What VS Code is given for a node: the real TreeItem, its tooltip as markdown source. */
export function shownItem(api: ExtensionApi, node: TreeNode): ShownItem {
  const item = api.treeItem(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = item.tooltip;
  return {
    id: item.id ?? '',
    label,
    description: typeof item.description === 'string' ? item.description : '',
    tooltip: tooltip instanceof vscode.MarkdownString ? tooltip.value : (tooltip ?? ''),
    tooltipTrusted: tooltip instanceof vscode.MarkdownString ? tooltip.isTrusted : undefined,
    tooltipHtml: tooltip instanceof vscode.MarkdownString ? tooltip.supportHtml : undefined,
    accessibility: item.accessibilityInformation?.label ?? '',
  };
}

/** Markdown source read as the words it renders: escapes and non-breaking spaces undone. */
export function readable(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

/** The status bar as shown: text, and tooltip as read (`tooltipSource`: as written). */
export function statusBar(api: ExtensionApi): {
  text: string;
  tooltip: string;
  tooltipSource: string;
} {
  const tooltip = api.statusBarTooltip();
  const source = tooltip instanceof vscode.MarkdownString ? tooltip.value : (tooltip ?? '');
  return { text: api.statusBarText(), tooltip: readable(source), tooltipSource: source };
}

/** Everything the view and status bar show now, as one text per item. */
export function everythingShown(api: ExtensionApi): string[] {
  const texts: string[] = [];
  for (const node of allNodes(api)) {
    const view = api.model.present(node);
    const item = shownItem(api, node);
    texts.push(
      [view.label, view.description ?? '', view.tooltip.title].join('\n'),
      view.tooltip.rows.map((row) => `${row.label}: ${row.value}`).join('\n'),
      view.tooltip.notes.join('\n'),
      [item.label, item.description, item.tooltip, readable(item.tooltip), item.accessibility].join(
        '\n',
      ),
    );
  }
  const bar = statusBar(api);
  texts.push(bar.text, bar.tooltip, bar.tooltipSource);
  return texts;
}
