import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Starts the real web host (the built app, real job worker processes) on a free port with a
 * fresh projects folder and state folder, for the tests of one file.
 */
export interface WebHostFixture {
  url: string
  root: string
  stateDir: string
}

export interface HostOptions {
  /** The project a first launch opens (--example); by default the host's own (the bundled example). */
  example?: string
}

export async function startHost(options: HostOptions = {}): Promise<WebHostFixture & { stop: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'blockspin-e2e-root-'))
  const stateDir = mkdtempSync(join(tmpdir(), 'blockspin-e2e-state-'))
  const entry = fileURLToPath(new URL('../../out/main/web.js', import.meta.url))
  const extra = options.example ? ['--example', options.example] : []
  const child: ChildProcess = spawn(process.execPath, [entry, '--root', root, '--port', '0', '--no-open', ...extra], {
    env: { ...process.env, BLOCKSPIN_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`The web host did not print its address:\n${output}`)), 20_000)
    const onData = (d: Buffer) => {
      output += d.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => fail(new Error(`The web host exited (${code}):\n${output}`)))
  })
  return {
    url,
    root,
    stateDir,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 300))
      rmSync(root, { recursive: true, force: true })
      rmSync(stateDir, { recursive: true, force: true })
    }
  }
}
