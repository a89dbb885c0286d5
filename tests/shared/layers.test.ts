import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aliasDirs } from '../../scripts/aliases.mjs'

/**
 * The import direction of ARCHITECTURE.md, enforced:
 * - src-core is pure: no node:*, no electron, no Vue, no DOM globals, no Math.random;
 * - src-main/shared is importable by both sides: no node:*, no electron;
 * - the renderer reaches into src-main only through src-main/shared (and src-core);
 * - only src-main/main and src-main/preload import electron.
 */
const root = resolve(__dirname, '../..')

function files(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...files(full))
    else if (/\.(ts|vue)$/.test(name) && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs: string[] = []
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!)
  return specs
}

/**
 * The file an import names, absolute: relative specifiers against the importing file, aliases
 * (`@core/…`, `@shared/…`) against their folder; null for a package or a Node built-in.
 */
function targetOf(file: string, spec: string): string | null {
  if (spec.startsWith('.')) return resolve(dirname(file), spec)
  for (const [alias, dir] of Object.entries(aliasDirs)) {
    if (spec === alias || spec.startsWith(`${alias}/`)) return join(root, dir, spec.slice(alias.length))
  }
  return null
}

function layerOf(absPath: string): string {
  const rel = relative(root, absPath).split(sep).join('/')
  if (rel.startsWith('src-core/')) return 'core'
  if (rel.startsWith('src-main/shared/')) return 'shared'
  if (rel.startsWith('src-main/main/')) return 'main'
  if (rel.startsWith('src-main/preload/')) return 'preload'
  if (rel.startsWith('src-main/')) return 'node'
  if (rel.startsWith('src-renderer/')) return 'renderer'
  return 'other'
}

interface Violation {
  file: string
  spec: string
  why: string
}

function check(dir: string, rule: (file: string, spec: string, target: string | null) => string | null): Violation[] {
  const violations: Violation[] = []
  for (const file of files(join(root, dir))) {
    for (const spec of importsOf(file)) {
      const target = targetOf(file, spec)
      const why = rule(file, spec, target)
      if (why) violations.push({ file: relative(root, file), spec, why })
    }
  }
  return violations
}

describe('import direction', () => {
  it('src-core imports only src-core (no Node, Electron, Vue or npm packages)', () => {
    const v = check('src-core', (_f, spec, target) =>
      target === null ? 'core must not import packages' : layerOf(target) !== 'core' ? 'core imports only core' : null
    )
    expect(v).toEqual([])
  })

  it('src-core uses no Math.random and no DOM or process globals', () => {
    const bad: string[] = []
    for (const file of files(join(root, 'src-core'))) {
      const text = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
      for (const word of ['Math.random', 'window.', 'document.', 'process.', 'setTimeout', 'require('])
        if (text.includes(word)) bad.push(`${relative(root, file)}: ${word}`)
    }
    expect(bad).toEqual([])
  })

  it('src-main/shared imports only shared, core and pure packages', () => {
    const v = check('src-main/shared', (_f, spec, target) => {
      if (target === null) return spec.startsWith('node:') || spec === 'electron' ? 'shared must run in the renderer too' : null
      const layer = layerOf(target)
      return layer === 'shared' || layer === 'core' ? null : `shared must not import ${layer}`
    })
    expect(v).toEqual([])
  })

  it('the renderer reaches src-main only through src-main/shared', () => {
    const v = check('src-renderer', (_f, spec, target) => {
      if (target === null) return spec.startsWith('node:') || spec === 'electron' ? 'renderer runs in a sandbox' : null
      const layer = layerOf(target)
      return layer === 'renderer' || layer === 'shared' || layer === 'core' ? null : `renderer must not import ${layer}`
    })
    expect(v).toEqual([])
  })

  it('only the Electron layer imports electron', () => {
    const v = check('src-main', (file, spec) => {
      const layer = layerOf(file)
      return spec === 'electron' && layer !== 'main' && layer !== 'preload' ? 'electron outside main/preload' : null
    })
    expect(v).toEqual([])
  })

  it('resolves the aliases as tsconfig.base.json does', () => {
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> }
    }
    const fromAliases = Object.fromEntries(Object.entries(aliasDirs).map(([a, d]) => [`${a}/*`, [`./${d}/*`]]))
    expect(base.compilerOptions.paths).toEqual(fromAliases)
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@core/lattice/build')).toBe(join(root, 'src-core/lattice/build'))
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@shared/contract')).toBe(join(root, 'src-main/shared/contract'))
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@vue/test-utils')).toBeNull()
  })

  it('the rule itself catches a violation', () => {
    // A guard that cannot fail is worthless: feed the checker a known-bad import.
    expect(layerOf(join(root, 'src-main/web/server.ts'))).toBe('node')
    expect(importsOf(join(root, 'src-main/main/index.ts'))).toContain('electron')
  })
})
