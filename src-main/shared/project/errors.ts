/**
 * Every way opening or saving a project can fail, as values. The UI turns each into one
 * sentence with `describeProjectError` (an exhaustive switch: adding a tag without a sentence
 * does not compile).
 */
export type ProjectError =
  | { tag: 'io'; detail: string }
  | { tag: 'not-zip'; detail: string }
  | { tag: 'unsafe-entry'; entry: string }
  | { tag: 'too-many-entries'; count: number; limit: number }
  | { tag: 'too-large'; bytes: number; limit: number }
  | { tag: 'missing-project-json' }
  | { tag: 'bad-envelope'; detail: string }
  | { tag: 'too-new'; formatVersion: number; appVersion: string }
  | { tag: 'migration-failed'; from: number; detail: string }
  | { tag: 'invalid'; detail: string }
  | { tag: 'array-missing'; id: string }
  | { tag: 'array-corrupt'; id: string; detail: string }
  | { tag: 'checksum'; id: string }
  | { tag: 'outside-root'; path: string }
  | { tag: 'not-permitted'; path: string }

/**
 * Text from a file (entry names, JSON excerpts, app versions) made safe to print on one line:
 * control characters (C0, DEL, C1, line and paragraph separators, bidirectional overrides) become
 * \u escapes, so a name cannot carry terminal escape sequences or split a message, and very long
 * text is cut to `max` characters.
 */
export function printable(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max - 3)}...` : text
  return cut.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** One line: describeProjectError with every piece of text from the file escaped (see printable). */
export function describeProjectError(error: ProjectError): string {
  return describeRaw(safeFields(error))
}

function safeFields(error: ProjectError): ProjectError {
  const copy: Record<string, unknown> = { ...error }
  for (const [key, value] of Object.entries(copy)) {
    if (key !== 'tag' && typeof value === 'string') copy[key] = printable(value, key === 'path' ? 1000 : 500)
  }
  return copy as ProjectError
}

function describeRaw(error: ProjectError): string {
  switch (error.tag) {
    case 'io':
      return `The file could not be read or written: ${error.detail}.`
    case 'not-zip':
      return `This is not a Blockspin project: it is not a valid ZIP container (${error.detail}).`
    case 'unsafe-entry':
      return `The project contains an unsafe entry name "${error.entry}" and was not opened.`
    case 'too-many-entries':
      return `The project has ${error.count} entries, more than the ${error.limit} Blockspin accepts.`
    case 'too-large':
      return `The project would unpack to ${error.bytes} bytes, more than the ${error.limit}-byte limit.`
    case 'missing-project-json':
      return 'This is not a Blockspin project: it has no project.json.'
    case 'bad-envelope':
      return `This is not a Blockspin project: ${error.detail}.`
    case 'too-new':
      return `This project was made by Blockspin ${error.appVersion} (format ${error.formatVersion}); update Blockspin to open it.`
    case 'migration-failed':
      return `The project (format ${error.from}) could not be upgraded to the current format: ${error.detail}.`
    case 'invalid':
      return `The project's contents are invalid: ${error.detail}.`
    case 'array-missing':
      return `The project is incomplete: array "${error.id}" is missing.`
    case 'array-corrupt':
      return `The project is damaged: array "${error.id}" ${error.detail}.`
    case 'checksum':
      return `The project is damaged: array "${error.id}" does not match its checksum.`
    case 'outside-root':
      return `"${error.path}" is outside the projects folder, so Blockspin will not touch it.`
    case 'not-permitted':
      return `"${error.path}" was not chosen in a file dialog, so Blockspin will not touch it.`
  }
}
