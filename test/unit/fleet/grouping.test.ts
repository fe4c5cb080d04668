import * as assert from 'node:assert/strict';
import type { Runner } from '../../../src/api/types';
import { groupRunners } from '../../../src/fleet/grouping';

const runner = (resourceClass: string, name: string, extra: Partial<Runner> = {}): Runner => ({
  resourceClass,
  name,
  hostname: `${name}.lan`,
  ...extra,
});

describe('grouping runners under resource classes', () => {
  it('puts each runner under its listed class and keeps classes without runners', () => {
    const { classes } = groupRunners(
      'acme',
      [
        { resourceClass: 'acme/linux', id: 'a', description: 'Linux' },
        { resourceClass: 'acme/empty', id: 'b', description: 'Nobody' },
      ],
      [runner('acme/linux', 'b-host'), runner('acme/linux', 'a-host')],
    );

    assert.deepEqual(
      classes.map((c) => [c.name, c.runners.map((r) => r.name), c.seenFromRunnersOnly]),
      [
        ['acme/empty', [], false],
        ['acme/linux', ['a-host', 'b-host'], false],
      ],
    );
    assert.equal(classes[1]?.description, 'Linux');
    assert.equal(classes[1]?.shortName, 'linux');
  });

  it('adds classes that only runners mention, flagged, and ignores other namespaces', () => {
    const { classes } = groupRunners(
      'acme',
      [{ resourceClass: 'acme/linux' }],
      [runner('acme/mac', 'm1'), runner('globex/linux', 'g1'), runner('acme/linux', 'l1')],
    );
    assert.deepEqual(
      classes.map((c) => [c.name, c.seenFromRunnersOnly]),
      [
        ['acme/linux', false],
        ['acme/mac', true],
      ],
    );
  });

  it('derives every class from runners when the server cannot list classes', () => {
    const { classes } = groupRunners('acme', undefined, [
      runner('acme/b', 'x'),
      runner('acme/a', 'y'),
    ]);
    assert.deepEqual(
      classes.map((c) => c.name),
      ['acme/a', 'acme/b'],
    );
    assert.ok(classes.every((c) => c.seenFromRunnersOnly));
  });

  it('shows a runner the server listed twice once, with its latest contact', () => {
    const { classes, duplicatesDropped } = groupRunners(
      'acme',
      [{ resourceClass: 'acme/linux' }],
      [
        runner('acme/linux', 'dup', { lastConnected: 1000 }),
        runner('acme/linux', 'dup', { lastConnected: 5000 }),
        runner('acme/linux', 'other'),
      ],
    );
    assert.equal(duplicatesDropped, 1);
    assert.deepEqual(
      classes[0]?.runners.map((r) => [r.name, r.lastConnected]),
      [
        ['dup', 5000],
        ['other', undefined],
      ],
    );
  });
});
