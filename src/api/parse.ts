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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number in `count` decimal digits at `start`, or -1 if any is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return -1;
    }
    value = value * 10 + d;
  }
  return value;
}

/** Days from 1970-01-01 to a valid proleptic Gregorian date (a civil-calendar formula). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses an RFC 3339 date-time (the form OpenAPI's `date-time` names) into epoch
 * milliseconds, or undefined when it is not one. Hand-written rather than a regular
 * expression and Date.parse, because Date.parse accepts 30 February and a list of
 * 20,000 runners holds 60,000 of these.
 */
export function parseDateTime(text: string): number | undefined {
  if (
    text.length < 20 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (text.charCodeAt(10) | 32) !== 116 || // T or t
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
    return undefined;
  }
  if (minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > monthDays) {
    return undefined;
  }

  // Fraction: milliseconds from the first three digits; finer digits are dropped.
  let index = 19;
  let fraction = 0;
  if (text.charCodeAt(index) === 46) {
    index++;
    const first = index;
    while (index < text.length && digitsAt(text, index, 1) >= 0) {
      if (index - first < 3) {
        fraction = fraction * 10 + (text.charCodeAt(index) - 48);
      }
      index++;
    }
    const seen = index - first;
    if (seen === 0) {
      return undefined;
    }
    fraction *= seen === 1 ? 100 : seen === 2 ? 10 : 1;
  }

  let offsetMinutes = 0;
  const zone = text.charCodeAt(index);
  const isUtc = (zone | 32) === 122 && index + 1 === text.length; // Z or z
  if (!isUtc) {
    if ((zone !== 43 && zone !== 45) || index + 6 !== text.length) {
      return undefined;
    }
    const offsetHours = digitsAt(text, index + 1, 2);
    const offsetMins = digitsAt(text, index + 4, 2);
    if (text.charCodeAt(index + 3) !== 58 || offsetHours < 0 || offsetHours > 23) {
      return undefined;
    }
    if (offsetMins < 0 || offsetMins > 59) {
      return undefined;
    }
    offsetMinutes = (offsetHours * 60 + offsetMins) * (zone === 45 ? -1 : 1);
  }

  // A leap second (:60) counts as the next second; epoch milliseconds cannot hold it.
  const minutes = daysFromCivil(year, month, day) * 1440 + hour * 60 + minute - offsetMinutes;
  return (minutes * 60 + second) * 1000 + fraction;
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
