import { resolve } from 'node:path'

/** Command-line options of the web host. */
export interface WebArgs {
  /** The projects folder the in-app picker is rooted at (absolute), or null for the caller's default. */
  root: string | null
  /** null: the caller's default port; 0: any free port. */
  port: number | null
  /** False with --no-open: print the address instead of opening a browser. */
  open: boolean
  help: boolean
}

export const WEB_USAGE = `Usage: npm run web -- [options]

Serves the Blockspin app to a browser on this computer (127.0.0.1 only).

Options:
  --root DIR    projects folder the file picker is rooted at
  --port N      port to listen on (0 picks a free one)
  --no-open     do not open a browser; just print the address
  -h, --help    show this help
`

/** A command-line mistake; the message is one sentence meant for the user. */
export class WebArgsError extends Error {
  override name = 'WebArgsError'
}

/**
 * Parses the web host's arguments (without the node and script paths). Accepts `--opt value`
 * and `--opt=value`; a relative --root is resolved against `cwd`. Throws WebArgsError.
 */
export function parseWebArgs(argv: readonly string[], cwd: string = process.cwd()): WebArgs {
  const out: WebArgs = { root: null, port: null, open: true, help: false }
  const seen = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const takeValue = (): string => {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || (eq < 0 && value.startsWith('--'))) {
        throw new WebArgsError(`${name} needs a value (see --help).`)
      }
      return value
    }
    if (name === '--root' || name === '--port' || name === '--no-open') {
      if (seen.has(name)) throw new WebArgsError(`${name} was given more than once.`)
      seen.add(name)
    }
    switch (name) {
      case '--root': {
        const dir = takeValue()
        if (dir.trim() === '') throw new WebArgsError('--root needs a folder, not an empty string.')
        if (dir.includes('\0')) throw new WebArgsError('--root contains a NUL character.')
        out.root = resolve(cwd, dir)
        break
      }
      case '--port': {
        const text = takeValue()
        const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
        if (!Number.isInteger(port) || port > 65535) {
          throw new WebArgsError(`--port must be a whole number from 0 to 65535, not "${text}".`)
        }
        out.port = port
        break
      }
      case '--no-open':
        if (eq > 0) throw new WebArgsError('--no-open takes no value.')
        out.open = false
        break
      case '-h':
      case '--help':
        out.help = true
        break
      default:
        throw new WebArgsError(
          arg.startsWith('-')
            ? `Unknown option "${name}" (see --help).`
            : `Unexpected argument "${arg}"; the web host takes only options (see --help).`
        )
    }
  }
  return out
}
