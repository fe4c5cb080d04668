// Creating a resource class the way a person does: the command palette, a
// quick pick, input boxes that check the name as it is typed, and the modal
// that hands over the one-time token.
import * as assert from 'assert';
import { Editor, keepEvidence, openEditor } from './editor';

describe('Create Resource Class (UI)', function () {
  let editor: Editor | undefined;

  before(async function () {
    editor = await openEditor({ label: 'ui-create', token: 'simulator-demo-token' });
    await editor.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await keepEvidence(editor, this.currentTest.fullTitle());
    }
  });

  after(async function () {
    await editor?.close();
  });

  it('refuses a bad name inline, creates the class and offers its token once', async function () {
    assert.ok(editor?.simulator);
    const wb = editor.workbench;
    const sim = editor.simulator;
    await wb.openContainer('CircleCI Runners');
    await wb.treeRow('Runners', 'acme').waitFor();

    await wb.runCommand('CircleCI Runners: Create Resource Class');
    assert.deepStrictEqual(await wb.quickPickItems(), ['acme', 'globex']);
    await wb.pickItem('acme');

    await wb.answerInputTitled('(1/2)', 'Linux Big');
    await editor.page.waitForFunction(() =>
      /uppercase|space/i.test(
        document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? '',
      ),
    );
    await wb.screenshot('create-invalid-name');

    await wb.answerInputTitled('(1/2)', 'linux-big');
    await wb.answerInputTitled('(2/2)', 'Large Linux build machines');

    const dialog = await wb.waitForDialog();
    assert.match(dialog.message, /acme\/linux-big was created/);
    assert.match(dialog.detail, /will not show this token again/);
    assert.match(dialog.detail, /secret storage/);
    assert.ok(dialog.buttons.includes('Copy Token'), dialog.buttons.join(', '));
    await wb.screenshot('create-resource-class');

    const issued = sim.state.issuedTokens('acme/linux-big');
    assert.strictEqual(issued.length, 1);
    const screen = await editor.page.locator('body').innerText();
    assert.ok(!screen.includes(issued[0] ?? '\u0000'), 'the token is never shown on screen');

    await wb.clickDialogButton('Copy Token');
    // The extension host writes the clipboard through the window, a moment
    // after the dialog closes.
    let copied = '';
    for (let attempt = 0; attempt < 50 && copied !== issued[0]; attempt++) {
      await editor.page.waitForTimeout(100);
      copied = await editor.page.evaluate(() => navigator.clipboard.readText());
    }
    assert.strictEqual(copied, issued[0]);

    await wb.treeRow('Runners', 'linux-big').waitFor();
    const row = (await wb.treeRows('Runners')).find((r) => r.label === 'linux-big');
    assert.match(row?.description ?? '', /0 of 0 online/);
  });
});
