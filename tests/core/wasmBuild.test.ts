import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as dense from '@core/wasm/denseKernel.generated'
import * as ising from '@core/wasm/isingKernel.generated'
import * as wolff from '@core/wasm/wolffKernel.generated'
import { kernels } from '../../scripts/build-wasm.mjs'

// The checked-in modules must be built from our sources: recompile with asc and compare.
const root = fileURLToPath(new URL('../..', import.meta.url))

const KERNELS = [
  {
    generated: 'isingKernel.generated.ts',
    inputs: ['assembly/ising.ts', 'asconfig.json'],
    constants: ['ISING_KERNEL_WASM_BASE64']
  },
  {
    generated: 'wolffKernel.generated.ts',
    inputs: ['assembly/wolff.ts', 'asconfig.wolff.json'],
    constants: ['WOLFF_KERNEL_WASM_BASE64']
  },
  {
    generated: 'denseKernel.generated.ts',
    inputs: [
      'assembly/dense.ts',
      'assembly/layout.ts',
      'assembly/select.ts',
      'assembly/tables.ts',
      'assembly/rbmOps.ts',
      'asconfig.dense.json'
    ],
    constants: [
      'DENSE_KERNEL_WASM_BASE64',
      'DENSE_KERNEL_RELAXED_WASM_BASE64',
      'DENSE_KERNEL_SHARED_WASM_BASE64',
      'DENSE_KERNEL_SHARED_RELAXED_WASM_BASE64'
    ]
  }
]

/**
 * Every module the app loads, in the order of its file: the Ising kernel, the Wolff cluster
 * kernel, and the dense kernel's four builds (fixed-width SIMD, relaxed SIMD, each also on a
 * shared memory for two threads).
 */
const MODULES = [
  { file: 'isingKernel.generated.ts', target: null, base64: ising.ISING_KERNEL_WASM_BASE64 },
  { file: 'wolffKernel.generated.ts', target: null, base64: wolff.WOLFF_KERNEL_WASM_BASE64 },
  { file: 'denseKernel.generated.ts', target: 'simd', base64: dense.DENSE_KERNEL_WASM_BASE64 },
  { file: 'denseKernel.generated.ts', target: 'relaxed', base64: dense.DENSE_KERNEL_RELAXED_WASM_BASE64 },
  { file: 'denseKernel.generated.ts', target: 'shared', base64: dense.DENSE_KERNEL_SHARED_WASM_BASE64 },
  { file: 'denseKernel.generated.ts', target: 'sharedRelaxed', base64: dense.DENSE_KERNEL_SHARED_RELAXED_WASM_BASE64 }
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

  it('scripts/build-wasm.mjs builds exactly these six modules', () => {
    const built = kernels.flatMap((k) => k.modules.map((m) => ({ file: basename(k.generated), target: m.target })))
    expect(built).toEqual(MODULES.map(({ file, target }) => ({ file, target })))
  })

  for (const [i, { file, target, base64 }] of MODULES.entries()) {
    it(`${file}${target ? ` (target ${target})` : ''}: the header's size and sha256 are the embedded module's`, () => {
      const bytes = Buffer.from(base64, 'base64')
      expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]) // "\0asm"
      const headers = readFileSync(join(root, 'src-core', 'wasm', file), 'utf8').match(/^\/\/ Compiler: .*$/gm) ?? []
      const indexInFile = MODULES.slice(0, i).filter((m) => m.file === file).length
      const header = headers[indexInFile] ?? ''
      expect(header).toContain(target ? `target ${target}, ` : 'module: ')
      const sha = createHash('sha256').update(bytes).digest('hex')
      expect(header).toContain(`module: ${bytes.length} bytes, sha256 ${sha}`)
    })
  }

  it('every generated file, all six modules, equals a fresh asc build (node scripts/build-wasm.mjs --check)', () => {
    // --check compiles every module of every kernel and compares each whole file, headers and
    // base64 text included, so a stale module of any of the six builds fails here.
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
    for (const { generated } of KERNELS) expect(r.stdout).toContain(`src-core/wasm/${generated} is up to date.`)
  })
})
