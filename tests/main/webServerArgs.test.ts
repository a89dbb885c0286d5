import { describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { UsageError } from '../../src-main/services/args'
import { parseWebArgs, WEB_USAGE } from '../../src-main/web/args'

const cwd = resolve('/tmp/work')

describe('parseWebArgs', () => {
  it('has defaults for everything', () => {
    expect(parseWebArgs([], cwd)).toEqual({ root: null, port: null, open: true, help: false })
  })

  it('reads --root, --port and --no-open in both spellings', () => {
    expect(parseWebArgs(['--root', 'projects', '--port', '5174', '--no-open'], cwd)).toEqual({
      root: resolve(cwd, 'projects'),
      port: 5174,
      open: false,
      help: false
    })
    expect(parseWebArgs(['--root=/data/p', '--port=0'], cwd)).toMatchObject({ root: resolve('/data/p'), port: 0 })
    expect(parseWebArgs(['--root=projects', '--port=5174', '--no-open'], cwd)).toEqual(
      parseWebArgs(['--root', 'projects', '--port', '5174', '--no-open'], cwd)
    )
    expect(parseWebArgs(['--port', '0', '--help'], cwd)).toEqual({ root: null, port: 0, open: true, help: true })
    expect(parseWebArgs(['-h'], cwd).help).toBe(true)
    expect(WEB_USAGE).toContain('--no-open')
  })

  it('explains every mistake in one sentence', () => {
    const cases: [string[], RegExp][] = [
      [['--port'], /--port needs a value/],
      [['--port', '--no-open'], /--port needs a value/],
      [['--port', 'abc'], /--port must be a whole number from 0 to 65535, not "abc"/],
      [['--port', '70000'], /not "70000"/],
      [['--port', '-1'], /not "-1"/],
      [['--port', '80.5'], /not "80.5"/],
      [['--port=-1'], /--port must be a whole number from 0 to 65535, not "-1"/],
      [['--port=0x50'], /not "0x50"/],
      [['--port='], /not ""/],
      [['--root='], /--root needs a folder/],
      [['--port=1', '--port', '2'], /--port was given more than once/],
      [['--verbose=1'], /Unknown option "--verbose"/],
      [['--root'], /--root needs a value/],
      [['--root', ''], /--root needs a folder/],
      [['--root=a', '--root=b'], /--root was given more than once/],
      [['--no-open=yes'], /--no-open takes no value/],
      [['--verbose'], /Unknown option "--verbose"/],
      [['project.blockspin'], /Unexpected argument "project.blockspin"/]
    ]
    for (const [argv, message] of cases) {
      expect(() => parseWebArgs(argv, cwd), argv.join(' ')).toThrow(message)
      expect(() => parseWebArgs(argv, cwd)).toThrow(UsageError)
    }
  })
})
