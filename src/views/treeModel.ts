// What the Runners view shows, as plain data: which nodes exist under which,
// and how each reads (label, description, tooltip rows, icon, flags). The
// vscode-facing provider only turns this into TreeItems, so all of it is
// testable without VS Code.

import type { Runner } from '../api/types';
import type { FleetStore, NamespaceSnapshot } from '../fleet/fleetStore';
import type { ResourceClassEntry } from '../fleet/grouping';
import {
  deriveRunnerStatus,
  formatAgo,
  statusLabel,
  type RunnerStatus,
  type StatusThresholds,
} from '../fleet/runnerStatus';
import { plural, toDisplayText } from '../util/text';

export interface NamespaceNode {
  readonly kind: 'namespace';
  readonly id: string;
  readonly namespace: string;
}

export interface ResourceClassNode {
  readonly kind: 'resourceClass';
  readonly id: string;
  readonly namespace: string;
  readonly resourceClass: string;
}

export interface RunnerNode {
  readonly kind: 'runner';
  readonly id: string;
  readonly namespace: string;
  readonly resourceClass: string;
  readonly runner: Runner;
}

export type MessageTone = 'info' | 'loading' | 'warning' | 'error';

export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly tone: MessageTone;
  readonly text: string;
  readonly detail?: string;
  /** A failed namespace load: the node offers Retry. */
  readonly retryNamespace?: string;
}

export type TreeNode = NamespaceNode | ResourceClassNode | RunnerNode | MessageNode;

export interface QueueCounts {
  unclaimed?: number;
  running?: number;
  stale?: boolean;
}

export interface ModelDependencies {
  fleet: Pick<FleetStore, 'namespaces' | 'snapshot' | 'findClass'>;
  now: () => number;
  thresholds: () => StatusThresholds;
  hasStoredToken: (resourceClass: string) => boolean;
  queueCounts?: (resourceClass: string) => QueueCounts | undefined;
}

export interface TooltipRow {
  label: string;
  value: string;
}

export interface Presentation {
  label: string;
  description?: string;
  tooltip: { title: string; rows: TooltipRow[]; notes: string[] };
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** The tooltip was left out; ask `present()` for it when it is needed. */
  tooltipDeferred?: boolean;
  /** For runners: the status the badge decoration shows. */
  status?: RunnerStatus;
}

export const statusIcons: Record<RunnerStatus, { id: string; color: string }> = {
  online: { id: 'circle-filled', color: 'testing.iconPassed' },
  idle: { id: 'circle-filled', color: 'list.warningForeground' },
  offline: { id: 'circle-outline', color: 'disabledForeground' },
  unknown: { id: 'question', color: 'disabledForeground' },
};

export class TreeModel {
  // Node objects are kept so the view can be told "this node changed" with
  // the very object it was given.
  private readonly namespaceNodes = new Map<string, NamespaceNode>();
  private readonly classNodes = new Map<string, ResourceClassNode>();

  constructor(private readonly deps: ModelDependencies) {}

  roots(): NamespaceNode[] {
    return this.deps.fleet.namespaces().map((namespace) => this.namespaceNode(namespace));
  }

  namespaceNode(namespace: string): NamespaceNode {
    let node = this.namespaceNodes.get(namespace);
    if (node === undefined) {
      node = { kind: 'namespace', id: `namespace:${namespace}`, namespace };
      this.namespaceNodes.set(namespace, node);
    }
    return node;
  }

  classNode(resourceClass: string): ResourceClassNode {
    let node = this.classNodes.get(resourceClass);
    if (node === undefined) {
      const namespace = resourceClass.split('/')[0] ?? '';
      node = { kind: 'resourceClass', id: `class:${resourceClass}`, namespace, resourceClass };
      this.classNodes.set(resourceClass, node);
    }
    return node;
  }

  /** Class nodes already handed out, for firing changes without creating new ones. */
  knownClassNodes(namespace?: string): ResourceClassNode[] {
    return [...this.classNodes.values()].filter(
      (node) => namespace === undefined || node.namespace === namespace,
    );
  }

  parent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'namespace':
      case 'message':
        return undefined;
      case 'resourceClass':
        return this.namespaceNode(node.namespace);
      case 'runner':
        return this.classNode(node.resourceClass);
    }
  }

  children(node?: TreeNode): TreeNode[] {
    if (node === undefined) {
      return this.roots();
    }
    switch (node.kind) {
      case 'namespace':
        return this.namespaceChildren(node.namespace);
      case 'resourceClass':
        return this.classChildren(node);
      default:
        return [];
    }
  }

  present(node: TreeNode): Presentation {
    switch (node.kind) {
      case 'namespace':
        return this.presentNamespace(node);
      case 'resourceClass':
        return this.presentClass(node);
      case 'runner':
        return this.presentRunner(node, true);
      case 'message':
        return presentMessage(node);
    }
  }

  /**
   * What a row needs to be drawn. A runner's tooltip is left out (its rows
   * are empty and `tooltipDeferred` is set): a class can hold thousands of
   * runners, and a tooltip is only read when someone hovers one.
   */
  presentRow(node: TreeNode): Presentation {
    return node.kind === 'runner' ? this.presentRunner(node, false) : this.present(node);
  }

  private namespaceChildren(namespace: string): TreeNode[] {
    const snapshot = this.deps.fleet.snapshot(namespace);
    if (snapshot === undefined) {
      return [];
    }

    const nodes: TreeNode[] = [];
    if (snapshot.state === 'error' && snapshot.error !== undefined) {
      nodes.push({
        kind: 'message',
        id: `message:${namespace}:error`,
        tone: 'error',
        text: toDisplayText(snapshot.error.message, 300),
        detail: snapshot.stale ? 'The classes below are from the last successful load.' : '',
        retryNamespace: namespace,
      });
    }
    if ((snapshot.state === 'idle' || snapshot.state === 'loading') && !snapshot.fetchedAt) {
      nodes.push({
        kind: 'message',
        id: `message:${namespace}:loading`,
        tone: 'loading',
        text: 'Loading resource classes and runners…',
      });
    }

    nodes.push(...snapshot.classes.map((entry) => this.classNode(entry.name)));

    if (snapshot.state === 'loaded' && snapshot.classes.length === 0) {
      nodes.push({
        kind: 'message',
        id: `message:${namespace}:empty`,
        tone: 'info',
        text: snapshot.classesFromRunners
          ? 'No runners have connected in this namespace, so no classes can be shown.'
          : 'This namespace has no resource classes yet.',
      });
    }
    return nodes;
  }

  private classChildren(node: ResourceClassNode): TreeNode[] {
    const entry = this.deps.fleet.findClass(node.resourceClass);
    if (entry === undefined) {
      return [];
    }
    if (entry.runners.length === 0) {
      return [
        {
          kind: 'message',
          id: `message:${node.resourceClass}:noRunners`,
          tone: 'info',
          text: 'No runners have connected to this class.',
        },
      ];
    }

    const used = new Map<string, number>();
    return entry.runners.map((runner) => {
      const base = `runner:${node.resourceClass}:${runner.name ?? ''}:${runner.hostname ?? ''}`;
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      return {
        kind: 'runner',
        id: seen === 0 ? base : `${base}#${seen}`,
        namespace: node.namespace,
        resourceClass: node.resourceClass,
        runner,
      };
    });
  }

  private statusOf(runner: Runner): RunnerStatus {
    return deriveRunnerStatus(runner.lastConnected, this.deps.now(), this.deps.thresholds());
  }

  private onlineCount(entry: ResourceClassEntry): number {
    return entry.runners.filter((runner) => this.statusOf(runner) === 'online').length;
  }

  private presentNamespace(node: NamespaceNode): Presentation {
    const snapshot = this.deps.fleet.snapshot(node.namespace);
    const notes: string[] = [];
    const rows: TooltipRow[] = [{ label: 'Namespace', value: node.namespace }];
    let description: string;
    let icon = { id: 'organization' } as { id: string; color?: string };

    if (
      snapshot === undefined ||
      (snapshot.fetchedAt === undefined && snapshot.state !== 'error')
    ) {
      description = 'loading…';
    } else if (snapshot.fetchedAt === undefined) {
      description = 'failed to load';
      icon = { id: 'error', color: 'list.errorForeground' };
    } else {
      description = this.summarise(snapshot);
      rows.push({ label: 'Updated', value: this.timeValue(snapshot.fetchedAt) });
      if (snapshot.stale) {
        description += ' · stale';
        icon = { id: 'warning', color: 'list.warningForeground' };
        notes.push('The last refresh failed: what is shown is from the update above.');
      }
    }
    if (snapshot?.classesFromRunners) {
      notes.push(classesFromRunnersNote);
    }

    return {
      label: node.namespace,
      description,
      tooltip: { title: node.namespace, rows, notes },
      icon,
      contextValue: 'namespace',
      collapsible: 'expanded',
    };
  }

  private summarise(snapshot: NamespaceSnapshot): string {
    const classes = snapshot.classes.length;
    let online = 0;
    let total = 0;
    let queued = 0;
    for (const entry of snapshot.classes) {
      online += this.onlineCount(entry);
      total += entry.runners.length;
      queued += this.deps.queueCounts?.(entry.name)?.unclaimed ?? 0;
    }

    const parts = [plural(classes, 'class', 'classes'), `${online} of ${total} online`];
    if (queued > 0) {
      parts.push(`${queued} queued`);
    }
    return parts.join(' · ');
  }

  private presentClass(node: ResourceClassNode): Presentation {
    const entry = this.deps.fleet.findClass(node.resourceClass);
    const name = toDisplayText(node.resourceClass);
    const flags = ['resourceClass'];
    if (this.deps.hasStoredToken(node.resourceClass)) {
      flags.push('hasToken');
    }
    if (entry?.seenFromRunnersOnly) {
      flags.push('fromRunners');
    }

    const rows: TooltipRow[] = [{ label: 'Resource class', value: name }];
    const notes: string[] = [];
    const parts: string[] = [];
    if (entry !== undefined) {
      const online = this.onlineCount(entry);
      parts.push(`${online} of ${entry.runners.length} online`);
      rows.push(
        { label: 'Description', value: toDisplayText(entry.description, 500) || '—' },
        { label: 'ID', value: toDisplayText(entry.id) || 'unknown' },
        { label: 'Runners', value: `${online} online of ${entry.runners.length}` },
      );
      if (entry.seenFromRunnersOnly) {
        parts.push('seen from runners');
        notes.push(classesFromRunnersNote);
      }
    }

    const counts = this.deps.queueCounts?.(node.resourceClass);
    if (counts?.unclaimed !== undefined || counts?.running !== undefined) {
      const queued = counts.unclaimed ?? '?';
      const running = counts.running ?? '?';
      parts.push(`${queued} queued · ${running} running${counts.stale ? ' (stale)' : ''}`);
      rows.push({ label: 'Tasks', value: `${queued} queued, ${running} running` });
    }
    notes.push(
      this.deps.hasStoredToken(node.resourceClass)
        ? 'Its resource class token is kept in the editor’s secret storage.'
        : 'No resource class token is stored for it in this editor.',
    );

    return {
      label: toDisplayText(entry?.shortName ?? node.resourceClass.split('/')[1], 100),
      description: parts.join(' · '),
      tooltip: { title: name, rows, notes },
      icon: { id: entry?.seenFromRunnersOnly ? 'server-environment' : 'server' },
      contextValue: flags.join(';'),
      collapsible: 'collapsed',
    };
  }

  private presentRunner(node: RunnerNode, withTooltip: boolean): Presentation {
    const runner = node.runner;
    const status = this.statusOf(runner);
    const label = toDisplayText(runner.name ?? runner.hostname, 100) || '(unnamed runner)';

    // When it was seen leads: it is what changes, and long hostnames get cut.
    const parts = [
      runner.lastConnected === undefined
        ? 'never seen'
        : `seen ${formatAgo(runner.lastConnected, this.deps.now())}`,
    ];
    if (runner.name !== undefined && runner.hostname !== undefined) {
      parts.push(toDisplayText(runner.hostname, 60));
    }
    if (runner.version !== undefined) {
      parts.push(toDisplayText(runner.version, 30));
    }

    const flags = ['runner'];
    if (runner.hostname) {
      flags.push('hasHostname');
    }
    if (runner.ip) {
      flags.push('hasIp');
    }

    const text = (value: string | undefined) => toDisplayText(value, 200) || 'unknown';
    const rows: TooltipRow[] = !withTooltip
      ? []
      : [
          { label: 'Status', value: statusLabel(status) },
          { label: 'Name', value: text(runner.name) },
          { label: 'Hostname', value: text(runner.hostname) },
          { label: 'IP', value: text(runner.ip) },
          { label: 'OS', value: text(runner.os) },
          { label: 'Arch', value: text(runner.arch) },
          { label: 'Version', value: text(runner.version) },
          { label: 'Resource class', value: text(node.resourceClass) },
          { label: 'First connected', value: this.timeValue(runner.firstConnected) },
          { label: 'Last connected', value: this.timeValue(runner.lastConnected) },
          { label: 'Last used', value: this.timeValue(runner.lastUsed) },
        ];

    return {
      label,
      description: parts.join(' · '),
      tooltip: { title: label, rows, notes: [] },
      tooltipDeferred: !withTooltip,
      icon: statusIcons[status],
      contextValue: flags.join(';'),
      collapsible: 'none',
      status,
    };
  }

  private timeValue(at: number | undefined): string {
    if (at === undefined) {
      return 'unknown';
    }
    return `${utcDateTime(at)} UTC (${formatAgo(at, this.deps.now())})`;
  }
}

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC. Built from the parts rather than from
 * toISOString(), which is several times slower: a runner's tooltip has three
 * of these, and a class can hold thousands of runners.
 */
function utcDateTime(at: number): string {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) {
    // Outside four-digit years toISOString() has its own signed form; keep it.
    return date.toISOString().replace('T', ' ').slice(0, 19);
  }
  return (
    `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())} ` +
    `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:` +
    twoDigits(date.getUTCSeconds())
  );
}

const classesFromRunnersNote =
  'This server does not list resource classes through the configured endpoints, so classes ' +
  'are derived from the runners that connected. A class with no connected runner cannot be ' +
  'listed this way. The setting circleciRunners.api.resourceClassEndpoints selects other ' +
  'endpoints.';

function presentMessage(node: MessageNode): Presentation {
  const icons: Record<MessageTone, { id: string; color?: string }> = {
    info: { id: 'info' },
    loading: { id: 'loading~spin' },
    warning: { id: 'warning', color: 'list.warningForeground' },
    error: { id: 'error', color: 'list.errorForeground' },
  };
  return {
    label: node.text,
    description: node.retryNamespace !== undefined ? 'Retry' : undefined,
    tooltip: {
      title: node.text,
      rows: [],
      notes: node.detail ? [node.detail] : [],
    },
    icon: icons[node.tone],
    contextValue: node.retryNamespace !== undefined ? 'error;retryable' : `message;${node.tone}`,
    collapsible: 'none',
  };
}
