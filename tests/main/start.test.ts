import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * `npm start` where Electron cannot start: one sentence saying so, then the web host with its
 * address. ELECTRON_OVERRIDE_DIST_PATH points Electron's launcher at an empty folder, so the
 * binary is missing on every machine, with or without network.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

describe('npm start without a usable Electron', () => {
  it('says why in one sentence and serves the app to a browser instead', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'scripts', 'start.mjs'), '--root', temp('bs-start-root-'), '--port', '0', '--no-open'],
      {
        cwd: root,
        env: {
          ...process.env,
          ELECTRON_OVERRIDE_DIST_PATH: temp('bs-no-electron-'),
          BLOCKSPIN_STATE_DIR: temp('bs-start-state-')
        },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address within 60 s:\n${output}`)), 60_000)
      const onData = (d: Buffer) => {
        output += d.toString()
        const m = /Open this address in your browser: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
    })
    try {
      const sentences = output.split('\n').filter((l) => l.startsWith('Blockspin cannot open its desktop window'))
      expect(sentences).toHaveLength(1)
      expect(sentences[0]).toMatch(/so it is serving the same app to your browser instead\.$/)
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<div id="app">')
    } finally {
      child.kill('SIGTERM')
    }
  })
})
