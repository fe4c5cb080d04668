// Requests that exercise every success and error answer of the seven spec operations, in an
// order that works against fresh demo data (create, then get and delete what was created).

export interface SpecCall {
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  expect: number;
  /** Breaks the spec's request rules, so a validating proxy refuses it before the server. */
  specInvalid?: boolean;
  /** Prism 5.14 exits with a URIError on malformed percent-encoding, so proxy checks omit it. */
  breaksPrism?: boolean;
}

export const SPEC_CALLS: SpecCall[] = [
  { method: 'GET', path: '/runner?namespace=acme', expect: 200 },
  { method: 'GET', path: '/runner?namespace=globex', expect: 200 },
  { method: 'GET', path: '/runner?resource-class=acme%2Fmacos', expect: 200 },
  { method: 'GET', path: '/runner?namespace=nobody', expect: 200 },
  { method: 'GET', path: '/runner', expect: 400 },
  { method: 'GET', path: '/runner?namespace=acme&resource-class=acme/macos', expect: 400 },
  { method: 'GET', path: '/runner?namespace=acme', token: null, expect: 401 },
  { method: 'GET', path: '/runner/tasks?resource-class=acme/linux-amd64', expect: 200 },
  { method: 'GET', path: '/runner/tasks?resource-class=acme/unknown', expect: 200 },
  { method: 'GET', path: '/runner/tasks', expect: 400, specInvalid: true },
  { method: 'GET', path: '/runner/tasks?resource-class=acme', token: 'wrong', expect: 401 },
  { method: 'GET', path: '/runner/tasks/running?resource-class=acme/linux-amd64', expect: 200 },
  { method: 'GET', path: '/runner/tasks/running?resource-class=BAD', expect: 400 },
  { method: 'GET', path: '/runner/tasks/running', token: null, expect: 401 },
  { method: 'GET', path: '/runner/resource-class?namespace=acme', expect: 200 },
  { method: 'GET', path: '/runner/resource-class?namespace=empty-org', expect: 200 },
  { method: 'GET', path: '/runner/resource-class', expect: 400, specInvalid: true },
  { method: 'GET', path: '/runner/resource-class?namespace=acme', token: null, expect: 401 },
  {
    method: 'POST',
    path: '/runner/resource-class',
    body: { resource_class: 'acme/conformance', description: 'Made by the conformance test' },
    expect: 200,
  },
  {
    method: 'POST',
    path: '/runner/resource-class',
    body: { resource_class: 'acme/conformance', description: 'again' },
    expect: 400,
  },
  {
    method: 'POST',
    path: '/runner/resource-class',
    body: { resource_class: 'x' },
    expect: 400,
    specInvalid: true,
  },
  {
    method: 'POST',
    path: '/runner/resource-class',
    rawBody: '{oops',
    expect: 400,
    specInvalid: true,
  },
  {
    method: 'POST',
    path: '/runner/resource-class',
    body: { resource_class: 'acme/other', description: 'd' },
    token: null,
    expect: 401,
  },
  { method: 'GET', path: '/runner/resource-class/acme%2Fconformance', expect: 200 },
  { method: 'GET', path: '/runner/resource-class/acme%2Fmissing', expect: 404 },
  { method: 'GET', path: '/runner/resource-class/not-a-name', expect: 404 },
  { method: 'GET', path: '/runner/resource-class/acme%2Fmacos', token: null, expect: 401 },
  { method: 'DELETE', path: '/runner/resource-class/acme%2Fconformance', expect: 200 },
  { method: 'DELETE', path: '/runner/resource-class/acme%2Fconformance', expect: 404 },
  { method: 'DELETE', path: '/runner/resource-class/acme%2Fmacos', token: null, expect: 401 },
  { method: 'DELETE', path: '/runner/resource-class/%E0%A4%A', expect: 404, breaksPrism: true },
];
