import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The checked-in modules must be built from our sources: recompile with asc and compare.
const root = fileURLToPath(new URL('../..', import.meta.url))

const KERNELS = [
  { generated: 'isingKernel.generated.ts', inputs: ['assembly/ising.ts', 'asconfig.json'], constants: ['ISING_KERNEL_WASM_BASE64'] },
  { generated: 'denseKernel.generated.ts', inputs: ['assembly/dense.ts', 'assembly/layout.ts', 'assembly/select.ts', 'assembly/tables.ts', 'assembly/rbmOps.ts', 'asconfig.dense.json'], constants: ['DENSE_KERNEL_WASM_BASE64', 'DENSE_KERNEL_RELAXED_WASM_BASE64', 'DENSE_KERNEL_SHARED_WASM_BASE64'] }
]

describe('src-core/wasm/*.generated.ts', () => {
  for (const { generated, inputs, constants } of KERNELS) {
    it(`${generated} records the hash of ${inputs.map((name) => `wasm/${name}`).join(' + ')}`, () => {
      const hash = createHash('sha256')
      for (const name of inputs) hash.update(`${name}\n`).update(readFileSync(join(root, 'wasm', name)))
      const text = readFileSync(join(root, 'src-core', 'wasm', generated), 'utf8')
      expect(text).toContain(`Source sha256: ${hash.digest('hex')}`)
      for (const constant of constants) expect(text).toContain(`export const ${constant} =`)
    })
  }

  it('every generated file equals a fresh asc build (node scripts/build-wasm.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], { cwd: root, encoding: 'utf8' })
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
    for (const { generated } of KERNELS) expect(r.stdout).toContain(`src-core/wasm/${generated} is up to date.`)
  })
})
