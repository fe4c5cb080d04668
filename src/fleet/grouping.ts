// Groups one namespace's runners under its resource classes. One listRunners
// call per namespace serves every class in it, so grouping happens here rather
// than with a request per class.

import type { ResourceClass, Runner } from '../api/types';

export interface ResourceClassEntry {
  /** Full name, `namespace/name`. */
  name: string;
  shortName: string;
  id?: string;
  description?: string;
  runners: Runner[];
  /** Known only because a runner reported it: the server did not list the class. */
  seenFromRunnersOnly: boolean;
}

export interface Grouping {
  classes: ResourceClassEntry[];
  /** Identical runner records the server sent more than once, dropped here. */
  duplicatesDropped: number;
}

export function shortNameOf(fullName: string): string {
  const slash = fullName.indexOf('/');
  return slash === -1 ? fullName : fullName.slice(slash + 1);
}

function runnerKey(runner: Runner): string {
  return [runner.resourceClass, runner.name, runner.hostname, runner.ip].join('\u0000');
}

/**
 * Puts each runner under its class. Classes listed by the server come first
 * in the result's order (sorted by name); classes only runners mention are
 * added and flagged. With `classes` undefined (the server cannot list them),
 * every class is derived from the runners.
 */
export function groupRunners(
  namespace: string,
  classes: readonly ResourceClass[] | undefined,
  runners: readonly Runner[],
): Grouping {
  const byName = new Map<string, ResourceClassEntry>();

  for (const resourceClass of classes ?? []) {
    const name = resourceClass.resourceClass;
    if (name === undefined || byName.has(name)) {
      continue;
    }
    byName.set(name, {
      name,
      shortName: shortNameOf(name),
      id: resourceClass.id,
      description: resourceClass.description,
      runners: [],
      seenFromRunnersOnly: false,
    });
  }

  const seen = new Map<string, Runner>();
  let duplicatesDropped = 0;
  for (const runner of runners) {
    const key = runnerKey(runner);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      duplicatesDropped++;
      if ((runner.lastConnected ?? 0) > (earlier.lastConnected ?? 0)) {
        seen.set(key, runner);
      }
      continue;
    }
    seen.set(key, runner);
  }

  const prefix = `${namespace}/`;
  for (const runner of seen.values()) {
    const name = runner.resourceClass;
    if (name === undefined || !name.startsWith(prefix)) {
      continue;
    }
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { name, shortName: shortNameOf(name), runners: [], seenFromRunnersOnly: true };
      byName.set(name, entry);
    }
    entry.runners.push(runner);
  }

  const result = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of result) {
    entry.runners.sort(compareRunners);
  }
  return { classes: result, duplicatesDropped };
}

function displayName(runner: Runner): string {
  return runner.name ?? runner.hostname ?? '';
}

/** By name, so rows keep their place while statuses change with time. */
export function compareRunners(a: Runner, b: Runner): number {
  return (
    displayName(a).localeCompare(displayName(b)) ||
    (a.hostname ?? '').localeCompare(b.hostname ?? '') ||
    (a.ip ?? '').localeCompare(b.ip ?? '')
  );
}
