// Typed settings. Reading goes through here so defaults and bounds live in
// one place, next to the names package.json declares.

import * as vscode from 'vscode';

export const section = 'circleciRunners';
export const defaultApiUrl = 'https://runner.circleci.com/api/v3';

export type ResourceClassDialect = 'spec' | 'circleci-cli';

export interface Settings {
  apiUrl: string;
  namespaces: string[];
  onlineWithinSeconds: number;
  idleWithinSeconds: number;
  pollIntervalSeconds: number;
  maxConcurrentRequests: number;
  statusBarEnabled: boolean;
  stuckQueueAlerts: boolean;
  mutedResourceClasses: string[];
  resourceClassEndpoints: ResourceClassDialect;
  requestTimeoutSeconds: number;
}

function bounded(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const trimmed = value.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  return [...new Set(trimmed.filter((v) => v.length > 0))];
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(section);
  const apiUrl = config.get<unknown>('apiUrl');
  const dialect = config.get<unknown>('api.resourceClassEndpoints');

  return {
    apiUrl: typeof apiUrl === 'string' && apiUrl.trim() !== '' ? apiUrl.trim() : defaultApiUrl,
    namespaces: strings(config.get('namespaces')),
    onlineWithinSeconds: bounded(config.get('runnerStatus.onlineWithinSeconds'), 120, 10, 86400),
    idleWithinSeconds: bounded(config.get('runnerStatus.idleWithinSeconds'), 1800, 60, 604800),
    pollIntervalSeconds: bounded(config.get('pollIntervalSeconds'), 30, 10, 3600),
    maxConcurrentRequests: bounded(config.get('poll.maxConcurrentRequests'), 4, 1, 16),
    statusBarEnabled: config.get<unknown>('statusBar.enabled') !== false,
    stuckQueueAlerts: config.get<unknown>('alerts.stuckQueue') !== false,
    mutedResourceClasses: strings(config.get('alerts.mutedResourceClasses')),
    resourceClassEndpoints: dialect === 'circleci-cli' ? 'circleci-cli' : 'spec',
    requestTimeoutSeconds: bounded(config.get('requestTimeoutSeconds'), 30, 1, 300),
  };
}

/** Writes a list setting where the user keeps it: the workspace if set there, else globally. */
export async function updateList(key: string, value: string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(section);
  const inspected = config.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

export function thresholdsOf(settings: Settings): { onlineWithinMs: number; idleWithinMs: number } {
  return {
    onlineWithinMs: settings.onlineWithinSeconds * 1000,
    idleWithinMs: settings.idleWithinSeconds * 1000,
  };
}
