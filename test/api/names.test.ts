import * as assert from 'node:assert/strict';

import { InvalidNameError } from '../../src/api/errors';
import {
  assertResourceClassName,
  describeNamespaceProblem,
  describeResourceClassNameProblem,
  describeShortNameProblem,
} from '../../src/api/names';

describe('Resource class and namespace names', () => {
  it('accepts lowercase letters, digits and dashes on both sides of one slash', () => {
    for (const name of ['acme/linux', 'a-1/b-2', '0/0', 'acme/linux-arm64']) {
      assert.equal(describeResourceClassNameProblem(name), undefined, name);
    }
  });

  const wrong: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['acme', /has no slash/],
    ['acme/linux/large', /has 2 slashes/],
    ['/linux', /namespace \(before the slash\) is empty/],
    ['acme/', /name after the slash is empty/],
    ['Acme/linux', /uppercase letters \(A\)/],
    ['acme/linux large', /contains spaces/],
    ['acme/linux_large', /not allowed: "_"/],
    ['acme.io/linux', /not allowed: "\."/],
    ['acme/linux\u0007', /control character \(U\+0007\)/],
  ];
  for (const [name, text] of wrong) {
    it(`explains what is wrong with ${JSON.stringify(name)}`, () => {
      const problem = describeResourceClassNameProblem(name);
      assert.ok(problem !== undefined);
      assert.match(problem, text);
    });
  }

  it('checks a namespace on its own', () => {
    assert.equal(describeNamespaceProblem('acme'), undefined);
    assert.match(describeNamespaceProblem('acme/linux') ?? '', /slash/);
    assert.match(describeNamespaceProblem('') ?? '', /empty/);
  });

  it('checks the short name typed after the namespace', () => {
    assert.equal(describeShortNameProblem('linux-large'), undefined);
    assert.match(describeShortNameProblem('acme/linux') ?? '', /namespace is added/);
    assert.match(describeShortNameProblem('Linux') ?? '', /uppercase/);
  });

  it('refuses input that is not text', () => {
    const notText = 42 as unknown as string;
    assert.match(describeResourceClassNameProblem(notText) ?? '', /not text/);
  });

  it('assertResourceClassName throws InvalidNameError with the explanation', () => {
    assert.throws(
      () => assertResourceClassName('acme'),
      (error: unknown) => error instanceof InvalidNameError && /no slash/.test(error.message),
    );
    assert.doesNotThrow(() => assertResourceClassName('acme/linux'));
  });
});
