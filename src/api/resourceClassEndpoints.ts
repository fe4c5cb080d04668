import { createBody, type RunnerApiClient } from './client';
import {
  AbortedError,
  NetworkError,
  NotFoundError,
  TimeoutError,
  TokenNotIssuedError,
  InvalidConfigError,
  InvalidResponseError,
  RunnerApiError,
} from './errors';
import { assertNamespace, assertResourceClassName, namespaceOf } from './names';
import { parseIssuedToken, parseResourceClass, parseResourceClassList } from './parse';
import type {
  CreateResourceClassInput,
  RequestOptions,
  ResourceClass,
  ResourceClassCreation,
} from './types';

// Two servers, two ways to manage resource classes: the spec's `/runner/resource-class`
// endpoints, and the `/runner/resource` plus `/runner/token` endpoints that CircleCI's
// command-line client calls. Callers pick one through this interface and never branch.

export type ResourceClassDialect = 'spec' | 'circleci-cli';

export interface ResourceClassEndpoints {
  readonly dialect: ResourceClassDialect;
  list(namespace: string, options?: RequestOptions): Promise<ResourceClass[]>;
  get(resourceClass: string, options?: RequestOptions): Promise<ResourceClass>;
  create(input: CreateResourceClassInput, options?: RequestOptions): Promise<ResourceClassCreation>;
  delete(resourceClass: string, options?: RequestOptions): Promise<void>;
}

/** The nickname given to the token issued right after a class is created. */
const TOKEN_NICKNAME = 'default';

class SpecEndpoints implements ResourceClassEndpoints {
  readonly dialect = 'spec';

  constructor(private readonly client: RunnerApiClient) {}

  list(namespace: string, options?: RequestOptions): Promise<ResourceClass[]> {
    return this.client.listResourceClasses(namespace, options);
  }

  get(resourceClass: string, options?: RequestOptions): Promise<ResourceClass> {
    return this.client.getResourceClass(resourceClass, options);
  }

  create(
    input: CreateResourceClassInput,
    options?: RequestOptions,
  ): Promise<ResourceClassCreation> {
    return this.client.createResourceClass(input, options);
  }

  delete(resourceClass: string, options?: RequestOptions): Promise<void> {
    return this.client.deleteResourceClass(resourceClass, options);
  }
}

class CliEndpoints implements ResourceClassEndpoints {
  readonly dialect = 'circleci-cli';

  constructor(private readonly client: RunnerApiClient) {}

  async list(namespace: string, options?: RequestOptions): Promise<ResourceClass[]> {
    assertNamespace(namespace);
    return this.client.request(
      {
        method: 'GET',
        path: '/runner/resource',
        query: { namespace },
        parse: parseResourceClassList,
        subject: `namespace ${namespace}`,
      },
      options,
    );
  }

  async get(resourceClass: string, options?: RequestOptions): Promise<ResourceClass> {
    assertResourceClassName(resourceClass);
    const classes = await this.list(namespaceOf(resourceClass), options);
    const found = classes.find((c) => c.resourceClass === resourceClass);
    if (found === undefined) {
      throw missing(resourceClass);
    }
    return found;
  }

  async create(
    input: CreateResourceClassInput,
    options?: RequestOptions,
  ): Promise<ResourceClassCreation> {
    const body = createBody(input);
    const created = await this.client.request(
      {
        method: 'POST',
        path: '/runner/resource',
        body,
        parse: parseResourceClass,
        subject: `namespace ${namespaceOf(body.resource_class)}`,
      },
      options,
    );

    try {
      const issued = await this.client.request(
        {
          method: 'POST',
          path: '/runner/token',
          body: { resource_class: body.resource_class, nickname: TOKEN_NICKNAME },
          parse: parseIssuedToken,
          subject: `resource class ${body.resource_class}`,
        },
        options,
      );
      if (issued.token === undefined) {
        throw new InvalidResponseError(
          'The Runner API answered the token request without a token.',
          { method: 'POST', path: '/runner/token', field: 'token' },
        );
      }
      return { ...created, token: issued.token };
    } catch (error) {
      throw tokenNotIssued(body.resource_class, created, error);
    }
  }

  async delete(resourceClass: string, options?: RequestOptions): Promise<void> {
    const found = await this.get(resourceClass, options);
    if (found.id === undefined) {
      throw new InvalidResponseError(
        `The Runner API listed the resource class ${resourceClass} without its id, ` +
          'so it cannot be deleted.',
        { method: 'GET', path: '/runner/resource', field: 'id' },
      );
    }
    await this.client.request(
      {
        method: 'DELETE',
        path: `/runner/resource/${encodeURIComponent(found.id)}`,
        parse: () => undefined,
        ignoreBody: true,
        subject: `resource class ${resourceClass}`,
      },
      options,
    );
  }
}

function missing(resourceClass: string): NotFoundError {
  return new NotFoundError(
    `The Runner API lists no resource class ${resourceClass} in namespace ` +
      `${namespaceOf(resourceClass)}. It may not exist, or the API token's user may not ` +
      'be allowed to see it.',
    { method: 'GET', path: '/runner/resource' },
  );
}

function tokenNotIssued(name: string, created: ResourceClass, cause: unknown): TokenNotIssuedError {
  // When no answer arrived, the server may have issued a token we never saw; say so.
  const unknownOutcome =
    cause instanceof NetworkError ||
    cause instanceof TimeoutError ||
    cause instanceof AbortedError ||
    cause instanceof InvalidResponseError;
  const what = unknownOutcome
    ? 'but no token was received for it'
    : 'but no token was issued for it';
  const reason = cause instanceof Error ? ` ${cause.message}` : '';
  return new TokenNotIssuedError(
    `The resource class ${name} was created and exists now, ${what}.${reason} ` +
      'Runners cannot use it without a token: delete the class and create it again, ' +
      'or issue a token with the CircleCI command-line client.',
    {
      method: 'POST',
      path: '/runner/token',
      status: cause instanceof RunnerApiError ? cause.status : undefined,
      resourceClass: created,
      cause,
    },
  );
}

/** The resource-class operations for the chosen dialect, over one client. */
export function createResourceClassEndpoints(
  dialect: ResourceClassDialect,
  client: RunnerApiClient,
): ResourceClassEndpoints {
  if (dialect === 'circleci-cli') {
    return new CliEndpoints(client);
  }
  if (dialect === 'spec') {
    return new SpecEndpoints(client);
  }
  throw new InvalidConfigError(
    `Unknown resource class endpoints "${String(dialect)}"; use "spec" or "circleci-cli".`,
  );
}
