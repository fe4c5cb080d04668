// Headless Debian Chromium driven by playwright-core. playwright-core never
// downloads a browser by itself; the executable path is always given.
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium with a fresh profile inside the sandbox and returns its
 * context and first page.
 * @param {ReturnType<import('./sandbox.mjs').createSandbox>} sandbox
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function launchBrowser(sandbox, options = {}) {
  const context = await chromium.launchPersistentContext(sandbox.path('chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    env: sandbox.env(),
    viewport: options.viewport ?? { width: 1280, height: 800 },
    // Playwright would otherwise catch these signals to close the browser and
    // keep the process running; the session's own handler closes everything
    // and exits.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Clipboard commands (copy hostname, copy token) need these in a web workbench.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}
