// Every body the simulator sends for the seven spec operations, success or error, must
// validate against the spec's own schemas, formats included.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { Simulator, SimulatorServer, startSimulator } from '../../simulator/index';
import { Reply, call, repoRoot } from './helpers';
import { SPEC_CALLS as CALLS } from './specCalls';

interface MediaType {
  schema?: unknown;
}
interface ResponseSpec {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseSpec>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const COMPONENTS_ID = 'https://spec.invalid/components';

/**
 * Statuses the simulator sends that the spec leaves out: listing resource classes without a
 * namespace must be refused, and the spec lists no client error for it. The body must still
 * be the spec's ErrorResponse.
 */
const UNDECLARED: Record<string, number[]> = {
  listResourceClasses: [400],
};

function loadSpec(): OpenApi {
  const file = path.join(repoRoot(), 'test', 'fixtures', 'runner-api.openapi.yml');
  return parse(fs.readFileSync(file, 'utf8')) as OpenApi;
}

/** Points the spec's `#/components/schemas/X` references at a schema ajv knows by id. */
function rewriteRefs(schema: unknown): unknown {
  const text = JSON.stringify(schema).replaceAll(
    '"#/components/schemas/',
    `"${COMPONENTS_ID}#/$defs/`,
  );
  return JSON.parse(text) as unknown;
}

describe('simulator: conformance to the Runner API spec', () => {
  const spec = loadSpec();
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(spec.components.schemas) });
  const errorSchema = ajv.compile({ $ref: `${COMPONENTS_ID}#/$defs/ErrorResponse` });

  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  function operationFor(method: string, requestPath: string): Operation {
    const pathOnly = requestPath.split('?')[0] ?? '';
    const found = templates.find((t) => t.pattern.test(pathOnly));
    const operation = found && spec.paths[found.template]?.[method.toLowerCase()];
    if (!operation) {
      throw new Error(`no spec operation for ${method} ${pathOnly}`);
    }
    return operation;
  }

  function check(method: string, requestPath: string, reply: Reply): string {
    const operation = operationFor(method, requestPath);
    const label = `${operation.operationId} ${reply.status}`;
    const declared = operation.responses[String(reply.status)];
    const schema = declared?.content?.['application/json']?.schema;
    if (!declared) {
      assert.ok(
        UNDECLARED[operation.operationId]?.includes(reply.status),
        `${label}: status not in the spec`,
      );
    }
    if (declared && !declared.content) {
      assert.equal(reply.text, '', `${label}: the spec declares no body`);
      return label;
    }
    assert.equal(reply.headers.get('content-type'), 'application/json', label);
    const body = JSON.parse(reply.text) as unknown;
    const validate = schema ? ajv.compile(rewriteRefs(schema) as object) : errorSchema;
    assert.ok(validate(body), `${label}: ${ajv.errorsText(validate.errors)}\n${reply.text}`);
    return label;
  }

  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
  });

  afterEach(async () => {
    await sim.close();
  });

  it('sends only spec-shaped bodies for all seven operations', async () => {
    const covered = new Set<string>();
    for (const c of CALLS) {
      const reply = await call(sim.url, c.method, c.path, c);
      assert.equal(reply.status, c.expect, `${c.method} ${c.path}: ${reply.text}`);
      covered.add(check(c.method, c.path, reply).split(' ')[0] ?? '');
    }
    const operations = Object.values(spec.paths).flatMap((p) => Object.values(p));
    assert.deepEqual(
      [...covered].sort(),
      operations.map((o) => o.operationId).sort(),
      'every operation was exercised',
    );
  });

  it('stays spec-shaped for generated fleets and after live ticks', async () => {
    sim.state.generate({ namespace: 'bulk', resourceClasses: 30, runners: 400 });
    sim.state.addRunner({ resource_class: 'bulk/pool-01' });
    for (let tick = 0; tick < 30; tick++) {
      (sim as SimulatorServer).tickLive();
    }
    for (const namespace of ['bulk', 'acme', 'globex']) {
      const runners = `/runner?namespace=${namespace}`;
      check('GET', runners, await call(sim.url, 'GET', runners));
      const classes = `/runner/resource-class?namespace=${namespace}`;
      check('GET', classes, await call(sim.url, 'GET', classes));
    }
    for (const rc of sim.state.resourceClasses()) {
      for (const route of ['/runner/tasks', '/runner/tasks/running']) {
        const url = `${route}?resource-class=${encodeURIComponent(rc.resource_class)}`;
        check('GET', url, await call(sim.url, 'GET', url));
      }
    }
  });
});
