import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aliasDirs } from '../../scripts/aliases.mjs'
import { importsOf, type Source, targetOf } from './importGraph'

/**
 * The import direction of ARCHITECTURE.md, enforced:
 * - src-core is pure: no node:*, no electron, no Vue, no DOM globals, no Math.random;
 * - src-main/shared is importable by both sides: no node:*, no electron;
 * - the renderer reaches into src-main only through src-main/shared (and src-core);
 * - only src-main/main and src-main/preload import electron;
 * - the services and src-main/cluster (which the app and the CLI both use) never import the CLI.
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

const sourcesIn = (dir: string): Source[] =>
  files(join(root, dir)).map((file) => ({ file, text: readFileSync(file, 'utf8') }))

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

/** src-main/services/x.ts → 'services', src-main/cli/y.ts → 'cli' (null outside src-main's Node folders). */
function nodeFolder(absPath: string): string | null {
  const rel = relative(root, absPath).split(sep).join('/')
  return layerOf(absPath) === 'node' ? (rel.split('/')[1] ?? null) : null
}

interface Violation {
  file: string
  spec: string
  why: string
}

type Rule = (file: string, spec: string, target: string | null) => string | null

function check(sources: Source[], rule: Rule): Violation[] {
  const violations: Violation[] = []
  for (const { file, text } of sources) {
    for (const spec of importsOf(text)) {
      const target = targetOf(file, spec)
      const why = rule(file, spec, target)
      if (why) violations.push({ file: relative(root, file), spec, why })
    }
  }
  return violations
}

const coreRule: Rule = (_f, _spec, target) =>
  target === null ? 'core must not import packages' : layerOf(target) !== 'core' ? 'core imports only core' : null

const sharedRule: Rule = (_f, spec, target) => {
  if (target === null)
    return spec.startsWith('node:') || spec === 'electron' ? 'shared must run in the renderer too' : null
  const layer = layerOf(target)
  return layer === 'shared' || layer === 'core' ? null : `shared must not import ${layer}`
}

const rendererRule: Rule = (_f, spec, target) => {
  if (target === null) return spec.startsWith('node:') || spec === 'electron' ? 'renderer runs in a sandbox' : null
  const layer = layerOf(target)
  return layer === 'renderer' || layer === 'shared' || layer === 'core' ? null : `renderer must not import ${layer}`
}

const electronRule: Rule = (file, spec) => {
  const layer = layerOf(file)
  return spec === 'electron' && layer !== 'main' && layer !== 'preload' ? 'electron outside main/preload' : null
}

const cliRule: Rule = (file, _spec, target) => {
  const from = nodeFolder(file)
  return (from === 'services' || from === 'cluster') && target !== null && nodeFolder(target) === 'cli'
    ? `${from} must not import the CLI`
    : null
}

/** Uses of globals a pure core must not touch, comments aside, as "file: word". */
function impureGlobals(sources: Source[]): string[] {
  const bad: string[] = []
  for (const { file, text } of sources) {
    const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
    for (const word of ['Math.random', 'window.', 'document.', 'process.', 'setTimeout', 'require('])
      if (code.includes(word)) bad.push(`${relative(root, file)}: ${word}`)
  }
  return bad
}

describe('import direction', () => {
  it('src-core imports only src-core (no Node, Electron, Vue or npm packages)', () => {
    expect(check(sourcesIn('src-core'), coreRule)).toEqual([])
  })

  it('src-core uses no Math.random and no DOM or process globals', () => {
    expect(impureGlobals(sourcesIn('src-core'))).toEqual([])
  })

  it('src-main/shared imports only shared, core and pure packages', () => {
    expect(check(sourcesIn('src-main/shared'), sharedRule)).toEqual([])
  })

  it('the renderer reaches src-main only through src-main/shared', () => {
    expect(check(sourcesIn('src-renderer'), rendererRule)).toEqual([])
  })

  it('only the Electron layer imports electron', () => {
    expect(check(sourcesIn('src-main'), electronRule)).toEqual([])
  })

  it('the services and src-main/cluster do not import the CLI', () => {
    expect(check([...sourcesIn('src-main/services'), ...sourcesIn('src-main/cluster')], cliRule)).toEqual([])
  })

  it('resolves the aliases as tsconfig.base.json does', () => {
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> }
    }
    const fromAliases = Object.fromEntries(Object.entries(aliasDirs).map(([a, d]) => [`${a}/*`, [`./${d}/*`]]))
    expect(base.compilerOptions.paths).toEqual(fromAliases)
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@core/lattice/build')).toBe(
      join(root, 'src-core/lattice/build')
    )
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@shared/contract')).toBe(
      join(root, 'src-main/shared/contract')
    )
    expect(targetOf(join(root, 'src-renderer/src/x.ts'), '@vue/test-utils')).toBeNull()
  })

  it('the rules catch bad imports, relative and aliased, and pass good ones', () => {
    // A guard that cannot fail is worthless: feed each rule made-up files with known-bad imports.
    // The made-up lines quote with « » (turned into ' here), so that scripts/alias-imports.mjs
    // does not take them for this file's own imports.
    const at = (path: string, ...lines: string[]): Source => ({
      file: join(root, path),
      text: lines.join('\n').replace(/[«»]/g, "'")
    })
    const core = at(
      'src-core/stats/bad.ts',
      'import { readFileSync } from «node:fs»',
      'import { ref } from «vue»',
      'import type { Api } from «../../src-main/shared/contract»',
      'import { x } from «@shared/contract»',
      'export { y } from «../../src-renderer/src/y»',
      'const z = await import(«@core/lattice/build»)',
      'import { w } from «../random/xoshiro128ss»'
    )
    expect(check([core], coreRule).map((v) => v.spec)).toEqual([
      'node:fs',
      'vue',
      '../../src-main/shared/contract',
      '@shared/contract',
      '../../src-renderer/src/y'
    ])
    const shared = at(
      'src-main/shared/project/bad.ts',
      'import { join } from «node:path»',
      'import { JobBroker } from «../../services/jobBroker»',
      'import { z } from «zod»',
      'import { build } from «@core/lattice/build»',
      'import { CHANNELS } from «@shared/channels»'
    )
    expect(check([shared], sharedRule).map((v) => v.why)).toEqual([
      'shared must run in the renderer too',
      'shared must not import node'
    ])
    const renderer = at(
      'src-renderer/src/stores/bad.ts',
      'import { JobBroker } from «../../../src-main/services/jobBroker»',
      'import { ipcRenderer } from «electron»',
      'import «node:fs»',
      'import { api } from «../../../src-main/preload/index»',
      'import type { Api } from «@shared/contract»',
      'import { build } from «@core/lattice/build»',
      'import { defineStore } from «pinia»'
    )
    expect(check([renderer], rendererRule).map((v) => v.why)).toEqual([
      'renderer must not import node',
      'renderer runs in a sandbox',
      'renderer runs in a sandbox',
      'renderer must not import preload'
    ])
    const services = at('src-main/services/bad.ts', "import { app } from 'electron'")
    const main = at('src-main/main/ok.ts', "import { app } from 'electron'")
    expect(check([services, main], electronRule).map((v) => v.file)).toEqual(['src-main/services/bad.ts'])
    const slurm = at('src-main/services/bad.ts', 'import { selfCommand } from «../cli/clusterSubmit»')
    const cluster = at('src-main/cluster/bad.ts', 'import { x } from «../cli/clusterFiles»')
    const cli = at('src-main/cli/ok.ts', 'import { selfCommand } from «../cluster/commands»')
    expect(check([slurm, cluster, cli], cliRule).map((v) => v.why)).toEqual([
      'services must not import the CLI',
      'cluster must not import the CLI'
    ])
    const impure = at(
      'src-core/random/bad.ts',
      'export const u = () => Math.random() // not Math.random',
      '// setTimeout'
    )
    expect(impureGlobals([impure])).toEqual(['src-core/random/bad.ts: Math.random'])
  })
})
