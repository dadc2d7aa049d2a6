/**
 * Cuts text to at most `max` UTF-16 units without splitting a character: `String#slice` can leave
 * half of an emoji (a lone surrogate), which PostgreSQL rejects in json columns and which renders as
 * garbage.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return text.slice(0, end)
}
