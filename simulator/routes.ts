// The Runner API operations: the seven of the spec, plus the resource-class endpoints that
// CircleCI's command-line client uses. Pure request-in, answer-out over the state.

import { isNamespaceName, isResourceClassName } from './names';
import type { SimState } from './state';
import type { ResourceClassEndpointSet } from './types';

export interface ApiRequest {
  method: string;
  /** Path segments after /api/v3, still percent-encoded. */
  segments: string[];
  query: URLSearchParams;
  /** The raw body text; empty when none was sent. */
  bodyText: string;
}

export interface Answer {
  status: number;
  /** Serialized as JSON; absent means an empty body. */
  json?: unknown;
  headers?: Record<string, string>;
}

const NAME_RULE = 'lowercase letters, digits and dashes, as namespace/name';

function error(status: number, message: string): Answer {
  return { status, json: { message } };
}

function notFound(): Answer {
  return error(404, 'Not Found');
}

type Handler = (request: ApiRequest, state: SimState) => Answer;

interface Route {
  pattern: string[];
  methods: Record<string, Handler>;
  set?: 'spec' | 'circleci-cli';
}

type Parsed<T> = { ok: true; value: T } | { ok: false; answer: Answer };

function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  const notObject: Parsed<never> = {
    ok: false,
    answer: error(400, 'The request body must be a JSON object.'),
  };
  if (text.trim() === '') {
    return notObject;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, answer: error(400, 'The request body is not valid JSON.') };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return notObject;
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}

/** Checks a resource class from a query or body; undefined when it is fine. */
function badResourceClass(value: unknown, field: string): Answer | undefined {
  if (typeof value !== 'string' || value === '') {
    return error(400, `${field} is required.`);
  }
  if (!isResourceClassName(value)) {
    return error(400, `${field} "${value}" is not valid: use ${NAME_RULE}.`);
  }
  return undefined;
}

function listRunners(request: ApiRequest, state: SimState): Answer {
  const hasNamespace = request.query.has('namespace');
  const hasClass = request.query.has('resource-class');
  if (hasNamespace === hasClass) {
    return error(400, 'Send exactly one of the namespace and resource-class parameters.');
  }
  if (hasNamespace) {
    const namespace = request.query.get('namespace') ?? '';
    if (!isNamespaceName(namespace)) {
      return error(
        400,
        `namespace "${namespace}" is not valid: use lowercase letters, digits and dashes.`,
      );
    }
    return { status: 200, json: { items: state.liveRunners({ namespace }) } };
  }
  const resourceClass = request.query.get('resource-class') ?? '';
  const bad = badResourceClass(resourceClass, 'resource-class');
  if (bad) {
    return bad;
  }
  return { status: 200, json: { items: state.liveRunners({ resourceClass }) } };
}

function taskCount(field: 'unclaimed_task_count' | 'running_runner_tasks'): Handler {
  return (request, state) => {
    const resourceClass = request.query.get('resource-class') ?? '';
    const bad = badResourceClass(resourceClass, 'resource-class');
    if (bad) {
      return bad;
    }
    const counts = state.taskCounts(resourceClass);
    const value = field === 'unclaimed_task_count' ? counts.unclaimed : counts.running;
    return { status: 200, json: { [field]: value } };
  };
}

function listResourceClasses(request: ApiRequest, state: SimState): Answer {
  const namespace = request.query.get('namespace') ?? '';
  if (!isNamespaceName(namespace)) {
    return error(400, 'namespace is required: lowercase letters, digits and dashes.');
  }
  return { status: 200, json: { items: state.resourceClasses(namespace) } };
}

function readCreateBody(request: ApiRequest): Parsed<{ name: string; description: string }> {
  const parsed = parseJsonObject(request.bodyText);
  if (!parsed.ok) {
    return parsed;
  }
  const body = parsed.value;
  const bad = badResourceClass(body.resource_class, 'resource_class');
  if (bad) {
    return { ok: false, answer: bad };
  }
  if (typeof body.description !== 'string') {
    return { ok: false, answer: error(400, 'description is required.') };
  }
  return {
    ok: true,
    value: { name: body.resource_class as string, description: body.description },
  };
}

/** Creating a class that exists answers 400, the only client error the spec lists for create. */
function createClass(request: ApiRequest, state: SimState, withToken: boolean): Answer {
  const input = readCreateBody(request);
  if (!input.ok) {
    return input.answer;
  }
  const { name, description } = input.value;
  if (state.hasResourceClass(name)) {
    return error(400, `Resource class ${name} already exists.`);
  }
  const created = state.addResourceClass(name, description);
  if (!withToken) {
    return { status: 200, json: created };
  }
  return { status: 200, json: { ...created, token: state.issueToken(name).token } };
}

/**
 * The path parameter: one segment holding `namespace%2Fname`. A segment that cannot be a
 * resource class answers 404, the only client error the spec lists for these operations.
 */
function classFromPath(request: ApiRequest): string | Answer {
  const raw = request.segments[2] ?? '';
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return error(404, 'Resource class not found: the path is not valid percent-encoding.');
  }
  if (!isResourceClassName(name)) {
    return error(404, `Resource class ${name} not found: names look like namespace/name.`);
  }
  return name;
}

function getClass(request: ApiRequest, state: SimState): Answer {
  const name = classFromPath(request);
  if (typeof name !== 'string') {
    return name;
  }
  const found = state.resourceClass(name);
  return found ? { status: 200, json: found } : error(404, `Resource class ${name} not found.`);
}

function deleteClass(request: ApiRequest, state: SimState): Answer {
  const name = classFromPath(request);
  if (typeof name !== 'string') {
    return name;
  }
  return state.removeResourceClass(name)
    ? { status: 200 }
    : error(404, `Resource class ${name} not found.`);
}

function cliListClasses(request: ApiRequest, state: SimState): Answer {
  return listResourceClasses(request, state);
}

function cliCreateToken(request: ApiRequest, state: SimState): Answer {
  const parsed = parseJsonObject(request.bodyText);
  if (!parsed.ok) {
    return parsed.answer;
  }
  const body = parsed.value;
  const bad = badResourceClass(body.resource_class, 'resource_class');
  if (bad) {
    return bad;
  }
  if (typeof body.nickname !== 'string' || body.nickname === '') {
    return error(400, 'nickname is required.');
  }
  const name = body.resource_class as string;
  if (!state.hasResourceClass(name)) {
    return error(404, `Resource class ${name} not found.`);
  }
  const issued = state.issueToken(name);
  return {
    status: 200,
    json: {
      id: issued.id,
      resource_class: name,
      nickname: body.nickname,
      created_at: issued.createdAt,
      token: issued.token,
    },
  };
}

function cliDeleteClass(request: ApiRequest, state: SimState): Answer {
  const id = decodeURIComponent(request.segments[2] ?? '');
  const found = state.resourceClassById(id);
  if (!found) {
    return error(404, `Resource class ${id} not found.`);
  }
  state.removeResourceClass(found.resource_class);
  return { status: 200 };
}

const ROUTES: Route[] = [
  { pattern: ['runner'], methods: { GET: listRunners } },
  { pattern: ['runner', 'tasks'], methods: { GET: taskCount('unclaimed_task_count') } },
  {
    pattern: ['runner', 'tasks', 'running'],
    methods: { GET: taskCount('running_runner_tasks') },
  },
  {
    pattern: ['runner', 'resource-class'],
    set: 'spec',
    methods: {
      GET: listResourceClasses,
      POST: (request, state) => createClass(request, state, true),
    },
  },
  {
    pattern: ['runner', 'resource-class', '*'],
    set: 'spec',
    methods: { GET: getClass, DELETE: deleteClass },
  },
  {
    pattern: ['runner', 'resource'],
    set: 'circleci-cli',
    methods: {
      GET: cliListClasses,
      POST: (request, state) => createClass(request, state, false),
    },
  },
  {
    pattern: ['runner', 'resource', '*'],
    set: 'circleci-cli',
    methods: { DELETE: cliDeleteClass },
  },
  { pattern: ['runner', 'token'], set: 'circleci-cli', methods: { POST: cliCreateToken } },
];

function enabled(route: Route, endpoints: ResourceClassEndpointSet): boolean {
  return route.set === undefined || endpoints === 'both' || endpoints === route.set;
}

function matches(route: Route, segments: string[]): boolean {
  return (
    route.pattern.length === segments.length &&
    route.pattern.every((part, i) => (part === '*' ? segments[i] !== '' : part === segments[i]))
  );
}

/** The operation for this request, or undefined when no route (in the enabled sets) matches. */
export function findHandler(
  request: ApiRequest,
  endpoints: ResourceClassEndpointSet,
): { handler: Handler } | { answer: Answer } | undefined {
  const route = ROUTES.find((r) => enabled(r, endpoints) && matches(r, request.segments));
  if (!route) {
    return undefined;
  }
  const handler = route.methods[request.method];
  if (!handler) {
    const allow = Object.keys(route.methods).join(', ');
    return { answer: { ...error(405, 'Method Not Allowed'), headers: { Allow: allow } } };
  }
  return { handler };
}

export { notFound };
