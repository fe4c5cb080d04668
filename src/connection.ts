// Which server the extension talks to, and with which token: the settings
// name the host, the token store holds one token per host. Everything that
// calls the API gets its client from here, so a token never travels to a
// host it was not saved for.

import { InvalidConfigError } from './api/errors';
import type { ResourceClassEndpoints } from './api/resourceClassEndpoints';
import type { RunnerApi } from './api/types';
import type { ApiTokenSource, TokenStore } from './secrets/tokenStore';
import { Emitter, type Disposable, type Event } from './util/emitter';

export interface Connection {
  readonly baseUrl: string;
  readonly hostKey: string;
  readonly tokenSource: ApiTokenSource;
  readonly api: RunnerApi;
  readonly resourceClasses: ResourceClassEndpoints;
}

export type ConnectionState =
  | { kind: 'invalidConfig'; message: string }
  | { kind: 'noToken'; baseUrl: string; hostKey: string }
  | { kind: 'rejected'; connection: Connection; message: string }
  | { kind: 'ready'; connection: Connection };

export interface ConnectionSettings {
  apiUrl: string;
  resourceClassEndpoints: 'spec' | 'circleci-cli';
  requestTimeoutSeconds: number;
}

export interface ConnectionFactory {
  normalizeBaseUrl(url: string): string;
  hostKey(baseUrl: string): string;
  create(
    baseUrl: string,
    token: string,
    settings: ConnectionSettings,
  ): { api: RunnerApi; resourceClasses: ResourceClassEndpoints };
}

export class ConnectionManager implements Disposable {
  private current: ConnectionState = { kind: 'invalidConfig', message: 'Not configured yet.' };
  private settings: ConnectionSettings | undefined;
  private fingerprint = '';
  private generation = 0;
  private readonly changed = new Emitter<ConnectionState>();
  private readonly subscription: Disposable;

  readonly onDidChange: Event<ConnectionState> = this.changed.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly factory: ConnectionFactory,
  ) {
    this.subscription = tokens.onDidChange((change) => {
      if (change.kind === 'apiToken' && this.settings !== undefined) {
        void this.update(this.settings);
      }
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The connection when one is usable (a rejected token is not). */
  get connection(): Connection | undefined {
    return this.current.kind === 'ready' ? this.current.connection : undefined;
  }

  /** The host the settings name, even with no token yet. */
  hostKey(): string | undefined {
    return this.target()?.hostKey;
  }

  baseUrl(): string | undefined {
    return this.target()?.baseUrl;
  }

  private target(): { baseUrl: string; hostKey: string } | undefined {
    switch (this.current.kind) {
      case 'invalidConfig':
        return undefined;
      case 'noToken':
        return this.current;
      default:
        return this.current.connection;
    }
  }

  /** Re-reads the token for the configured host; announces a change only if there is one. */
  async update(settings: ConnectionSettings): Promise<void> {
    this.settings = settings;
    const generation = ++this.generation;
    const next = await this.resolve(settings);
    if (generation !== this.generation) {
      return;
    }

    const fingerprint = next.fingerprint;
    if (fingerprint === this.fingerprint && this.current.kind === 'rejected') {
      return;
    }
    if (fingerprint === this.fingerprint && next.state.kind === this.current.kind) {
      return;
    }
    this.fingerprint = fingerprint;
    this.current = next.state;
    this.changed.fire(this.current);
  }

  /** The server said 401: keep the token (it may be fixed server-side) but stop using it. */
  markRejected(message: string): void {
    if (this.current.kind !== 'ready') {
      return;
    }
    this.current = { kind: 'rejected', connection: this.current.connection, message };
    this.changed.fire(this.current);
  }

  /** A retry after a rejection: use the same token again. */
  retryRejected(): void {
    if (this.current.kind !== 'rejected') {
      return;
    }
    this.current = { kind: 'ready', connection: this.current.connection };
    this.changed.fire(this.current);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async resolve(
    settings: ConnectionSettings,
  ): Promise<{ state: ConnectionState; fingerprint: string }> {
    let baseUrl: string;
    try {
      baseUrl = this.factory.normalizeBaseUrl(settings.apiUrl);
    } catch (error) {
      const message =
        error instanceof InvalidConfigError ? error.message : 'The API URL is not valid.';
      return { state: { kind: 'invalidConfig', message }, fingerprint: `invalid|${message}` };
    }

    const hostKey = this.factory.hostKey(baseUrl);
    const token = await this.tokens.getApiToken(hostKey);
    if (token === undefined) {
      return { state: { kind: 'noToken', baseUrl, hostKey }, fingerprint: `none|${baseUrl}` };
    }

    let created: ReturnType<ConnectionFactory['create']>;
    try {
      created = this.factory.create(baseUrl, token.value, settings);
    } catch (error) {
      // The client refuses a token it could not send (spaces, line breaks).
      const message = error instanceof Error ? error.message : 'The API token is not usable.';
      return { state: { kind: 'invalidConfig', message }, fingerprint: `invalid|${message}` };
    }
    const { api, resourceClasses } = created;
    const connection: Connection = {
      baseUrl,
      hostKey,
      tokenSource: token.source,
      api,
      resourceClasses,
    };
    // The token itself is compared, never kept in a string that could be logged.
    const fingerprint = [
      baseUrl,
      settings.resourceClassEndpoints,
      settings.requestTimeoutSeconds,
      token.source,
    ].join('|');
    return {
      state: { kind: 'ready', connection },
      fingerprint: `${fingerprint}|${tokenIdentity(token.value)}`,
    };
  }
}

/** A short, non-reversible identity so a changed token is noticed without keeping it around. */
function tokenIdentity(token: string): string {
  let hash = 2166136261;
  for (let i = 0; i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 16777619);
  }
  return (hash >>> 0).toString(36);
}
