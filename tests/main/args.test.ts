import { describe, expect, it } from 'vitest'
import { numberOption, parseCommandLine, parseOptions, UsageError } from '../../src-main/services/args'

// The one command-line parser of the CLI and the web host (services/args.ts).

const spec = { flags: ['--json', '--help'], valued: ['--out', '--K'], short: { '-h': '--help' }, positionals: 1 }

describe('parseCommandLine', () => {
  it('reads --x=v and --x v alike, flags, one-letter spellings and positionals', () => {
    const spaced = parseCommandLine(['file', '--out', 'a.blockspin', '--K', '0.4', '--json'], spec)
    const joined = parseCommandLine(['--out=a.blockspin', 'file', '--K=0.4', '--json'], spec)
    expect(spaced).toEqual({ opts: { '--out': 'a.blockspin', '--K': '0.4', '--json': true }, positionals: ['file'] })
    expect(joined).toEqual(spaced)
    expect(parseCommandLine(['-h'], spec).opts).toEqual({ '--help': true })
    expect(parseCommandLine(['--out='], spec).opts).toEqual({ '--out': '' })
    expect(parseCommandLine(['--out=a=b'], spec).opts).toEqual({ '--out': 'a=b' })
  })

  it('takes a negative number as the value it is, in both spellings', () => {
    for (const value of ['-0.4', '-4', '-.5', '-1e-3']) {
      expect(parseCommandLine(['--K', value], spec).opts['--K']).toBe(value)
      expect(parseCommandLine([`--K=${value}`], spec).opts['--K']).toBe(value)
    }
  })

  it('refuses every mistake with one sentence', () => {
    const cases: Array<[string[], string]> = [
      [['--verbose'], 'Unknown option "--verbose".'],
      [['--verbose=3'], 'Unknown option "--verbose".'],
      [['-x'], 'Unknown option "-x".'],
      [['--out'], '--out needs a value.'],
      [['--out', '--json'], '--out needs a value.'],
      [['--json=yes'], '--json takes no value.'],
      [['--K=1', '--K', '2'], '--K was given more than once.'],
      [['--json', '--json'], '--json was given more than once.'],
      [['a', 'b'], 'Unexpected argument "b".']
    ]
    for (const [argv, sentence] of cases) {
      expect(() => parseCommandLine(argv, spec), argv.join(' ')).toThrow(new UsageError(sentence))
    }
    expect(() => parseCommandLine(['file'], { flags: ['--json'] })).toThrow('Unexpected argument "file".')
  })

  it('parseOptions gives the sentence instead of throwing', () => {
    expect(parseOptions(['--K=2', '--json'], ['--json'], ['--K'])).toEqual({
      opts: { '--K': '2', '--json': true },
      error: null
    })
    expect(parseOptions(['--k', '2'], ['--json'], ['--K'])).toEqual({ opts: {}, error: 'Unknown option "--k".' })
  })
})

describe('numberOption', () => {
  const port = { integer: true, min: 0, max: 65535 }
  it('reads decimal numbers, and gives the fallback when the option is absent', () => {
    expect(numberOption({ '--port': '8080' }, '--port', port)).toBe(8080)
    expect(numberOption({ '--lr': '1e-3' }, '--lr', { min: 0 })).toBe(0.001)
    expect(numberOption({ '--h': '-.25' }, '--h')).toBe(-0.25)
    expect(numberOption({}, '--port', port, 4780)).toBe(4780)
  })

  it('says what the number must be, and what was given', () => {
    const cases: Array<[string, Parameters<typeof numberOption>[2], string]> = [
      ['abc', port, '--x must be a whole number from 0 to 65535, not "abc".'],
      ['80.5', port, '--x must be a whole number from 0 to 65535, not "80.5".'],
      ['70000', port, '--x must be a whole number from 0 to 65535, not "70000".'],
      ['0x50', port, '--x must be a whole number from 0 to 65535, not "0x50".'],
      [' 8', port, '--x must be a whole number from 0 to 65535, not " 8".'],
      ['', { min: 0 }, '--x must be a number ≥ 0, not "".'],
      ['-1', { integer: true, min: 1 }, '--x must be a whole number ≥ 1, not "-1".'],
      ['Infinity', {}, '--x must be a number, not "Infinity".'],
      ['2', { max: 1 }, '--x must be a number ≤ 1, not "2".']
    ]
    for (const [text, rule, sentence] of cases) {
      expect(() => numberOption({ '--x': text }, '--x', rule), text).toThrow(new UsageError(sentence))
    }
    expect(() => numberOption({}, '--x')).toThrow(new UsageError('--x is required.'))
    expect(() => numberOption({ '--x': true }, '--x')).toThrow(new UsageError('--x must be a number, not "true".'))
  })
})
