// Data typed in by other people, sent back by the server: markdown, command
// links, HTML, control characters, direction overrides and very long text must
// reach the view as plain, bounded text, never as a link or a command.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Simulator } from '../../simulator/index';
import { ScriptedPrompts, connectedTo, useExtension, waitFor } from './helpers';
import { allNodes, everythingShown, shownItem, statusBar } from './reliabilityKit';

const hostile = [
  '[click me](command:workbench.action.quit)',
  '<img src=x onerror="alert(1)"><a href="command:circleciRunners.clearApiToken">x</a>',
  '**bold** _it_ `code` # heading | cell | $(alert)',
  'line\nbreak\r\u0000nul\u0007bell\u001b[31mred\u009b',
  'abc\u202eevil\u202c\u2066iso\u2069\u200fmark\u061c',
  'x'.repeat(10_000),
];

// Control characters, and the marks that reorder or hide text.
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** A markdown link or image whose target survived unescaped. */
const liveLink = /(^|[^\\])\]\(\s*[^)]*\)/;

describe('Hostile server data', function () {
  this.timeout(60_000);
  const suite = useExtension();

  async function hostileFleet(): Promise<Simulator> {
    const server = await connectedTo(suite.api, { namespaces: ['acme'] });
    hostile.forEach((text, i) => {
      server.state.addResourceClass(`acme/hostile-${i}`, text);
      server.state.addRunner({
        resource_class: `acme/hostile-${i}`,
        name: text,
        hostname: text,
        ip: text,
        version: text,
        os: text,
        arch: text,
        last_connected: new Date().toISOString(),
      });
    });
    // A class name no real server allows, reported by a runner.
    server.state.addRunner({
      resource_class: 'acme/[x](command:workbench.action.quit)\u202e',
      name: 'odd-class-runner',
    });
    await vscode.commands.executeCommand('circleciRunners.refresh');
    await waitFor(
      'the hostile classes',
      () => suite.api.fleet.findClass('acme/hostile-5') !== undefined,
    );
    return server;
  }

  it('shows names, hosts, IPs, versions and descriptions as plain, bounded text', async () => {
    suite.sim = await hostileFleet();
    const nodes = allNodes(suite.api);
    assert.ok(nodes.filter((n) => n.kind === 'runner').length >= hostile.length + 1);

    for (const node of nodes) {
      const view = suite.api.model.present(node);
      const item = shownItem(suite.api, node);
      const where = `${node.kind} ${node.id.slice(0, 60)}`;
      for (const text of [view.label, view.description ?? '', item.label, item.description]) {
        assert.doesNotMatch(text, unsafe, `${where}: control or direction mark in ${text}`);
        assert.ok(text.length <= 300, `${where}: ${text.length} characters`);
      }
      for (const row of view.tooltip.rows) {
        assert.doesNotMatch(row.value, unsafe, `${where}: ${row.label}`);
        assert.ok(row.value.length <= 500, `${where}: ${row.label} of ${row.value.length}`);
      }
      // The real tooltip: untrusted, no HTML, every piece of server text escaped.
      assert.strictEqual(item.tooltipTrusted, false, `${where}: tooltip is trusted`);
      assert.strictEqual(item.tooltipHtml, false, `${where}: tooltip renders HTML`);
      assert.doesNotMatch(item.tooltip, liveLink, `${where}: a link survived in the tooltip`);
      assert.doesNotMatch(item.tooltip, /(^|[^\\])\$\(alert\)/, `${where}: an icon survived`);
      assert.ok(item.tooltip.length < 12_000, `${where}: tooltip of ${item.tooltip.length}`);
    }

    const runner = nodes.find((n) => n.kind === 'runner' && n.resourceClass === 'acme/hostile-0');
    assert.ok(runner);
    const view = suite.api.model.present(runner);
    assert.strictEqual(view.label, hostile[0], 'shown as the text it is, not rendered');
    const long = nodes.find((n) => n.kind === 'runner' && n.resourceClass === 'acme/hostile-5');
    assert.ok(long);
    assert.ok(suite.api.model.present(long).label.endsWith('…'), 'long text is cut, visibly');
  });

  it('keeps hostile class names out of links in the status bar and pickers', async () => {
    suite.sim = await hostileFleet();
    await waitFor('a poll', () => suite.api.queue.state.kind === 'ok');
    const bar = statusBar(suite.api);
    assert.doesNotMatch(bar.tooltipSource, liveLink);
    assert.doesNotMatch(bar.tooltipSource.replace(/\n/g, ' '), unsafe);
    const tooltip = suite.api.statusBarTooltip();
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.strictEqual(tooltip.isTrusted, false);
    assert.strictEqual(tooltip.supportHtml, false);

    for (const command of ['copyRunnerIp', 'deleteResourceClass', 'copyRunnerHostname']) {
      const prompts = new ScriptedPrompts([{ cancel: true }]);
      suite.api.setPrompts(prompts);
      await vscode.commands.executeCommand(`circleciRunners.${command}`);
      const pick = prompts.asked.find((q) => q.kind === 'pick');
      assert.ok(pick?.items && pick.items.length > 0, `${command} offered a pick`);
      for (const label of pick.items) {
        assert.doesNotMatch(label, unsafe, `${command}: ${JSON.stringify(label)}`);
        assert.ok(label.length <= 300, `${command}: label of ${label.length}`);
      }
    }
    for (const text of everythingShown(suite.api)) {
      assert.doesNotMatch(text.replace(/\n/g, ' '), unsafe);
    }
  });
});
