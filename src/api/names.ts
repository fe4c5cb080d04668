import { InvalidNameError } from './errors';

// Resource class names are `namespace/name`, each part made of lowercase letters,
// digits and dashes. The checks below explain what is wrong in words, because the
// server's own answer to a bad name is a bare 400 or a 404 that says nothing.

const PART = /^[a-z0-9-]+$/;
const EXAMPLE = 'acme/linux-large';

/** Names the characters a part may not hold, each once, in the order they appear. */
function disallowedCharacters(value: string): string[] {
  const seen = new Set<string>();
  for (const char of value) {
    if (!/[a-z0-9-]/.test(char) && !/[A-Z]/.test(char) && !/\s/.test(char) && char !== '/') {
      seen.add(char);
    }
  }
  return [...seen];
}

function showCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  }
  return `"${char}"`;
}

/**
 * Describes what is wrong with one part of a name. `subject` starts the sentence,
 * for example "The namespace" or "The name after the slash".
 */
function describePartProblem(
  value: string,
  subject: string,
  slashHint: string,
): string | undefined {
  if (PART.test(value)) {
    return undefined;
  }
  if (value.length === 0) {
    return `${subject} is empty.`;
  }
  const problems: string[] = [];
  if (/\s/.test(value)) {
    problems.push('contains spaces');
  }
  const upper = [...new Set(value.match(/[A-Z]/g) ?? [])];
  if (upper.length > 0) {
    problems.push(`has uppercase letters (${upper.join(', ')})`);
  }
  if (value.includes('/')) {
    problems.push(slashHint);
  }
  const other = disallowedCharacters(value);
  if (other.length > 0) {
    const listed = other.slice(0, 5).map(showCharacter).join(', ');
    const more = other.length > 5 ? ' and others' : '';
    problems.push(`contains characters that are not allowed: ${listed}${more}`);
  }
  return `${subject} ${problems.join(', and ')}. Use lowercase letters, digits and dashes.`;
}

function notText(value: unknown, what: string): string | undefined {
  return typeof value === 'string' ? undefined : `The ${what} is not text.`;
}

/** What is wrong with a namespace (an organization name in CircleCI), or undefined. */
export function describeNamespaceProblem(namespace: string): string | undefined {
  return (
    notText(namespace, 'namespace') ??
    describePartProblem(namespace, 'The namespace', 'has a slash; give the namespace alone')
  );
}

/** What is wrong with the name after the slash, as typed into an input box, or undefined. */
export function describeShortNameProblem(name: string): string | undefined {
  return (
    notText(name, 'resource class name') ??
    describePartProblem(
      name,
      'The resource class name',
      'has a slash; the namespace is added in front for you',
    )
  );
}

/** What is wrong with a full `namespace/name` resource class name, or undefined. */
export function describeResourceClassNameProblem(resourceClass: string): string | undefined {
  const wrongType = notText(resourceClass, 'resource class name');
  if (wrongType !== undefined) {
    return wrongType;
  }
  if (resourceClass.length === 0) {
    return `The resource class name is empty. Enter it as namespace/name, for example ${EXAMPLE}.`;
  }

  const slashes = resourceClass.split('/').length - 1;
  if (slashes === 0) {
    return (
      `The resource class name "${preview(resourceClass)}" has no slash. ` +
      `Write it as namespace/name, for example ${EXAMPLE}.`
    );
  }
  if (slashes > 1) {
    return (
      `The resource class name "${preview(resourceClass)}" has ${slashes} slashes; ` +
      `it needs exactly one, between namespace and name, for example ${EXAMPLE}.`
    );
  }

  const [namespace = '', name = ''] = resourceClass.split('/');
  return (
    describePartProblem(namespace, 'The namespace (before the slash)', '') ??
    describePartProblem(name, 'The name after the slash', '')
  );
}

/** Throws InvalidNameError when the resource class name cannot be valid. */
export function assertResourceClassName(resourceClass: string): void {
  const problem = describeResourceClassNameProblem(resourceClass);
  if (problem !== undefined) {
    throw new InvalidNameError(problem);
  }
}

/** Throws InvalidNameError when the namespace cannot be valid. */
export function assertNamespace(namespace: string): void {
  const problem = describeNamespaceProblem(namespace);
  if (problem !== undefined) {
    throw new InvalidNameError(problem);
  }
}

/** The namespace part of a resource class name that has already been checked. */
export function namespaceOf(resourceClass: string): string {
  return resourceClass.slice(0, resourceClass.indexOf('/'));
}

/** A short, printable rendering of user input for use inside a message. */
function preview(value: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 57)}...` : printable;
}
