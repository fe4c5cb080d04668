// Fault injection: which requests get a spoiled answer, and how.

import { Random, seededRandom } from './random';
import type { FaultInjector, FaultSpec } from './types';

const FRACTION_SEED = 1337;
const BODY_KINDS = ['html', 'empty', 'truncated', 'malformed', 'wrongShape', 'negativeCounts'];

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  random: Random;
}

/** Throws with a readable message when a spec cannot be honoured. */
export function validateFaultSpec(spec: FaultSpec): void {
  const problems: string[] = [];
  if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 200)) {
    problems.push('status must be an HTTP status from 200 to 599');
  }
  if (spec.status !== undefined && spec.status > 599) {
    problems.push('status must be an HTTP status from 200 to 599');
  }
  if (spec.body !== undefined && !BODY_KINDS.includes(spec.body)) {
    problems.push(`body must be one of ${BODY_KINDS.join(', ')}`);
  }
  if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) {
    problems.push('count must be a positive whole number');
  }
  if (spec.fraction !== undefined && !(spec.fraction >= 0 && spec.fraction <= 1)) {
    problems.push('fraction must be between 0 and 1');
  }
  if (spec.trickle !== undefined) {
    const { bytesPerChunk, intervalMs } = spec.trickle;
    if (!(Number.isInteger(bytesPerChunk) && bytesPerChunk > 0 && intervalMs >= 0)) {
      problems.push('trickle needs bytesPerChunk >= 1 and intervalMs >= 0');
    }
  }
  for (const key of ['latencyMs', 'retryAfterSeconds'] as const) {
    const value = spec[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
      problems.push(`${key} must be a number from 0`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`invalid fault: ${problems.join('; ')}`);
  }
}

export class Faults implements FaultInjector {
  private active: ActiveFault[] = [];

  inject(spec: FaultSpec): void {
    validateFaultSpec(spec);
    this.active.push({
      spec: { ...spec },
      remaining: spec.count ?? Number.POSITIVE_INFINITY,
      random: seededRandom(FRACTION_SEED + this.active.length),
    });
  }

  clear(): void {
    this.active = [];
  }

  list(): FaultSpec[] {
    return this.active.map((f) => ({ ...f.spec }));
  }

  /** The fault for this request, if any; counts it against its `count`. */
  take(method: string, path: string): FaultSpec | undefined {
    for (const fault of this.active) {
      const match = fault.spec.match;
      if (match?.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) {
        continue;
      }
      if (match?.path !== undefined && !path.startsWith(match.path)) {
        continue;
      }
      if (fault.spec.fraction !== undefined && !fault.random.chance(fault.spec.fraction)) {
        continue;
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) {
        this.active = this.active.filter((f) => f !== fault);
      }
      return fault.spec;
    }
    return undefined;
  }
}

/** What goes on the wire: status, headers and the exact bytes of the body. */
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n' +
  '<body><h1>Bad Gateway</h1><p>The upstream server did not answer in time.</p></body></html>\n';

const MALFORMED_JSON = '{"items": [{"resource_class": "acme/linux",, }';

/** Every value swapped for one of another type, so the JSON parses but means nothing. */
function wrongShape(value: unknown): unknown {
  if (Array.isArray(value)) {
    return 'not-a-list';
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = typeof inner === 'object' && inner !== null ? wrongShape(inner) : swapType(inner);
    }
    return Object.keys(out).length > 0 ? out : ['unexpected'];
  }
  return swapType(value);
}

function swapType(value: unknown): unknown {
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string') {
    return 42;
  }
  return { unexpected: true };
}

function negativeCounts(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const out: Record<string, unknown> = { ...value };
  for (const key of ['unclaimed_task_count', 'running_runner_tasks']) {
    if (key in out) {
      out[key] = -((typeof out[key] === 'number' ? out[key] : 0) + 3);
    }
  }
  return out;
}

/** Turns the operation's answer (or a fault's status) into bytes, spoiled as the fault asks. */
export function renderAnswer(
  answer: { status: number; json?: unknown; headers?: Record<string, string> },
  fault: FaultSpec | undefined,
  statusText: (status: number) => string,
): WireAnswer {
  let status = answer.status;
  let json = answer.json;
  const headers: Record<string, string> = { ...answer.headers };
  if (fault?.status !== undefined) {
    status = fault.status;
    json = { message: statusText(fault.status) };
  }
  if (fault?.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(fault.retryAfterSeconds);
  }

  const jsonText = json === undefined ? '' : JSON.stringify(json);
  let text = jsonText;
  let type: string | undefined = json === undefined ? undefined : 'application/json';
  switch (fault?.body) {
    case 'html':
      text = HTML_PAGE;
      type = 'text/html; charset=utf-8';
      break;
    case 'empty':
      text = '';
      type = 'application/json';
      break;
    case 'truncated': {
      const whole = jsonText === '' ? '{"message":"incomplete"}' : jsonText;
      text = whole.slice(0, Math.max(1, Math.floor(whole.length / 2)));
      type = 'application/json';
      break;
    }
    case 'malformed':
      text = MALFORMED_JSON;
      type = 'application/json';
      break;
    case 'wrongShape':
      text = JSON.stringify(wrongShape(json ?? {}));
      type = 'application/json';
      break;
    case 'negativeCounts':
      text = JSON.stringify(negativeCounts(json ?? {}));
      type = 'application/json';
      break;
    case undefined:
      break;
  }
  if (type !== undefined) {
    headers['Content-Type'] = type;
  }
  const body = Buffer.from(text, 'utf8');
  headers['Content-Length'] = String(body.length);
  return { status, headers, body };
}
