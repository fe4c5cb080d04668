// Starts a real editor for a UI test: the Runner API simulator, code-server
// with this extension and settings pointing at the simulator, and headless
// Chromium showing the workbench. The processes are managed by
// scripts/lib/session.mjs (shared with `npm start` and the screenshots); this
// file gives that module its TypeScript shape.
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Simulator, SimulatorOptions } from '../../simulator/index';
import { Workbench } from './workbench';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');

export interface EditorOptions {
  /** Names the temporary folder; handy when a test keeps it for debugging. */
  label?: string;
  /** Options for the simulator, or false to run without one. */
  simulator?: SimulatorOptions | false;
  /** User settings, applied over apiUrl and namespaces taken from the simulator. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** Sets CIRCLECI_TOKEN, the extension's fallback token; unset by default. */
  token?: string;
  viewport?: { width: number; height: number };
  /** Where `workbench.screenshot()` writes; default test-results/screenshots. */
  screenshotsDir?: string;
}

export interface Editor {
  readonly simulator: Simulator | undefined;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly workbench: Workbench;
  /** Copies code-server's logs (server, extension host, log channels) into `dir`. */
  saveLogs(dir: string): string;
  close(): Promise<void>;
}

interface RawSession {
  simulator: Simulator | undefined;
  server: { workbenchUrl(query?: Record<string, string>): string };
  page: Page;
  context: BrowserContext;
  saveLogs(dir: string): string;
  close(): Promise<void>;
}

interface SessionModule {
  startEditorSession(options: EditorOptions): Promise<RawSession>;
}

function loadSessionModule(): SessionModule {
  // An ES module loaded with require(): Node 20.19 and later support this,
  // and it keeps the compiled tests CommonJS like the rest of out/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(repoRoot, 'scripts', 'lib', 'session.mjs')) as SessionModule;
}

/** Starts an editor and waits until its workbench has loaded. */
export async function openEditor(options: EditorOptions = {}): Promise<Editor> {
  const session = await loadSessionModule().startEditorSession({
    label: 'ui',
    ...options,
  });
  try {
    await session.page.goto(session.server.workbenchUrl());
    const workbench = new Workbench(session.page, options.screenshotsDir ?? screenshotsDir);
    await workbench.waitReady();
    return {
      simulator: session.simulator,
      page: session.page,
      context: session.context,
      workbench,
      saveLogs: (dir) => session.saveLogs(dir),
      close: () => session.close(),
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * After a failed test: a screenshot and code-server's logs under
 * test-results/, named after the test, so the failure can be looked at.
 */
export async function keepEvidence(editor: Editor | undefined, title: string): Promise<void> {
  if (!editor) {
    return;
  }
  const name = title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const shot = await editor.workbench.screenshot(`failed-${name}`).catch(() => undefined);
  const logs = editor.saveLogs(path.join(repoRoot, 'test-results', 'logs', `ui-${name}`));
  console.log(`    evidence: ${shot ?? '(no screenshot)'}, ${logs}`);
}
