import * as vscode from 'vscode';
import { App, type ExtensionApi } from './app';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  // The log channel comes first, so everything after it can report failures.
  const log = vscode.window.createOutputChannel('CircleCI Runners', { log: true });
  context.subscriptions.push(log);

  const app = new App(context, log);
  context.subscriptions.push(app);
  app.start();
  log.info('CircleCI Runners is active.');
  return app.api();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
