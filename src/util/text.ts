// Text from the server is data typed in by other people. Before it reaches a
// label, description or tooltip it loses control characters and direction
// overrides, and is cut to a sane length, so it can only ever read as text.

// C0/C1 controls, and the Unicode marks that reorder or hide text.
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Anything the cleaning below would change: an unsafe mark, whitespace other than
// a single inner space. Most text has none, and skips two replaces (trees of
// 20,000 runners clean hundreds of thousands of strings).
const needsCleaning = new RegExp(`${unsafe.source}|[^\\S ]| {2}|^ | $`);

export function toDisplayText(value: string | undefined, maxLength = 200): string {
  if (value === undefined) {
    return '';
  }
  if (value.length <= maxLength && !needsCleaning.test(value)) {
    return value;
  }

  const cleaned = value.replace(unsafe, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned.length <= maxLength) {
    return cleaned;
  }
  return `${cleaned.slice(0, Math.max(0, maxLength - 1))}…`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
