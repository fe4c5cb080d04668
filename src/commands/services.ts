// What commands work with. extension.ts builds one of these; commands take
// it as their only dependency.

import type * as vscode from 'vscode';
import type { Settings } from '../config';
import type { ConnectionManager, ConnectionSettings } from '../connection';
import type { FleetStore } from '../fleet/fleetStore';
import type { QueueStore } from '../queue/queueStore';
import type { TokenStore } from '../secrets/tokenStore';
import type { Prompts } from './prompts';

export interface Services {
  readonly log: vscode.LogOutputChannel;
  /** Swappable so the in-editor tests can answer questions; see prompts.ts. */
  prompts: Prompts;
  readonly tokens: TokenStore;
  readonly connections: ConnectionManager;
  readonly fleet: FleetStore;
  readonly queue: QueueStore;
  settings(): Settings;
  /** Builds a client for a token that is not saved yet, to try it. */
  probe(baseUrl: string, token: string, settings: ConnectionSettings): ProbeApi;
  /** Refetches the fleet (one namespace or all) and polls the queue. */
  refresh(namespace?: string): Promise<void>;
  /** Shows a resource class in the Runners view. */
  reveal(resourceClass: string): Promise<void>;
  writeClipboard(text: string): Thenable<void>;
}

export interface ProbeApi {
  listRunners(filter: { namespace: string }, options?: { signal?: AbortSignal }): Promise<unknown>;
}
