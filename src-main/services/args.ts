import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * The one command-line parser of the CLI (`blockspin …`) and the web host (`npm run web -- …`):
 * node:util's parseArgs in strict mode, so `--x=v` and `--x v` both work, with its errors
 * turned into one sentence each. A mistake is a UsageError; the command prints the sentence
 * and its usage and exits with code 2.
 */

/** A command-line mistake; the message is one sentence meant for the user. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface CommandLineSpec {
  /** Options without a value, as typed: '--json'. */
  flags?: readonly string[]
  /** Options with a value, as typed: '--out'. */
  valued?: readonly string[]
  /** One-letter spellings: { '-h': '--help' }. */
  short?: Readonly<Record<string, string>>
  /** How many arguments that are not options the command takes (default none). */
  positionals?: number
}

export interface CommandLine {
  /** Each option given, under its long spelling: a flag is `true`, a valued option its text. */
  opts: Record<string, string | true>
  positionals: string[]
}

/** `--K -0.4` is a negative number, not an option: parseArgs would call it ambiguous. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/

/** The quoted option or argument in one of parseArgs' messages. */
const quoted = (message: string): string => /'([^' ]+)/.exec(message)?.[1] ?? '?'

function sentenceOf(error: unknown): string {
  const { code, message } = error as { code?: string; message: string }
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option "${quoted(message)}".`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = quoted(message)
      return /does not take an argument/.test(message) ? `${name} takes no value.` : `${name} needs a value.`
    }
    default:
      return message
  }
}

/** Reads `argv` by `spec`; throws a UsageError with one sentence for any mistake. */
export function parseCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine {
  const flags = spec.flags ?? []
  const valued = spec.valued ?? []
  const options: NonNullable<ParseArgsConfig['options']> = {}
  const shortOf = new Map(Object.entries(spec.short ?? {}).map(([s, long]) => [long, s.slice(1)]))
  for (const [names, type] of [
    [flags, 'boolean'],
    [valued, 'string']
  ] as const) {
    for (const name of names) {
      const short = shortOf.get(name)
      options[name.slice(2)] = { type, multiple: true, ...(short ? { short } : {}) }
    }
  }
  const args = [...argv]
  for (let i = 0; i < args.length - 1; i++) {
    if (valued.includes(args[i]!) && NEGATIVE_NUMBER.test(args[i + 1]!)) args.splice(i, 2, `${args[i]}=${args[i + 1]}`)
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError(sentenceOf(error))
  }
  const opts: Record<string, string | true> = {}
  for (const [name, given] of Object.entries(parsed.values)) {
    const all = given as Array<string | boolean>
    if (all.length > 1) throw new UsageError(`--${name} was given more than once.`)
    opts[`--${name}`] = all[0] === true ? true : String(all[0])
  }
  const extra = parsed.positionals[spec.positionals ?? 0]
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`)
  return { opts, positionals: parsed.positionals }
}

/**
 * The CLI's shape: the options of `args` (none positional) as a record, or the sentence saying
 * what is wrong with them.
 */
export function parseOptions(
  args: readonly string[],
  flags: readonly string[],
  valued: readonly string[]
): { opts: Record<string, string | true>; error: string | null } {
  try {
    return { opts: parseCommandLine(args, { flags, valued }).opts, error: null }
  } catch (error) {
    if (error instanceof UsageError) return { opts: {}, error: error.message }
    throw error
  }
}

export interface NumberRule {
  /** Only whole numbers. */
  integer?: boolean
  min?: number
  max?: number
}

/** What a number option must be, as said in its error sentence: "a whole number from 0 to 65535". */
function describeRule({ integer, min, max }: NumberRule): string {
  const kind = integer ? 'a whole number' : 'a number'
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`
  if (min !== undefined) return `${kind} ≥ ${min}`
  if (max !== undefined) return `${kind} ≤ ${max}`
  return kind
}

/** A number written in decimal (no hex, no blanks, no "Infinity"). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

/**
 * The number an option's text gives, checked against `rule`; `fallback` when the option is
 * absent (a UsageError when there is none). "--port must be a whole number from 0 to 65535,
 * not "80.5"." for anything else.
 */
export function numberOption(
  opts: Record<string, string | true>,
  name: string,
  rule: NumberRule = {},
  fallback?: number
): number {
  const text = opts[name]
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`${name} is required.`)
    return fallback
  }
  const value = typeof text === 'string' && DECIMAL.test(text) ? Number(text) : NaN
  const fits =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max)
  if (!fits) throw new UsageError(`${name} must be ${describeRule(rule)}, not "${String(text)}".`)
  return value
}
