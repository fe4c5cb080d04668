// Shared helpers for the simulator's tests: real HTTP against a started simulator.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_TOKEN } from '../../simulator/index';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** One API call with the demo token unless `token` says otherwise (null sends none). */
export async function call(
  baseUrl: string,
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; rawBody?: string; token?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token === undefined ? DEMO_TOKEN : options.token;
  if (token !== null) {
    headers['Circle-Token'] = token;
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${pathAndQuery}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The repository root, found from wherever the compiled test runs. */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 10; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error('package.json not found above the test');
}

export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  return (value as Record<string, unknown>)[key];
}

export function items(value: unknown): Record<string, unknown>[] {
  const list = field(value, 'items');
  if (!Array.isArray(list)) {
    throw new Error(`expected {items: [...]}, got ${JSON.stringify(value)}`);
  }
  return list as Record<string, unknown>[];
}
