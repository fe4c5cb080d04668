// Where the API token may travel, and what a failed connection says: over real
// sockets on loopback, with name resolution intercepted so nothing leaves this
// machine.
import * as assert from 'node:assert/strict';
import dns from 'node:dns';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { RunnerApiClient, normalizeBaseUrl } from '../../../src/api/client';
import { InvalidConfigError, NetworkError, RunnerApiError } from '../../../src/api/errors';

const token = 'fake-transport-token-5d2e';

interface Server {
  url: string;
  tokens: Array<string | undefined>;
  close(): Promise<void>;
}

/** A loopback server that records the Circle-Token of each request and answers as told. */
async function serve(answer: (res: http.ServerResponse, seenToken: string) => void) {
  const tokens: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    const seen = req.headers['circle-token'];
    tokens.push(typeof seen === 'string' ? seen : undefined);
    answer(res, typeof seen === 'string' ? seen : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const result: Server = {
    url: `http://127.0.0.1:${port}/api/v3`,
    tokens,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return result;
}

async function failure(promise: Promise<unknown>): Promise<RunnerApiError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(outcome instanceof RunnerApiError, `expected a RunnerApiError, got ${String(outcome)}`);
  assert.ok(!outcome.message.includes(token), 'the token is in the error message');
  return outcome;
}

describe('Transport safety', () => {
  it('refuses http:// except to loopback addresses', () => {
    for (const url of [
      'http://127.0.0.1:8080/api/v3',
      'http://127.1.2.3/api/v3',
      'http://localhost:3000/api/v3',
      'http://[::1]:3000/api/v3',
      'https://runner.circleci.com/api/v3',
    ]) {
      assert.doesNotThrow(() => normalizeBaseUrl(url), url);
    }
    for (const url of [
      'http://runner.circleci.com/api/v3',
      'http://10.0.0.5/api/v3',
      'http://127.0.0.1.example.com/api/v3',
      'http://localhost.example.com/api/v3',
      'http://[::ffff:10.0.0.1]/api/v3',
      'http://0.0.0.0/api/v3',
      'ftp://127.0.0.1/api/v3',
    ]) {
      assert.throws(() => normalizeBaseUrl(url), InvalidConfigError, url);
      assert.throws(() => new RunnerApiClient({ baseUrl: url, token }), InvalidConfigError, url);
    }
  });

  it('does not follow a redirect, so the token never reaches the host it points to', async () => {
    const elsewhere = await serve((res) => res.end('{"items":[]}'));
    const redirecting = await serve((res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/runner?namespace=acme` });
      res.end();
    });
    try {
      const client = new RunnerApiClient({ baseUrl: redirecting.url, token });
      const error = await failure(client.listRunners({ namespace: 'acme' }));
      assert.match(error.message, /redirect \(302\), which is not followed/);
      assert.deepEqual(redirecting.tokens, [token]);
      assert.deepEqual(elsewhere.tokens, [], 'the redirect target received a request');
    } finally {
      await redirecting.close();
      await elsewhere.close();
    }
  });

  it('never repeats the token when a server echoes it in an error message', async () => {
    const echoing = await serve((res, seen) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `bad token ${seen} for this org` }));
    });
    try {
      const client = new RunnerApiClient({ baseUrl: echoing.url, token });
      const error = await failure(client.listRunners({ namespace: 'acme' }));
      assert.match(error.message, /\(400\)/);
      assert.ok(!(error.serverMessage ?? '').includes(token), 'the token is in serverMessage');
    } finally {
      await echoing.close();
    }
  });

  it('says the connection was refused when nothing listens on the port', async () => {
    const closed = await serve((res) => res.end());
    await closed.close();
    const client = new RunnerApiClient({ baseUrl: closed.url, token, retry: { retries: 0 } });
    const error = await failure(client.listRunners({ namespace: 'acme' }));
    assert.ok(error instanceof NetworkError);
    assert.equal(error.failure, 'refused');
    assert.match(error.message, /connection was refused \(ECONNREFUSED\)/);
  });

  it('says a .invalid host could not be resolved, without asking any DNS server', async () => {
    // This machine's resolver is remote, so the lookup is answered here the way
    // getaddrinfo answers for a name that does not exist.
    const realLookup = dns.lookup;
    const asked: string[] = [];
    (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
      asked.push(hostname);
      const callback = rest[rest.length - 1] as (error: Error) => void;
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      process.nextTick(() => callback(error));
    };
    try {
      const client = new RunnerApiClient({
        baseUrl: 'https://runner.invalid/api/v3',
        token,
        retry: { retries: 0 },
      });
      const error = await failure(client.listRunners({ namespace: 'acme' }));
      assert.ok(error instanceof NetworkError);
      assert.equal(error.failure, 'hostNotFound');
      assert.match(error.message, /runner\.invalid could not be resolved \(ENOTFOUND\)/);
    } finally {
      dns.lookup = realLookup;
    }
    assert.deepEqual(asked, ['runner.invalid'], 'the lookup was not intercepted');
  });
});
