// `npm start`: build if needed, then open the desktop app. Where the Electron binary is missing
// or cannot start (no download possible, no display), say so in one sentence and serve the same
// app to a browser through the web host instead.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ensureBuilt, root } from './lib.mjs'

ensureBuilt()

function electronPath() {
  // Electron ≥ 42 fetches its binary on first use; this is where that happens.
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (r.status === 0 && r.stdout) return { ok: true, path: r.stdout.trim() }
  const why = r.error?.code === 'ETIMEDOUT' ? 'the download timed out' : 'it could not be downloaded'
  return { ok: false, why }
}

function startWeb(reason) {
  console.error(
    `Blockspin cannot open its desktop window here (${reason}), so it is serving the same app to your browser instead.`
  )
  const child = spawn(process.execPath, [join(root, 'scripts', 'web.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit'
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

if (process.env.BLOCKSPIN_WEB === '1') {
  startWeb('BLOCKSPIN_WEB=1 is set')
} else {
  const found = electronPath()
  if (!found.ok) {
    startWeb(`the Electron binary is missing and ${found.why}`)
  } else {
    const startedAt = Date.now()
    const child = spawn(found.path, [root, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d.toString()
      process.stderr.write(d)
    })
    child.on('error', (e) => startWeb(`Electron failed to start: ${e.message}`))
    child.on('exit', (code, signal) => {
      const quick = Date.now() - startedAt < 8000
      if (quick && (code !== 0 || signal)) {
        const line =
          stderr
            .split('\n')
            .map((s) => s.trim())
            .find((s) => s.length > 0) ?? `exit code ${code ?? signal}`
        startWeb(`Electron exited at start: ${line.slice(0, 160)}`)
      } else {
        process.exit(code ?? 0)
      }
    })
  }
}
