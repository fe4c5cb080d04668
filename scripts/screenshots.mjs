// `npm run screenshots`: drives the extension in a real workbench to the
// states worth showing and writes them to docs/screenshots/ for the README.
// Each shot gets its own editor, so one shot's state cannot leak into the
// next. To add a shot, add an entry to `shots`; `steps` receives the page
// object from test/ui/workbench.ts.
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from './lib/paths.mjs';
import { runGroup } from './lib/processes.mjs';

const require = createRequire(import.meta.url);
const outputDir = path.join(repoRoot, 'docs', 'screenshots');
const container = 'CircleCI Runners';
const view = 'Runners';
const demoToken = 'simulator-demo-token';

const shots = [
  {
    name: 'welcome-no-token',
    what: 'first start: no token stored, the view offers to set one',
    editor: {},
    async steps(wb) {
      await wb.openContainer(container);
      await wb.welcomeButton(view, 'Set API Token').waitFor();
      await wb.waitForSideBarIdle();
    },
  },
  {
    name: 'runners-tree',
    what: 'demo data: namespaces, resource classes, one class expanded to its runners',
    editor: { token: demoToken },
    async steps(wb) {
      await wb.openContainer(container);
      await wb.resizeSideBar(520);
      await wb.treeRow(view, 'linux-amd64').waitFor();
      await wb.expandRow(view, 'linux-amd64');
      await wb.waitForSideBarIdle();
      // Let the status bar's first queue poll land.
      await wb.page.waitForTimeout(1500);
    },
  },
  {
    name: 'create-resource-class',
    what: 'Create Resource Class: the class is made and its one-time token offered',
    editor: { token: demoToken },
    async steps(wb) {
      await wb.openContainer(container);
      await wb.treeRow(view, 'acme').waitFor();
      await wb.runCommand('CircleCI Runners: Create Resource Class');
      await wb.pickItem('acme');
      await wb.answerInputTitled('(1/2)', 'linux-big');
      await wb.answerInputTitled('(2/2)', 'Large Linux build machines');
      await wb.waitForDialog();
    },
  },
];

async function build() {
  const node = process.execPath;
  const steps = [
    [node, ['node_modules/typescript/bin/tsc', '-p', '.']],
    [node, ['esbuild.mjs']],
    ['bash', ['scripts/setup-editor.sh']],
  ];
  for (const [command, args] of steps) {
    const { code } = await runGroup(command, args, { cwd: repoRoot, timeoutMs: 30 * 60_000 });
    // tsc reports type errors elsewhere in the tree but still emits; esbuild
    // and the setup must succeed.
    if (code !== 0 && command === 'bash') {
      throw new Error(`${command} ${args.join(' ')} failed`);
    }
  }
}

await build();
const { openEditor } = require(path.join(repoRoot, 'out', 'test', 'ui', 'editor.js'));
const only = process.argv.slice(2);
let failed = 0;
for (const shot of shots.filter((s) => only.length === 0 || only.includes(s.name))) {
  const editor = await openEditor({
    label: `shot-${shot.name}`,
    viewport: { width: 1280, height: 720 },
    screenshotsDir: outputDir,
    ...shot.editor,
  });
  try {
    await shot.steps(editor.workbench, editor);
    const file = await editor.workbench.screenshot(shot.name);
    console.log(`${path.relative(repoRoot, file)}: ${shot.what}`);
  } catch (error) {
    failed += 1;
    console.error(`${shot.name}: ${error.message}`);
    await editor.workbench.screenshot(`failed-${shot.name}`, path.join(repoRoot, 'test-results'));
  } finally {
    await editor.close();
  }
}
process.exitCode = failed > 0 ? 1 : 0;
