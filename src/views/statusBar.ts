// The queue in the status bar: queued and running tasks summed over the
// watched resource classes. It redraws when the queue store says a figure
// changed, never on a timer of its own.

import * as vscode from 'vscode';
import type { ClassQueue, QueueStore } from '../queue/queueStore';
import { toDisplayText } from '../util/text';

export interface StatusBarInputs {
  queue: QueueStore;
  /** Online runners of a class, from the fleet data, or undefined when not loaded. */
  onlineRunners(resourceClass: string): number | undefined;
  /** A class has queued tasks and nobody to take them. */
  stuckClasses(): readonly string[];
  /** Why no resource class could be loaded at all, when that is so. */
  fleetProblem(): string | undefined;
}

export class QueueStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private enabled = true;
  private lastText = '';

  constructor(private readonly inputs: StatusBarInputs) {
    this.item = vscode.window.createStatusBarItem('queue', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'CircleCI Runners Queue';
    this.item.command = 'circleciRunners.showQueue';
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.render();
  }

  render(): void {
    const state = this.inputs.queue.state;
    const problem = state.kind === 'idle' ? this.inputs.fleetProblem() : undefined;
    if (this.enabled && problem !== undefined) {
      this.showFleetProblem(problem);
      return;
    }
    if (!this.enabled || state.kind === 'idle') {
      this.item.hide();
      this.lastText = '';
      return;
    }

    const totals = this.inputs.queue.totals;
    const figures = `${totals.unclaimed} queued · ${totals.running} running`;
    const stuck = this.inputs.stuckClasses();
    let text: string;
    let background: vscode.ThemeColor | undefined;
    switch (state.kind) {
      case 'firstPoll':
        text = '$(sync~spin) Runners queue…';
        break;
      case 'signedOut':
        text = '$(warning) Runners: token rejected';
        background = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'failing':
        text = `$(warning) Runners: ${state.reason}`;
        break;
      default:
        // A poll that failed for some classes only (a 404, a malformed answer) leaves the
        // state ok; their figures are old and must not read as current.
        text =
          this.staleClasses().length === 0
            ? `$(server-process) ${figures}`
            : `$(warning) ${figures} (stale)`;
    }
    if (stuck.length > 0 && state.kind !== 'signedOut') {
      background = new vscode.ThemeColor('statusBarItem.warningBackground');
    }

    this.item.text = text;
    this.item.backgroundColor = background;
    this.item.command =
      state.kind === 'signedOut' ? 'circleciRunners.setApiToken' : 'circleciRunners.showQueue';
    this.item.tooltip = this.tooltip(figures, stuck);
    this.item.accessibilityInformation = {
      label:
        state.kind === 'ok' && this.staleClasses().length === 0
          ? `CircleCI runners: ${figures}`
          : text.replace(/\$\([^)]*\)/g, ''),
    };
    this.item.show();
    this.lastText = text;
  }

  private staleClasses(): ClassQueue[] {
    return this.inputs.queue.classes().filter((entry) => entry.stale);
  }

  /** The tooltip of the item as last drawn; for tests. */
  get currentTooltip(): vscode.MarkdownString | string | undefined {
    return this.item.tooltip;
  }

  /** Nothing to poll because nothing loaded: say so rather than vanish. */
  private showFleetProblem(problem: string): void {
    const text = '$(warning) Runners: could not load';
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown('**No resource class could be loaded.**\n\n');
    tooltip.appendText(toDisplayText(problem, 300));
    tooltip.appendMarkdown('\n\nClick to open the Runners view, which offers Retry.');

    this.item.text = text;
    this.item.backgroundColor = undefined;
    this.item.command = 'workbench.view.extension.circleciRunners';
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: 'CircleCI runners: could not load' };
    this.item.show();
    this.lastText = text;
  }

  /** The text shown now, without icons; for tests and logs. */
  get text(): string {
    return this.lastText;
  }

  private tooltip(figures: string, stuck: readonly string[]): vscode.MarkdownString {
    const queue = this.inputs.queue;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;

    tooltip.appendMarkdown(`**CircleCI runners:** ${figures}\n\n`);
    const state = queue.state;
    if (state.kind === 'failing') {
      tooltip.appendText(
        `Polling fails: ${state.reason}. Next try at ${clockTime(state.nextRetryAt)}. ` +
          'The figures are the last known.',
      );
      tooltip.appendMarkdown('\n\n');
    }
    const stale = this.staleClasses();
    if (state.kind === 'ok' && stale.length > 0) {
      const count = stale.length === 1 ? '1 resource class' : `${stale.length} resource classes`;
      tooltip.appendText(
        `The last poll failed for ${count}: ${stale[0]?.error?.message ?? 'no answer'} ` +
          'Figures marked stale are the last known.',
      );
      tooltip.appendMarkdown('\n\n');
    }
    if (state.kind === 'signedOut') {
      tooltip.appendMarkdown('The Runner API rejected the API token. Click to set a new one.\n\n');
    }
    if (stuck.length > 0) {
      tooltip.appendMarkdown('$(warning) Queued tasks and no online runner: ');
      tooltip.appendText(stuck.map((name) => toDisplayText(name, 120)).join(', '));
      tooltip.appendMarkdown('\n\n');
    }

    const rows = queue.sorted();
    if (rows.length > 0) {
      tooltip.appendMarkdown('| Resource class | Queued | Running | Online |\n|:--|--:|--:|--:|\n');
      for (const row of rows.slice(0, 25)) {
        const online = this.inputs.onlineRunners(row.resourceClass);
        tooltip.appendMarkdown(
          `| ${tableText(row.resourceClass)}${row.stale ? ' (stale)' : ''} | ` +
            `${row.unclaimed ?? '?'} | ${row.running ?? '?'} | ${online ?? '?'} |\n`,
        );
      }
      if (rows.length > 25) {
        tooltip.appendMarkdown(`\n${rows.length - 25} more: click to see all.\n`);
      }
    }
    if (queue.lastUpdatedAt !== undefined) {
      tooltip.appendMarkdown(`\nUpdated at ${clockTime(queue.lastUpdatedAt)}.`);
    }
    return tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Names in a table cell: markdown and the cell separator escaped. */
function tableText(value: string): string {
  return toDisplayText(value, 120).replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`);
}

function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString();
}
