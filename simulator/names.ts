// Name rules the Runner API applies to namespaces and resource classes.

export const RESOURCE_CLASS_PATTERN = /^[a-z0-9-]+\/[a-z0-9-]+$/;
export const NAMESPACE_PATTERN = /^[a-z0-9-]+$/;

export function isResourceClassName(value: string): boolean {
  return RESOURCE_CLASS_PATTERN.test(value);
}

export function isNamespaceName(value: string): boolean {
  return NAMESPACE_PATTERN.test(value);
}

export function namespaceOf(fullName: string): string {
  const slash = fullName.indexOf('/');
  return slash < 0 ? fullName : fullName.slice(0, slash);
}
