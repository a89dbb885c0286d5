import { resolve } from 'node:path'
import { numberOption, parseCommandLine, UsageError } from '../services/args'

/** Command-line options of the web host. */
export interface WebArgs {
  /** The projects folder the in-app picker is rooted at (absolute), or null for the caller's default. */
  root: string | null
  /** null: the caller's default port; 0: any free port. */
  port: number | null
  /** False with --no-open: print the address instead of opening a browser. */
  open: boolean
  /** The example project a first launch opens (absolute); null with --example none; undefined: the bundled one. */
  example?: string | null
  help: boolean
}

export const WEB_USAGE = `Usage: npm run web -- [options]

Serves the Blockspin app to a browser on this computer (127.0.0.1 only).

Options:
  --root DIR    projects folder the file picker is rooted at
  --port N      port to listen on (0 picks a free one)
  --no-open     do not open a browser; just print the address
  --example F   the project a first launch opens as an untitled copy
                (default: the bundled example; 'none' starts with an empty project)
  -h, --help    show this help
`

/**
 * Parses the web host's arguments (without the node and script paths) with the one command-line
 * parser (services/args.ts): `--opt value` and `--opt=value`; a relative --root is resolved
 * against `cwd`. Throws UsageError.
 */
export function parseWebArgs(argv: readonly string[], cwd: string = process.cwd()): WebArgs {
  const { opts } = parseCommandLine(argv, {
    flags: ['--no-open', '--help'],
    valued: ['--root', '--port', '--example'],
    short: { '-h': '--help' }
  })
  const dir = opts['--root']
  if (dir !== undefined) {
    if (typeof dir !== 'string' || dir.trim() === '')
      throw new UsageError('--root needs a folder, not an empty string.')
    if (dir.includes('\0')) throw new UsageError('--root contains a NUL character.')
  }
  const example = opts['--example']
  if (example !== undefined && (typeof example !== 'string' || example.trim() === ''))
    throw new UsageError("--example needs a project file, or 'none'.")
  return {
    root: typeof dir === 'string' ? resolve(cwd, dir) : null,
    ...(typeof example === 'string' ? { example: example === 'none' ? null : resolve(cwd, example) } : {}),
    port: opts['--port'] === undefined ? null : numberOption(opts, '--port', { integer: true, min: 0, max: 65535 }),
    open: opts['--no-open'] !== true,
    help: opts['--help'] === true
  }
}
