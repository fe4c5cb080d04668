import * as assert from 'assert';
import * as vscode from 'vscode';

const extensionId = 'runnerdesk.circleci-runners';

interface ContributedCommand {
  command: string;
  title: string;
}

function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed in this editor`);
  return extension;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('Extension activation', () => {
  it('is installed under its published id', () => {
    const extension = getExtension();
    const manifest = extension.packageJSON as { name: string; publisher: string };
    assert.strictEqual(`${manifest.publisher}.${manifest.name}`, extensionId);
  });

  it('activates when the Runners view is shown', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.circleciRunners');
    await vscode.commands.executeCommand('circleciRunners.runners.focus');

    const extension = getExtension();
    assert.ok(
      await waitFor(() => extension.isActive, 15_000),
      'the extension did not activate after its view was focused',
    );
  });

  it('activates without throwing', async () => {
    const extension = getExtension();
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command that package.json contributes', async () => {
    const extension = getExtension();
    await extension.activate();
    const manifest = extension.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const contributed = manifest.contributes.commands.map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');

    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepStrictEqual(
      missing,
      [],
      `commands contributed but not registered: ${missing.join(', ')}`,
    );
  });
});
