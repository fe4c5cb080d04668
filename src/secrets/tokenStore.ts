// Tokens in the editor's secret storage. The personal API token is kept per
// API host, so a token saved for one host is never sent to another; resource
// class tokens, which the API hands out once, are kept per host and class.
// SecretStorage cannot list its keys, so an index of which classes have a
// stored token lives beside it in global state.

import { Emitter, type Disposable, type Event } from '../util/emitter';

/** The parts of vscode.SecretStorage used here. */
export interface SecretBackend {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
  onDidChange(listener: (event: { key: string }) => unknown): Disposable;
}

/** The parts of vscode.Memento used here. */
export interface IndexBackend {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export type ApiTokenSource = 'stored' | 'CIRCLECI_TOKEN' | 'CIRCLECI_CLI_TOKEN';

export interface ApiToken {
  value: string;
  source: ApiTokenSource;
}

export interface TokenChange {
  kind: 'apiToken' | 'resourceClassToken';
  hostKey: string;
}

const apiTokenPrefix = 'circleciRunners.apiToken:';
const classTokenPrefix = 'circleciRunners.resourceClassToken:';
const indexPrefix = 'circleciRunners.resourceClassTokenIndex:';

export class TokenStore implements Disposable {
  private readonly changed = new Emitter<TokenChange>();
  private readonly subscription: Disposable;
  private indexWrites: Promise<void> = Promise.resolve();

  /** Fires when a token changes here or in another window. */
  readonly onDidChange: Event<TokenChange> = this.changed.event;

  constructor(
    private readonly secrets: SecretBackend,
    private readonly index: IndexBackend,
    private readonly env: Record<string, string | undefined> = {},
  ) {
    this.subscription = secrets.onDidChange(({ key }) => {
      const change = parseKey(key);
      if (change !== undefined) {
        this.changed.fire(change);
      }
    });
  }

  /** The stored token for this host, else the environment's, else undefined. */
  async getApiToken(hostKey: string): Promise<ApiToken | undefined> {
    const stored = await this.secrets.get(apiTokenPrefix + hostKey);
    if (stored) {
      return { value: stored, source: 'stored' };
    }

    for (const name of ['CIRCLECI_TOKEN', 'CIRCLECI_CLI_TOKEN'] as const) {
      const value = this.env[name]?.trim();
      if (value) {
        return { value, source: name };
      }
    }
    return undefined;
  }

  async hasStoredApiToken(hostKey: string): Promise<boolean> {
    return (await this.secrets.get(apiTokenPrefix + hostKey)) !== undefined;
  }

  async setApiToken(hostKey: string, token: string): Promise<void> {
    await this.secrets.store(apiTokenPrefix + hostKey, token);
  }

  async clearApiToken(hostKey: string): Promise<void> {
    await this.secrets.delete(apiTokenPrefix + hostKey);
  }

  getResourceClassToken(hostKey: string, resourceClass: string): Thenable<string | undefined> {
    return this.secrets.get(classTokenKey(hostKey, resourceClass));
  }

  /** Saves the secret first, then indexes it: a crash between the two loses no token. */
  async setResourceClassToken(hostKey: string, resourceClass: string, token: string) {
    await this.secrets.store(classTokenKey(hostKey, resourceClass), token);
    await this.editIndex(hostKey, (names) => names.add(resourceClass));
  }

  async deleteResourceClassToken(hostKey: string, resourceClass: string): Promise<void> {
    await this.secrets.delete(classTokenKey(hostKey, resourceClass));
    await this.editIndex(hostKey, (names) => names.delete(resourceClass));
  }

  /** Classes of this host whose token is stored. */
  resourceClassesWithToken(hostKey: string): ReadonlySet<string> {
    return new Set(this.index.get<string[]>(indexPrefix + hostKey) ?? []);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Index writes are read-modify-write; chaining them keeps concurrent creates. */
  private editIndex(hostKey: string, edit: (names: Set<string>) => void): Promise<void> {
    const write = this.indexWrites.then(async () => {
      const names = new Set(this.index.get<string[]>(indexPrefix + hostKey) ?? []);
      edit(names);
      await this.index.update(indexPrefix + hostKey, [...names].sort());
      this.changed.fire({ kind: 'resourceClassToken', hostKey });
    });
    this.indexWrites = write.catch(() => undefined);
    return write;
  }
}

function classTokenKey(hostKey: string, resourceClass: string): string {
  return `${classTokenPrefix}${hostKey}|${resourceClass}`;
}

function parseKey(key: string): TokenChange | undefined {
  if (key.startsWith(apiTokenPrefix)) {
    return { kind: 'apiToken', hostKey: key.slice(apiTokenPrefix.length) };
  }
  if (key.startsWith(classTokenPrefix)) {
    const rest = key.slice(classTokenPrefix.length);
    return { kind: 'resourceClassToken', hostKey: rest.slice(0, rest.lastIndexOf('|')) };
  }
  return undefined;
}
