/**
 * Shortens `text` to at most `max` UTF-16 code units (how Slack and Teams count), ending
 * in an ellipsis that shows something was cut, and never splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}

/** `1,234 characters`: how a renderer's "shortened to fit" note counts what it left out. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
