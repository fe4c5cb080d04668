import { InvalidResponseError } from './errors';
import type { ResourceClass, ResourceClassCreation, Runner } from './types';

// Defensive readers for the Runner API's answers. The spec marks every field
// optional, so a missing field stays undefined (unknown), unknown fields are
// ignored, and a field of the wrong type is refused with an error naming it:
// guessing would show people data the server never sent. Field paths are built
// only when something is wrong, so the happy path allocates little.

type JsonObject = Record<string, unknown>;

/** A resource-class token as the `/runner/token` endpoint returns it. */
export interface IssuedToken {
  id?: string;
  resourceClass?: string;
  nickname?: string;
  createdAt?: number;
  token?: string;
}

function fail(field: string, problem: string): never {
  const where = field === '' ? 'The answer' : `The field ${field}`;
  throw new InvalidResponseError(
    `The Runner API sent an answer this extension cannot use: ${where} ${problem}.`,
    { field: field === '' ? undefined : field },
  );
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return `"${clean.length > 40 ? `${clean.slice(0, 37)}...` : clean}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value === 'object' ? 'an object' : typeof value;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function asObject(value: unknown, field: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `should be an object but is ${describeValue(value)}`);
  }
  return value as JsonObject;
}

function optionalString(object: JsonObject, key: string, parent: string): string | undefined {
  const value = object[key];
  if (value === undefined || typeof value === 'string') {
    return value;
  }
  return fail(join(parent, key), `should be text but is ${describeValue(value)}`);
}

// RFC 3339 date-time, the form OpenAPI's `date-time` format names.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 date-time into epoch milliseconds, or undefined when it is not one. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) {
    return undefined;
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  // Date.UTC rolls 30 February over into March; compare the day back to catch it.
  const midnight = Date.UTC(year, month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) {
    return undefined;
  }
  // Milliseconds from the first three fraction digits; finer digits are dropped.
  const fraction = m[7] === undefined ? 0 : Number(m[7].slice(1, 4).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) {
      return undefined;
    }
    offsetMinutes = (offsetHours * 60 + offsetMins) * (m[9] === '-' ? -1 : 1);
  }
  // A leap second (:60) counts as the next second; epoch milliseconds cannot hold it.
  return midnight + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + fraction;
}

function optionalDateTime(object: JsonObject, key: string, parent: string): number | undefined {
  const value = object[key];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    return fail(join(parent, key), `should be a date-time but is ${describeValue(value)}`);
  }
  const ms = parseDateTime(value);
  if (ms === undefined) {
    return fail(join(parent, key), `is not an ISO 8601 date-time: ${describeValue(value)}`);
  }
  return ms;
}

function requiredCount(value: unknown, key: string): number {
  if (value === undefined) {
    // The count is the whole answer; without it there is nothing to show.
    return fail(key, 'is missing');
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    return fail(key, `should be a whole number but is ${describeValue(value)}`);
  }
  if (value < 0) {
    return fail(key, `is negative (${value}); a task count cannot be below zero`);
  }
  return value;
}

/** The `items` list of a list answer. Without it the answer holds nothing usable. */
function itemsOf(body: unknown): unknown[] {
  const object = asObject(body, '');
  const items = object.items;
  if (items === undefined) {
    return fail('items', 'is missing');
  }
  if (!Array.isArray(items)) {
    return fail('items', `should be a list but is ${describeValue(items)}`);
  }
  return items;
}

function readRunner(value: unknown, field: string): Runner {
  const o = asObject(value, field);
  return {
    resourceClass: optionalString(o, 'resource_class', field),
    hostname: optionalString(o, 'hostname', field),
    name: optionalString(o, 'name', field),
    firstConnected: optionalDateTime(o, 'first_connected', field),
    lastConnected: optionalDateTime(o, 'last_connected', field),
    lastUsed: optionalDateTime(o, 'last_used', field),
    version: optionalString(o, 'version', field),
    ip: optionalString(o, 'ip', field),
    os: optionalString(o, 'os', field),
    arch: optionalString(o, 'arch', field),
  };
}

function readResourceClass(value: unknown, field: string): ResourceClass {
  const o = asObject(value, field);
  return {
    id: optionalString(o, 'id', field),
    resourceClass: optionalString(o, 'resource_class', field),
    description: optionalString(o, 'description', field),
  };
}

/** `GET /runner`: `{items: Runner[]}`. */
export function parseRunnerList(body: unknown): Runner[] {
  const items = itemsOf(body);
  const runners = new Array<Runner>(items.length);
  for (let i = 0; i < items.length; i++) {
    runners[i] = readRunner(items[i], `items[${i}]`);
  }
  return runners;
}

/** `GET /runner/tasks`: `{unclaimed_task_count}`. */
export function parseUnclaimedTaskCount(body: unknown): number {
  const o = asObject(body, '');
  return requiredCount(o.unclaimed_task_count, 'unclaimed_task_count');
}

/** `GET /runner/tasks/running`: `{running_runner_tasks}`. */
export function parseRunningTaskCount(body: unknown): number {
  const o = asObject(body, '');
  return requiredCount(o.running_runner_tasks, 'running_runner_tasks');
}

/** `GET /runner/resource-class` (and the command-line client's `/runner/resource`). */
export function parseResourceClassList(body: unknown): ResourceClass[] {
  const items = itemsOf(body);
  const classes = new Array<ResourceClass>(items.length);
  for (let i = 0; i < items.length; i++) {
    classes[i] = readResourceClass(items[i], `items[${i}]`);
  }
  return classes;
}

/** `GET /runner/resource-class/{name}` and the command-line client's `POST /runner/resource`. */
export function parseResourceClass(body: unknown): ResourceClass {
  return readResourceClass(body, '');
}

/** `POST /runner/resource-class`: the class plus its one-time token. */
export function parseResourceClassCreation(body: unknown): ResourceClassCreation {
  const o = asObject(body, '');
  return { ...readResourceClass(o, ''), token: optionalString(o, 'token', '') };
}

/** The command-line client's `POST /runner/token`. */
export function parseIssuedToken(body: unknown): IssuedToken {
  const o = asObject(body, '');
  return {
    id: optionalString(o, 'id', ''),
    resourceClass: optionalString(o, 'resource_class', ''),
    nickname: optionalString(o, 'nickname', ''),
    createdAt: optionalDateTime(o, 'created_at', ''),
    token: optionalString(o, 'token', ''),
  };
}
