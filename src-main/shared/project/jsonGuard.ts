/**
 * Guards for project.json, which comes from untrusted files: a linear scan before JSON.parse that
 * bounds nesting depth (so nothing later — schema checks, previews, `info --json` — can overflow
 * the stack) and refuses numbers that overflow to ±Infinity (JSON.parse turns 1e999 into
 * Infinity, which JSON.stringify would save back as null), and a preview of any parsed value that
 * never calls toString or JSON.stringify on it.
 */

/** Deeper than anything Blockspin writes (about 8 levels) by a wide margin. */
export const MAX_JSON_DEPTH = 64

/** The first problem found in JSON text (depth or an overflowing number), or null. */
export function jsonTextProblem(text: string, maxDepth: number = MAX_JSON_DEPTH): string | null {
  let depth = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: skip to its closing quote, stepping over escapes.
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i += 2
        else if (d === 0x22) break
        else i++
      }
      i++
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return `it nests deeper than ${maxDepth} levels`
      i++
    } else if (c === 0x7d || c === 0x5d) {
      depth--
      i++
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i
      while (i < n && /[-+.eE0-9]/.test(text[i]!)) i++
      const token = text.slice(start, i)
      const value = Number(token)
      if (value === Infinity || value === -Infinity)
        return `the number ${preview(token, 24)} is too large for a 64-bit float`
    } else {
      i++
    }
  }
  return null
}

function preview(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}

/**
 * A short, one-line description of a parsed JSON value for error messages: strings quoted,
 * objects and arrays summarised by their first entries, at most `max` characters. It only reads
 * own data properties of plain JSON values, so hostile objects ({"toString": 1}) and deep
 * nesting cannot make it throw.
 */
export function previewValue(value: unknown, max = 40): string {
  const text = describe(value, 2)
  return preview(text, max)
}

function describe(value: unknown, depth: number): string {
  if (value === undefined) return 'missing'
  if (value === null || typeof value === 'boolean') return `${value}`
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : 'a non-finite number'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (Array.isArray(value)) {
    if (depth === 0) return '[...]'
    const items = value.slice(0, 4).map((v) => describe(v, depth - 1))
    return `[${items.join(',')}${value.length > 4 ? ',...' : ''}]`
  }
  if (typeof value === 'object') {
    if (depth === 0) return '{...}'
    const keys = Object.keys(value as object)
    const items = keys
      .slice(0, 4)
      .map((k) => `${JSON.stringify(k)}:${describe((value as Record<string, unknown>)[k], depth - 1)}`)
    return `{${items.join(',')}${keys.length > 4 ? ',...' : ''}}`
  }
  return typeof value
}
