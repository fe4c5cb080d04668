// Status badges on runner rows. A runner's TreeItem carries a URI of the
// extension's own scheme that names its status; this provider turns it into
// a coloured badge, so the status reads the same in every theme.

import * as vscode from 'vscode';
import type { RunnerStatus } from '../fleet/runnerStatus';

export const statusScheme = 'circleci-runners';

const badges: Record<RunnerStatus, vscode.FileDecoration> = {
  online: new vscode.FileDecoration('●', 'Online', new vscode.ThemeColor('testing.iconPassed')),
  idle: new vscode.FileDecoration('◐', 'Idle', new vscode.ThemeColor('list.warningForeground')),
  offline: new vscode.FileDecoration('○', 'Offline', new vscode.ThemeColor('disabledForeground')),
  unknown: new vscode.FileDecoration('?', 'Status unknown'),
};

export function runnerStatusUri(status: RunnerStatus, nodeId: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: statusScheme,
    path: `/${status}/${encodeURIComponent(nodeId)}`,
  });
}

export function statusFromUri(uri: vscode.Uri): RunnerStatus | undefined {
  if (uri.scheme !== statusScheme) {
    return undefined;
  }
  const status = uri.path.split('/')[1];
  return status !== undefined && status in badges ? (status as RunnerStatus) : undefined;
}

export class RunnerStatusDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const status = statusFromUri(uri);
    return status === undefined ? undefined : badges[status];
  }
}
