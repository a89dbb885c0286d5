// Compiles the AssemblyScript kernels and writes each as base64 string constants into a
// generated TypeScript file, so src-core needs no file I/O in any environment:
//   wasm/assembly/ising.ts (wasm/asconfig.json)       → src-core/wasm/isingKernel.generated.ts
//   wasm/assembly/wolff.ts (wasm/asconfig.wolff.json) → src-core/wasm/wolffKernel.generated.ts
//   wasm/assembly/dense.ts (+ layout.ts, select.ts, rbmOps.ts; wasm/asconfig.dense.json)
//     → src-core/wasm/denseKernel.generated.ts,
//     four modules from one source: target "simd" (fixed-width SIMD), target "relaxed"
//     (SIMD + relaxed SIMD, chosen at run time by WebAssembly.validate), and targets "shared"
//     and "sharedRelaxed" (either on an imported shared memory, for the two-thread training path).
// All: -O3, stub runtime; no imports except the Wolff kernel's e^x (the host's Math.exp).
//   node scripts/build-wasm.mjs           rebuild the generated files
//   node scripts/build-wasm.mjs --check   exit 1 unless every checked-in file equals a fresh build
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { root } from './lib.mjs'

const wasmDir = join(root, 'wasm')

/**
 * One generated file per kernel; `modules` lists the exported constants, each built with an
 * optional asconfig target (`--target`).
 */
export const kernels = [
  {
    name: 'ising',
    source: 'assembly/ising.ts',
    config: 'asconfig.json',
    generated: join(root, 'src-core', 'wasm', 'isingKernel.generated.ts'),
    modules: [
      {
        constant: 'ISING_KERNEL_WASM_BASE64',
        target: null,
        doc: 'The compiled Ising kernel (see src-core/ising/square/wasmKernel.ts), base64-encoded.'
      }
    ]
  },
  {
    name: 'wolff',
    source: 'assembly/wolff.ts',
    config: 'asconfig.wolff.json',
    generated: join(root, 'src-core', 'wasm', 'wolffKernel.generated.ts'),
    modules: [
      {
        constant: 'WOLFF_KERNEL_WASM_BASE64',
        target: null,
        doc: 'The compiled Wolff cluster kernel (see src-core/ising/torus/wolffWasm.ts), base64-encoded.'
      }
    ]
  },
  {
    name: 'dense',
    source: 'assembly/dense.ts',
    /** Every file the entry imports (hashed with it). */
    imports: ['assembly/layout.ts', 'assembly/select.ts', 'assembly/tables.ts', 'assembly/rbmOps.ts'],
    config: 'asconfig.dense.json',
    generated: join(root, 'src-core', 'wasm', 'denseKernel.generated.ts'),
    modules: [
      {
        constant: 'DENSE_KERNEL_WASM_BASE64',
        target: 'simd',
        doc: 'The dense kernels, fixed-width SIMD (see src-core/rbm/kernelsWasm.ts), base64-encoded.'
      },
      {
        constant: 'DENSE_KERNEL_RELAXED_WASM_BASE64',
        target: 'relaxed',
        doc: 'The dense kernels with relaxed SIMD (fused multiply-add), base64-encoded.'
      },
      {
        constant: 'DENSE_KERNEL_SHARED_WASM_BASE64',
        target: 'shared',
        doc: 'The dense kernels, fixed-width SIMD on an imported shared memory (threads; see src-core/rbm/denseThreads.ts), base64-encoded.'
      },
      {
        constant: 'DENSE_KERNEL_SHARED_RELAXED_WASM_BASE64',
        target: 'sharedRelaxed',
        doc: 'The dense kernels with relaxed SIMD on an imported shared memory (threads with fused multiply-add), base64-encoded.'
      }
    ]
  }
]
/** The Ising kernel's generated file (kept for callers of the single-kernel interface). */
export const generatedPath = kernels[0].generated

/** sha256 over a kernel's sources (entry, then imports) and its compiler options. */
export function sourceHash(kernel = kernels[0]) {
  const hash = createHash('sha256')
  for (const name of [kernel.source, ...(kernel.imports ?? []), kernel.config])
    hash.update(`${name}\n`).update(readFileSync(join(wasmDir, name)))
  return hash.digest('hex')
}

function ascVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version
}

/** Runs asc for one module of a kernel and returns the module bytes. */
export function compileKernel(kernel = kernels[0], module = kernel.modules[0]) {
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-wasm-'))
  try {
    const out = join(dir, `${kernel.name}.wasm`)
    const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js')
    const target = module.target ? ['--target', module.target] : []
    const r = spawnSync(process.execPath, [asc, '--config', kernel.config, ...target, '--outFile', out], {
      cwd: wasmDir,
      encoding: 'utf8'
    })
    if (r.status !== 0)
      throw new Error(
        `asc failed (${kernel.source}${module.target ? `, target ${module.target}` : ''}):\n${r.stdout}${r.stderr}`
      )
    return readFileSync(out)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The text of a kernel's generated file for the given module bytes (one per module). */
export function generatedSource(kernel, modules) {
  const lines = [
    `// Generated by scripts/build-wasm.mjs from wasm/${kernel.source}; do not edit.`,
    `// Source sha256: ${sourceHash(kernel)} (${[kernel.source, ...(kernel.imports ?? []), kernel.config].map((name) => `wasm/${name}`).join(' + ')})`
  ]
  kernel.modules.forEach((module, i) => {
    const bytes = modules[i]
    const label = module.target ? `target ${module.target}, ` : ''
    lines.push(
      `// Compiler: AssemblyScript ${ascVersion()}; ${label}module: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`
    )
  })
  kernel.modules.forEach((module, i) => {
    const chunks = modules[i].toString('base64').match(/.{1,100}/g) ?? ['']
    lines.push(
      '',
      `/** ${module.doc} */`,
      `export const ${module.constant} =`,
      chunks.map((chunk) => `  '${chunk}'`).join(' +\n')
    )
  })
  lines.push('')
  return lines.join('\n')
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href
if (isMain) {
  const check = process.argv.includes('--check')
  let stale = false
  for (const kernel of kernels) {
    const text = generatedSource(
      kernel,
      kernel.modules.map((module) => compileKernel(kernel, module))
    )
    const shown = kernel.generated.slice(root.length + 1)
    if (check) {
      let current = ''
      try {
        current = readFileSync(kernel.generated, 'utf8')
      } catch {
        // missing: stale
      }
      if (current !== text) {
        console.error(`${shown} is out of date; run \`node scripts/build-wasm.mjs\`.`)
        stale = true
      } else console.log(`${shown} is up to date.`)
    } else {
      writeFileSync(kernel.generated, text)
      console.log(`Wrote ${kernel.generated}`)
    }
  }
  if (stale) process.exit(1)
}
