// The Runners view as a user first meets it: in its own activity-bar
// container, and, without a token, asking for one.
import * as assert from 'assert';
import { Editor, keepEvidence, openEditor } from './editor';

const container = 'CircleCI Runners';
const view = 'Runners';

describe('Runners view (UI)', function () {
  let editor: Editor | undefined;

  before(async function () {
    editor = await openEditor({ label: 'ui-runners-view' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await keepEvidence(editor, this.currentTest.fullTitle());
    }
  });

  after(async function () {
    await editor?.close();
  });

  function workbench(): Editor['workbench'] {
    assert.ok(editor, 'the editor did not start');
    return editor.workbench;
  }

  it('opens from the activity bar and shows the Runners view', async function () {
    const wb = workbench();
    await wb.openContainer(container);

    assert.strictEqual(await wb.isContainerOpen(container), true);
    assert.strictEqual(await wb.sideBarTitle(), `${container}: ${view}`);
    await wb.view(view).waitFor();
    await wb.screenshot('runners-view-opened');
  });

  it('offers "Set API Token" in the welcome text when no token is stored', async function () {
    const wb = workbench();
    await wb.openContainer(container);

    // The welcome content appears once the extension has set its state key.
    await wb.welcomeButton(view, 'Set API Token').waitFor();
    assert.match(await wb.welcomeText(view), /API token/i);
    await wb.screenshot('runners-view-no-token');
  });
});
