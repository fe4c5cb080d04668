import * as assert from 'node:assert/strict';

import { apiHostKey, normalizeBaseUrl, parseRetryAfter } from '../../src/api/client';
import { InvalidConfigError } from '../../src/api/errors';

describe('API base URL', () => {
  it('trims and drops trailing slashes', () => {
    assert.equal(
      normalizeBaseUrl('  https://runner.circleci.com/api/v3///  '),
      'https://runner.circleci.com/api/v3',
    );
    assert.equal(normalizeBaseUrl('https://Runner.Example.com:443/'), 'https://runner.example.com');
  });

  it('accepts http:// only for loopback hosts', () => {
    for (const url of [
      'http://localhost:8080/api/v3',
      'http://127.0.0.1:1',
      'http://127.9.8.7',
      'http://[::1]:3000',
    ]) {
      assert.doesNotThrow(() => normalizeBaseUrl(url), url);
    }
    for (const url of [
      'http://runner.example.com',
      'http://10.0.0.1',
      'http://localhost.example.com',
      'http://[::2]',
    ]) {
      assert.throws(() => normalizeBaseUrl(url), /unencrypted/, url);
    }
  });

  it('refuses malformed URLs and other schemes with a sentence', () => {
    const refused: Array<[string, RegExp]> = [
      ['', /empty/],
      ['runner.circleci.com', /not a valid URL/],
      ['ftp://runner.circleci.com', /must start with https/],
      ['file:///etc/passwd', /must start with https/],
      ['https://user:pw@runner.circleci.com', /user name or password/],
      ['https://runner.circleci.com/api/v3?x=1', /"\?" or "#"/],
    ];
    for (const [url, text] of refused) {
      assert.throws(
        () => normalizeBaseUrl(url),
        (error: unknown) => error instanceof InvalidConfigError && text.test(error.message),
        url,
      );
    }
  });

  it('keys tokens by origin: scheme, host and port', () => {
    assert.equal(apiHostKey('https://runner.circleci.com/api/v3/'), 'https://runner.circleci.com');
    assert.equal(apiHostKey('http://127.0.0.1:8080/api/v3'), 'http://127.0.0.1:8080');
    assert.notEqual(apiHostKey('http://127.0.0.1:8080'), apiHostKey('http://127.0.0.1:8081'));
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 15 Jan 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});
