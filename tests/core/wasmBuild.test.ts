import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The checked-in module must be built from our source: recompile with asc and compare.
const root = fileURLToPath(new URL('../..', import.meta.url))

describe('src-core/wasm/isingKernel.generated.ts', () => {
  it('records the hash of wasm/assembly/ising.ts + wasm/asconfig.json', () => {
    const hash = createHash('sha256')
    for (const name of ['assembly/ising.ts', 'asconfig.json']) hash.update(`${name}\n`).update(readFileSync(join(root, 'wasm', name)))
    const generated = readFileSync(join(root, 'src-core', 'wasm', 'isingKernel.generated.ts'), 'utf8')
    expect(generated).toContain(`Source sha256: ${hash.digest('hex')}`)
  })

  it('equals a fresh asc build (node scripts/build-wasm.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], { cwd: root, encoding: 'utf8' })
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
  })
})
