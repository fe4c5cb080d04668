import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('CircleCI Runners', { log: true });
  context.subscriptions.push(log);
  log.info('CircleCI Runners activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
