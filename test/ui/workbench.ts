// A page object over VS Code's workbench (as served by code-server 4.100.3),
// so UI tests read as user steps and the CSS selectors live in one place.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';

export interface TreeRow {
  /** The item's label as shown. */
  label: string;
  /** The grey text after the label, if any. */
  description: string;
  /** The row's accessible name; VS Code uses the item's tooltip when it has one. */
  ariaLabel: string;
  /** 1 for top-level items. */
  level: number;
  /** undefined for items that cannot expand. */
  expanded: boolean | undefined;
}

export interface StatusBarEntry {
  text: string;
  ariaLabel: string;
}

export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
}

const defaultTimeoutMs = 15_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotsDir: string,
  ) {
    page.setDefaultTimeout(defaultTimeoutMs);
  }

  async waitReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor();
    await this.page.locator('.activitybar .action-item').first().waitFor();
    await this.page.locator('.statusbar').waitFor();
  }

  /** Shows a view container from the activity bar, leaving it open if it already is. */
  async openContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor();
    // Clicking the entry of the container already shown would hide the side bar.
    if (!(await this.isChecked(item))) {
      await item.locator('a.action-label').click();
    }
    await this.page.waitForFunction(
      (element) => element?.classList.contains('checked') ?? false,
      await item.elementHandle(),
    );
  }

  async isContainerOpen(title: string): Promise<boolean> {
    return this.isChecked(this.activityBarItem(title));
  }

  /** Waits until no progress bar runs in the side bar (a view loading, an extension starting). */
  async waitForSideBarIdle(): Promise<void> {
    await this.page
      .locator('.sidebar .monaco-progress-container:not(.done)')
      .first()
      .waitFor({ state: 'hidden' });
  }

  /** Drags the side bar's edge so it is `width` pixels wide (long descriptions fit). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) {
      throw new Error('the side bar is not shown');
    }
    const edge = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(edge - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The side bar's title, as written (the workbench upper-cases it only in CSS). */
  async sideBarTitle(): Promise<string> {
    const title = this.page.locator('.sidebar .composite.title h2');
    return ((await title.textContent()) ?? '').trim();
  }

  /** The pane of the view named `name` in the side bar. */
  view(name: string): Locator {
    return this.page.locator('.sidebar .pane').filter({
      has: this.page.locator(`.pane-header[aria-label="${name} Section"]`),
    });
  }

  /** The text of a view's welcome content, or '' when the view shows none. */
  async welcomeText(viewName: string): Promise<string> {
    const content = this.view(viewName).locator('.welcome-view-content');
    if ((await content.count()) === 0 || !(await content.isVisible())) {
      return '';
    }
    return (await content.innerText()).trim();
  }

  /** The buttons (command links) in a view's welcome content. */
  welcomeButton(viewName: string, label: string): Locator {
    return this.view(viewName)
      .locator('.welcome-view-content .monaco-button')
      .filter({ hasText: label });
  }

  /** The rows the tree in `viewName` shows now, top to bottom. */
  async treeRows(viewName: string): Promise<TreeRow[]> {
    const rows = this.view(viewName).locator('.pane-body .monaco-list-row');
    return rows.evaluateAll((elements) =>
      elements.map((row) => {
        const text = (selector: string): string =>
          row.querySelector(selector)?.textContent?.trim() ?? '';
        const expanded = row.getAttribute('aria-expanded');
        return {
          label: text('.label-name'),
          description: text('.label-description'),
          ariaLabel: row.getAttribute('aria-label') ?? '',
          level: Number(row.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? undefined : expanded === 'true',
        };
      }),
    );
  }

  /** The row whose label is exactly `label`. */
  treeRow(viewName: string, label: string): Locator {
    return this.view(viewName)
      .locator('.pane-body .monaco-list-row')
      .filter({ has: this.page.getByText(label, { exact: true }) });
  }

  async expandRow(viewName: string, label: string): Promise<void> {
    const row = this.treeRow(viewName, label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await this.page.waitForFunction(
      (element) => element?.getAttribute('aria-expanded') === 'true',
      await row.elementHandle(),
    );
  }

  /** Clicks one of the inline action buttons a row shows on hover. */
  async clickRowAction(viewName: string, label: string, action: string): Promise<void> {
    const row = this.treeRow(viewName, label);
    await row.hover();
    await row.locator(`.actions a.action-label[aria-label^="${action}"]`).click();
  }

  /** Runs a command from the palette by its full title, e.g. "CircleCI Runners: Refresh". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.quickInputRow(title);
    await row.waitFor();
    await row.click();
  }

  /** Types into the open input box and presses Enter. */
  async answerInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /**
   * Waits for the input box whose title contains `title`, then types `text`
   * and presses Enter. A command that asks several questions swaps one box
   * for the next; typing before the new box has settled can be wiped.
   */
  async answerInputTitled(title: string, text: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title').filter({ hasText: title }).waitFor();
    const input = widget.locator('input');
    for (let attempt = 0; attempt < 20; attempt++) {
      await input.fill(text);
      await this.page.waitForTimeout(100);
      if ((await input.inputValue()) === text) {
        break;
      }
    }
    await input.press('Enter');
  }

  /** The prompt or validation message below the open input box. */
  async inputMessage(): Promise<string> {
    const message = this.page.locator('.quick-input-widget .quick-input-message');
    return ((await message.textContent()) ?? '').trim();
  }

  /** The labels of the items in the open quick pick. */
  async quickPickItems(): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor();
    return (await rows.locator('.label-name').allTextContents()).map((text) => text.trim());
  }

  /** Picks the quick pick item whose label contains `label`. */
  async pickItem(label: string): Promise<void> {
    const row = this.quickInputRow(label);
    await row.waitFor();
    await row.click();
  }

  async dismissQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** A status bar item by its id (`publisher.name.itemId`), or undefined when not shown. */
  async statusBarItem(id: string): Promise<StatusBarEntry | undefined> {
    const item = this.page.locator(`.statusbar-item[id="${id}"]`);
    if ((await item.count()) === 0 || !(await item.isVisible())) {
      return undefined;
    }
    return {
      // The text starts with the icon's glyph, which renders as nothing.
      text: ((await item.innerText()) ?? '').trim(),
      ariaLabel: (await item.getAttribute('aria-label')) ?? '',
    };
  }

  /** The messages of the notification toasts on screen now. */
  async notifications(): Promise<string[]> {
    const messages = this.page.locator('.notifications-toasts .notification-list-item-message');
    return (await messages.allInnerTexts()).map((text) => text.trim());
  }

  /** Waits for a toast whose message contains `text` and returns it. */
  async waitForNotification(text: string): Promise<Locator> {
    const toast = this.page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ hasText: text });
    await toast.first().waitFor();
    return toast.first();
  }

  async clickNotificationButton(text: string, button: string): Promise<void> {
    const toast = await this.waitForNotification(text);
    await toast.locator('.monaco-button').filter({ hasText: button }).click();
  }

  /** The modal dialog on screen, or undefined when there is none. */
  async dialog(): Promise<Dialog | undefined> {
    const box = this.page.locator('.monaco-dialog-box');
    if ((await box.count()) === 0 || !(await box.isVisible())) {
      return undefined;
    }
    const text = async (selector: string): Promise<string> =>
      ((await box.locator(selector).first().textContent()) ?? '').trim();
    return {
      message: await text('.dialog-message-text'),
      detail: await text('.dialog-message-detail'),
      buttons: (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) =>
        b.trim(),
      ),
    };
  }

  async waitForDialog(): Promise<Dialog> {
    await this.page.locator('.monaco-dialog-box').waitFor();
    const dialog = await this.dialog();
    if (!dialog) {
      throw new Error('the dialog closed before it could be read');
    }
    return dialog;
  }

  async clickDialogButton(label: string): Promise<void> {
    const box = this.page.locator('.monaco-dialog-box');
    await box.locator('.dialog-buttons .monaco-button').filter({ hasText: label }).click();
    await box.waitFor({ state: 'hidden' });
  }

  /**
   * Saves a PNG of the whole window as `name`.png and returns its path. The
   * mouse is moved to an empty corner first so no hover tooltip is caught.
   */
  async screenshot(name: string, dir = this.screenshotsDir): Promise<string> {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    const viewport = this.page.viewportSize();
    await this.page.mouse.move((viewport?.width ?? 1280) - 2, (viewport?.height ?? 800) / 2);
    const hover = this.page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)');
    await hover.first().waitFor({ state: 'hidden', timeout: 5000 });
    await this.page.screenshot({ path: file });
    return file;
  }

  private quickInputRow(text: string): Locator {
    return this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text });
  }

  private activityBarItem(title: string): Locator {
    return this.page
      .locator('.activitybar .action-item')
      .filter({ has: this.page.locator(`a[aria-label^="${title}"]`) });
  }

  private async isChecked(item: Locator): Promise<boolean> {
    return (await item.getAttribute('class'))?.split(/\s+/).includes('checked') ?? false;
  }
}
