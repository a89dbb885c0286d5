import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCycles, type Source } from './importGraph'

// src-core has no import cycles, type-only imports included (ESLint's import-x/no-cycle skips
// `import type`, so a cycle of types would pass the linter). Shared types go to a types module.
const root = resolve(__dirname, '../..')

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return tsFiles(full)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : []
  })
}

const shown = (cycles: string[][]) => cycles.map((c) => c.map((f) => relative(root, f)).join(' → '))

describe('import cycles', () => {
  it('src-core has none, type-only imports included', () => {
    const sources = tsFiles(join(root, 'src-core')).map((file) => ({ file, text: readFileSync(file, 'utf8') }))
    expect(sources.length).toBeGreaterThan(50)
    expect(shown(importCycles(sources))).toEqual([])
  })

  it('the finder catches a made-up cycle through a type import, an alias and an index, and passes a tree', () => {
    const at = (path: string, ...lines: string[]): Source => ({ file: join(root, path), text: lines.join('\n') })
    const cyclic = [
      at('src-core/x/a.ts', "import { b } from './b'", "import { rng } from '../random/rng'"),
      at('src-core/x/b.ts', "import type { C } from '@core/x/c'"),
      at('src-core/x/c.ts', "export { d } from './d'"),
      at('src-core/x/d/index.ts', "import { a } from '../a'")
    ]
    expect(shown(importCycles(cyclic))).toEqual([
      'src-core/x/a.ts → src-core/x/b.ts → src-core/x/c.ts → src-core/x/d/index.ts → src-core/x/a.ts'
    ])
    const selfImport = [at('src-core/x/e.ts', "const e = await import('./e')")]
    expect(shown(importCycles(selfImport))).toEqual(['src-core/x/e.ts → src-core/x/e.ts'])
    // Two paths to one file (a diamond) are not a cycle.
    const tree = [
      at('src-core/x/a.ts', "import { b } from './b'", "import { c } from './c'"),
      at('src-core/x/b.ts', "import type { D } from './d'"),
      at('src-core/x/c.ts', "import { d } from './d'"),
      at('src-core/x/d/index.ts', "import { z } from 'zod'")
    ]
    expect(importCycles(tree)).toEqual([])
  })
})
