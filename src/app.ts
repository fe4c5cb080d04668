// The composition root: builds the stores, views and commands, and keeps them
// in step with settings, tokens and window focus. Data flows one way: the
// client feeds the stores, the stores feed the views.

import * as vscode from 'vscode';
import { RunnerApiClient, apiHostKey, normalizeBaseUrl } from './api/client';
import { createResourceClassEndpoints } from './api/resourceClassEndpoints';
import { RateLimitedError, ServerError, isRunnerApiError } from './api/errors';
import type { RequestRecord } from './api/types';
import { registerNamespaceCommands } from './commands/namespaceCommands';
import { windowPrompts, type Prompts } from './commands/prompts';
import { registerResourceClassCommands } from './commands/resourceClassCommands';
import { registerRunnerCommands } from './commands/runnerCommands';
import type { Services } from './commands/services';
import { registerTokenCommands } from './commands/tokenCommands';
import { registerViewCommands } from './commands/viewCommands';
import { readSettings, thresholdsOf, type Settings } from './config';
import { ConnectionManager, type ConnectionSettings, type ConnectionState } from './connection';
import { FleetStore } from './fleet/fleetStore';
import { deriveRunnerStatus } from './fleet/runnerStatus';
import type { Logger } from './log';
import { createSystemClock } from './queue/clock';
import { QueuePoller } from './queue/queuePoller';
import { QueueStore } from './queue/queueStore';
import { backoffDelay } from './queue/schedule';
import { StuckQueueTracker } from './queue/stuckQueue';
import { TokenStore } from './secrets/tokenStore';
import { RunnerStatusDecorations } from './views/decorations';
import { RunnerTreeProvider } from './views/runnerTree';
import { QueueStatusBar } from './views/statusBar';
import { TreeModel, type TreeNode } from './views/treeModel';

export type ViewState = 'invalidConfig' | 'noToken' | 'noNamespaces' | 'tokenRejected' | 'ready';

/** Given to the in-editor tests through the extension's exports. */
export interface ExtensionApi {
  readonly fleet: FleetStore;
  readonly queue: QueueStore;
  readonly tokens: TokenStore;
  readonly connections: ConnectionManager;
  readonly model: TreeModel;
  readonly stuckQueue: StuckQueueTracker;
  viewState(): ViewState;
  statusBarText(): string;
  setPrompts(prompts: Prompts | undefined): void;
  /** Resolves when the fleet and one queue poll have caught up with the settings. */
  settled(): Promise<void>;
  /** The folder the log channel writes to, so tests can read what was logged. */
  readonly logUri: vscode.Uri;
  /** The TreeItem the Runners view is given for a node. */
  treeItem(node: TreeNode): vscode.TreeItem;
  /** The status bar item's tooltip as shown. */
  statusBarTooltip(): vscode.MarkdownString | string | undefined;
}

const tickMs = 30_000;

/** Load failures that should pass without anyone doing anything. */
const passing: ReadonlySet<string> = new Set([
  'server',
  'network',
  'timeout',
  'rateLimited',
  'invalidResponse',
  'http',
]);

export class App implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly logger: Logger;
  private readonly tokens: TokenStore;
  private readonly connections: ConnectionManager;
  private readonly fleet: FleetStore;
  private readonly queue = new QueueStore();
  private readonly stuckQueue: StuckQueueTracker;
  private readonly model: TreeModel;
  private readonly tree: RunnerTreeProvider;
  private readonly treeView: vscode.TreeView<unknown>;
  private readonly statusBar: QueueStatusBar;
  private readonly services: Services;
  private readonly expandedClasses = new Set<string>();
  private poller: QueuePoller | undefined;
  private settings: Settings = readSettings();
  private viewState: ViewState = 'noToken';
  private pending: Promise<void> = Promise.resolve();
  private readonly userAgent: string;
  private readonly logUri: vscode.Uri;
  /** Failed namespace loads waiting to be tried again, with how often they failed in a row. */
  private readonly fleetRetries = new Map<string, { failures: number; timer?: NodeJS.Timeout }>();

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    this.logger = log;
    this.logUri = context.logUri;
    const manifest = context.extension.packageJSON as { version?: string };
    this.userAgent = `circleci-runners-vscode/${manifest.version ?? 'dev'}`;

    this.tokens = new TokenStore(context.secrets, context.globalState, process.env);
    this.connections = new ConnectionManager(this.tokens, {
      normalizeBaseUrl,
      hostKey: apiHostKey,
      create: (baseUrl, token, settings) => this.createApi(baseUrl, token, settings),
    });
    this.fleet = new FleetStore({ now: Date.now, logger: this.logger });
    this.stuckQueue = new StuckQueueTracker({
      enabled: this.settings.stuckQueueAlerts,
      muted: this.settings.mutedResourceClasses,
    });

    this.model = new TreeModel({
      fleet: this.fleet,
      now: Date.now,
      thresholds: () => thresholdsOf(this.settings),
      hasStoredToken: (name) => this.classesWithToken().has(name),
      queueCounts: (name) => this.queue.get(name),
    });
    this.tree = new RunnerTreeProvider(this.model, () => this.viewState === 'ready');
    this.treeView = vscode.window.createTreeView('circleciRunners.runners', {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.statusBar = new QueueStatusBar({
      queue: this.queue,
      onlineRunners: (name) => this.onlineRunners(name),
      stuckClasses: () => this.stuckQueue.activeEpisodes(),
      fleetProblem: () => this.fleetProblem(),
    });

    this.services = {
      log,
      prompts: windowPrompts,
      tokens: this.tokens,
      connections: this.connections,
      fleet: this.fleet,
      queue: this.queue,
      settings: () => this.settings,
      probe: (baseUrl, token, settings) => this.createApi(baseUrl, token, settings).api,
      refresh: (namespace) => this.refresh(namespace),
      reveal: (name) => this.reveal(name),
      writeClipboard: (text) => vscode.env.clipboard.writeText(text),
    };

    this.disposables.push(
      this.tree,
      this.treeView,
      this.statusBar,
      this.tokens,
      this.connections,
      { dispose: () => this.fleet.dispose() },
      { dispose: () => this.stuckQueue.dispose() },
      { dispose: () => this.poller?.dispose() },
      vscode.window.registerFileDecorationProvider(new RunnerStatusDecorations()),
      ...registerTokenCommands(this.services),
      ...registerNamespaceCommands(this.services),
      ...registerResourceClassCommands(this.services),
      ...registerRunnerCommands(this.services),
      ...registerViewCommands(this.services),
    );
    this.listen();
  }

  /** Reads settings and tokens and loads what they point at. */
  start(): void {
    this.statusBar.setEnabled(this.settings.statusBarEnabled);
    this.track(this.connections.update(this.settings));
  }

  api(): ExtensionApi {
    return {
      fleet: this.fleet,
      queue: this.queue,
      tokens: this.tokens,
      connections: this.connections,
      model: this.model,
      stuckQueue: this.stuckQueue,
      viewState: () => this.viewState,
      statusBarText: () => this.statusBar.text,
      setPrompts: (prompts) => {
        this.services.prompts = prompts ?? windowPrompts;
      },
      settled: () => this.settled(),
      logUri: this.logUri,
      treeItem: (node) => this.tree.resolvedTreeItem(node),
      statusBarTooltip: () => this.statusBar.currentTooltip,
    };
  }

  dispose(): void {
    for (const disposable of this.disposables.reverse()) {
      disposable.dispose();
    }
  }

  private listen(): void {
    this.disposables.push(
      this.connections.onDidChange((state) => this.connectionChanged(state)),
      this.fleet.onDidChange((change) => {
        this.scheduleFleetRetry(change.namespace);
        this.tree.fleetChanged(change);
        this.poller?.notifyClassesChanged();
        this.stuckQueue.retain(this.fleet.allClasses().map((entry) => entry.name));
        this.statusBar.render();
      }),
      this.fleet.onUnauthorized((error) => this.connections.markRejected(error.message)),
      this.queue.onDidChange((change) => {
        if (this.queue.state.kind === 'signedOut') {
          this.connections.markRejected('The Runner API rejected the API token (401).');
        }
        this.tree.classesChanged(change.classes);
        this.statusBar.render();
        this.updateBadge();
      }),
      this.tokens.onDidChange((change) => {
        if (change.kind === 'resourceClassToken') {
          this.tree.refreshAll();
        }
      }),
      this.stuckQueue.onEpisodeStart((name) => void this.alertStuck(name)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('circleciRunners')) {
          this.settingsChanged(event);
        }
      }),
      vscode.window.onDidChangeWindowState((state) => this.poller?.setFocused(state.focused)),
      this.treeView.onDidExpandElement(({ element }) => this.expanded(element, true)),
      this.treeView.onDidCollapseElement(({ element }) => this.expanded(element, false)),
    );

    // Relative times ("seen 4 min ago") and statuses move with the clock alone.
    const timer = setInterval(() => {
      if (this.treeView.visible && this.viewState === 'ready') {
        this.tree.tick(this.fleet.namespaces(), this.expandedClasses);
      }
    }, tickMs);
    this.disposables.push({ dispose: () => clearInterval(timer) });
    this.disposables.push({ dispose: () => this.cancelFleetRetries() });
  }

  /**
   * A namespace that failed to load for a passing reason (server, network, rate limit, a
   * proxy's page) is loaded again with the poller's backoff, so the tree recovers when the
   * server does even when no queue poll runs (a first load that failed has no classes).
   */
  private scheduleFleetRetry(namespace: string | undefined): void {
    if (namespace === undefined) {
      // A new connection or namespace list: what failed before is no longer pending.
      for (const name of [...this.fleetRetries.keys()]) {
        if (this.fleet.snapshot(name)?.state !== 'error') {
          this.cancelFleetRetries(name);
        }
      }
      return;
    }
    const snapshot = this.fleet.snapshot(namespace);
    if (snapshot?.state === 'loading') {
      return;
    }
    const error = snapshot?.error;
    if (snapshot?.state !== 'error' || !isRunnerApiError(error) || !passing.has(error.kind)) {
      this.cancelFleetRetries(namespace);
      return;
    }
    const retry = this.fleetRetries.get(namespace) ?? { failures: 0 };
    if (retry.timer !== undefined) {
      return;
    }
    retry.failures += 1;
    const retryAfterMs =
      error instanceof RateLimitedError || error instanceof ServerError
        ? error.retryAfterMs
        : undefined;
    const delay = backoffDelay(
      this.settings.pollIntervalSeconds * 1000,
      retry.failures,
      retryAfterMs,
      Math.random,
    );
    retry.timer = setTimeout(() => {
      retry.timer = undefined;
      if (this.viewState === 'ready') {
        this.track(this.fleet.refresh(namespace));
      }
    }, delay);
    this.fleetRetries.set(namespace, retry);
    this.logger.info(`${namespace}: loading again in ${Math.round(delay / 1000)} s.`);
  }

  private cancelFleetRetries(namespace?: string): void {
    for (const [name, retry] of this.fleetRetries) {
      if (namespace === undefined || name === namespace) {
        clearTimeout(retry.timer);
        this.fleetRetries.delete(name);
      }
    }
  }

  private expanded(element: unknown, expanded: boolean): void {
    const node = element as { kind?: string; resourceClass?: string };
    if (node.kind !== 'resourceClass' || node.resourceClass === undefined) {
      return;
    }
    if (expanded) {
      this.expandedClasses.add(node.resourceClass);
    } else {
      this.expandedClasses.delete(node.resourceClass);
    }
  }

  private settingsChanged(event: vscode.ConfigurationChangeEvent): void {
    const next = readSettings();
    const apiUrlChanged = this.settings.apiUrl !== next.apiUrl;
    this.settings = next;
    const affects = (key: string) => event.affectsConfiguration(`circleciRunners.${key}`);

    if (affects('apiUrl') || affects('api') || affects('requestTimeoutSeconds')) {
      this.track(this.connections.update(this.settings));
    }
    if (affects('namespaces')) {
      this.fleet.setNamespaces(this.connections.connection ? this.settings.namespaces : []);
      this.updateViewState();
      this.track(this.fleet.ensureLoaded());
    }
    if (affects('runnerStatus')) {
      this.tree.refreshAll();
    }
    if (affects('pollIntervalSeconds') || affects('poll')) {
      this.poller?.updateSettings();
    }
    if (affects('statusBar')) {
      this.statusBar.setEnabled(this.settings.statusBarEnabled);
    }
    if (affects('alerts')) {
      this.stuckQueue.setOptions({
        enabled: this.settings.stuckQueueAlerts,
        muted: this.settings.mutedResourceClasses,
      });
      this.statusBar.render();
    }
    this.logger.debug(`Settings changed (API URL ${apiUrlChanged ? 'changed' : 'same'}).`);
  }

  private connectionChanged(state: ConnectionState): void {
    this.poller?.dispose();
    this.poller = undefined;
    // Episodes belong to one server's classes: a new connection starts afresh.
    this.stuckQueue.retain([]);

    if (state.kind !== 'ready') {
      this.fleet.setSource(undefined);
      this.fleet.setNamespaces([]);
      this.queue.clear();
      this.updateViewState();
      if (state.kind === 'rejected') {
        // The status bar says why the figures went, rather than vanishing.
        this.queue.setState({ kind: 'signedOut' });
        this.logger.warn(`Stopped: ${state.message}`);
      }
      return;
    }

    const { connection } = state;
    const tokenSource =
      connection.tokenSource === 'stored' ? 'secret storage' : connection.tokenSource;
    this.logger.info(`Connected to ${connection.baseUrl} (token from ${tokenSource}).`);
    this.fleet.setSource({
      listRunners: (filter, options) => connection.api.listRunners(filter, options),
      listResourceClasses: (namespace, options) =>
        connection.resourceClasses.list(namespace, options),
    });
    this.fleet.setNamespaces(this.settings.namespaces);
    this.updateViewState();

    const poller = new QueuePoller({
      api: connection.api,
      getResourceClasses: () => this.fleet.allClasses().map((entry) => entry.name),
      clock: createSystemClock(),
      random: Math.random,
      logger: this.logger,
      getSettings: () => ({
        intervalSeconds: this.settings.pollIntervalSeconds,
        maxConcurrent: this.settings.maxConcurrentRequests,
      }),
      store: this.queue,
    });
    poller.onDidCompleteCycle((report) => void this.checkStuck(report.succeeded));
    poller.setFocused(vscode.window.state.focused);
    this.poller = poller;
    this.track(this.fleet.refresh().then(() => poller.start()));
  }

  private updateViewState(): void {
    const state = this.connections.state;
    const next: ViewState =
      state.kind === 'invalidConfig'
        ? 'invalidConfig'
        : state.kind === 'noToken'
          ? 'noToken'
          : state.kind === 'rejected'
            ? 'tokenRejected'
            : this.settings.namespaces.length === 0
              ? 'noNamespaces'
              : 'ready';
    if (next !== this.viewState) {
      this.viewState = next;
      this.tree.refreshAll();
    }
    void vscode.commands.executeCommand('setContext', 'circleciRunners.state', next);
    this.treeView.message =
      state.kind === 'invalidConfig'
        ? `The API settings are not usable: ${state.message}`
        : undefined;
  }

  private updateBadge(): void {
    const queued = this.queue.totals.unclaimed;
    this.treeView.badge =
      queued > 0
        ? { value: queued, tooltip: `${queued} task${queued === 1 ? '' : 's'} queued` }
        : undefined;
  }

  /** The first load error, when no namespace has any class to show (so nothing is polled). */
  private fleetProblem(): string | undefined {
    if (this.viewState !== 'ready' || this.fleet.allClasses().length > 0) {
      return undefined;
    }
    for (const namespace of this.fleet.namespaces()) {
      const error = this.fleet.snapshot(namespace)?.error;
      if (error !== undefined) {
        return `${namespace}: ${error.message}`;
      }
    }
    return undefined;
  }

  private onlineRunners(resourceClass: string): number | undefined {
    const entry = this.fleet.findClass(resourceClass);
    if (entry === undefined) {
      return undefined;
    }
    const now = Date.now();
    const thresholds = thresholdsOf(this.settings);
    return entry.runners.filter(
      (runner) => deriveRunnerStatus(runner.lastConnected, now, thresholds) === 'online',
    ).length;
  }

  /**
   * Feeds the stuck-queue tracker. Runner data may be older than the poll, so
   * before a class with queued tasks is judged to have nobody online, its
   * namespace's runners are fetched again when they are older than a poll.
   */
  private async checkStuck(polled: readonly string[]): Promise<void> {
    const now = Date.now();
    const maxAge = this.settings.pollIntervalSeconds * 1000;
    const suspects = new Set<string>();
    for (const name of polled) {
      const queued = this.queue.get(name)?.unclaimed ?? 0;
      const namespace = name.split('/')[0] ?? '';
      const fetchedAt = this.fleet.snapshot(namespace)?.fetchedAt ?? 0;
      if (queued > 0 && this.onlineRunners(name) === 0 && now - fetchedAt > maxAge) {
        suspects.add(namespace);
      }
    }
    await Promise.all([...suspects].map((namespace) => this.fleet.refresh(namespace)));

    const update = this.stuckQueue.update(
      polled.map((name) => ({
        resourceClass: name,
        queued: this.queue.get(name)?.unclaimed,
        onlineRunners: this.onlineRunners(name),
      })),
    );
    if (update.activeChanged) {
      this.statusBar.render();
    }
  }

  private async alertStuck(resourceClass: string): Promise<void> {
    const queued = this.queue.get(resourceClass)?.unclaimed ?? 0;
    this.logger.warn(`${resourceClass}: ${queued} task(s) queued and no runner online.`);
    const choice = await this.services.prompts.showWarningMessage(
      `${resourceClass} has ${queued} queued task${queued === 1 ? '' : 's'} and no runner online.`,
      {},
      'Show Runners',
      "Don't Alert for This Class",
    );
    if (choice === 'Show Runners') {
      await this.reveal(resourceClass, true);
    } else if (choice === "Don't Alert for This Class") {
      await vscode.commands.executeCommand('circleciRunners.muteStuckQueueAlert', resourceClass);
    }
  }

  private async refresh(namespace?: string): Promise<void> {
    if (this.connections.state.kind === 'rejected') {
      this.connections.retryRejected();
      return this.settled();
    }
    await Promise.all([this.fleet.refresh(namespace), this.poller?.pollNow()]);
  }

  private async reveal(resourceClass: string, expand = false): Promise<void> {
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
    if (this.fleet.findClass(resourceClass) === undefined) {
      return;
    }
    await this.treeView.reveal(this.model.classNode(resourceClass), {
      select: true,
      focus: true,
      expand,
    });
  }

  private classesWithToken(): ReadonlySet<string> {
    const hostKey = this.connections.hostKey();
    return hostKey === undefined ? new Set() : this.tokens.resourceClassesWithToken(hostKey);
  }

  private createApi(baseUrl: string, token: string, settings: ConnectionSettings) {
    const client = new RunnerApiClient({
      baseUrl,
      token,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      userAgent: this.userAgent,
      onRequest: (record) => this.logRequest(record),
    });
    return {
      api: client,
      resourceClasses: createResourceClassEndpoints(settings.resourceClassEndpoints, client),
    };
  }

  private logRequest(record: RequestRecord): void {
    const status = record.status ?? record.error ?? 'failed';
    const ms = Math.round(record.durationMs);
    const line = `${record.method} ${record.path} → ${status} in ${ms} ms`;
    const suffix = record.attempt > 1 ? ` (attempt ${record.attempt})` : '';
    if (record.error !== undefined || (record.status ?? 0) >= 400) {
      this.logger.warn(line + suffix);
    } else {
      this.logger.debug(line + suffix);
    }
  }

  /** Remembers background work so tests can wait for it; failures are logged, not thrown. */
  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.error(`Background work failed: ${String(error)}`),
    );
    this.pending = Promise.all([this.pending, tracked]).then(() => undefined);
  }

  private async settled(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.pending) {
      seen = this.pending;
      await seen;
    }
    await this.fleet.ensureLoaded();
  }
}
