// The questions commands ask, behind one interface. The real implementation
// is VS Code's own window API; the in-editor test suite can swap in scripted
// answers, since a test inside the extension host cannot click a dialog.

import * as vscode from 'vscode';

export interface Prompts {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<T | undefined>;
  showWarningMessage(
    message: string,
    options: vscode.MessageOptions,
    ...items: string[]
  ): Thenable<string | undefined>;
  showInformationMessage(
    message: string,
    options: vscode.MessageOptions,
    ...items: string[]
  ): Thenable<string | undefined>;
  showErrorMessage(
    message: string,
    options: vscode.MessageOptions,
    ...items: string[]
  ): Thenable<string | undefined>;
}

export const windowPrompts: Prompts = {
  showInputBox: (options) => vscode.window.showInputBox(options),
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showWarningMessage: (message, options, ...items) =>
    vscode.window.showWarningMessage(message, options, ...items),
  showInformationMessage: (message, options, ...items) =>
    vscode.window.showInformationMessage(message, options, ...items),
  showErrorMessage: (message, options, ...items) =>
    vscode.window.showErrorMessage(message, options, ...items),
};
