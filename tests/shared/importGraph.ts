import { dirname, join, resolve } from 'node:path'
import { aliasDirs } from '../../scripts/aliases.mjs'

/**
 * Reading imports from source text, for the layering test (layers.test.ts) and the import-cycle
 * test (importCycles.test.ts): the specifiers of a file, and the file each one names.
 */
const root = resolve(__dirname, '../..')

/** A file to check: its absolute path and its text (read from the tree, or made up by a test). */
export interface Source {
  file: string
  text: string
}

/**
 * Every specifier of a static import or re-export (type-only ones included), a side-effect import
 * and a dynamic `import('…')`.
 */
export function importsOf(text: string): string[] {
  const specs: string[] = []
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!)
  return specs
}

/**
 * The file an import names, absolute and without an extension: relative specifiers against the
 * importing file, aliases (`@core/…`, `@shared/…`) against their folder; null for a package or a
 * Node built-in.
 */
export function targetOf(file: string, spec: string): string | null {
  if (spec.startsWith('.')) return resolve(dirname(file), spec)
  for (const [alias, dir] of Object.entries(aliasDirs)) {
    if (spec === alias || spec.startsWith(`${alias}/`)) return join(root, dir, spec.slice(alias.length))
  }
  return null
}

/**
 * The import cycles among `sources` (imports of files outside them are ignored), each as the
 * files along it with the first repeated at the end. Type-only imports count: a cycle of types
 * is still two modules that cannot be read one before the other. Depth-first search with three
 * colours; every cycle closes a back edge, so the list is empty exactly when there is no cycle
 * (it does not list every cycle of a strongly connected tangle, one per back edge).
 */
export function importCycles(sources: Source[]): string[][] {
  const byPath = new Map(sources.map((s) => [s.file, s]))
  const fileOf = (target: string): string | undefined =>
    [target, `${target}.ts`, `${target}.vue`, join(target, 'index.ts')].find((f) => byPath.has(f))
  const edges = new Map<string, string[]>()
  for (const { file, text } of sources) {
    const deps: string[] = []
    for (const spec of importsOf(text)) {
      const target = targetOf(file, spec)
      const dep = target === null ? undefined : fileOf(target)
      if (dep !== undefined) deps.push(dep)
    }
    edges.set(file, deps)
  }
  const colour = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const cycles: string[][] = []
  const visit = (file: string): void => {
    colour.set(file, 'open')
    path.push(file)
    for (const dep of edges.get(file)!) {
      if (colour.get(dep) === 'open') cycles.push([...path.slice(path.indexOf(dep)), dep])
      else if (!colour.has(dep)) visit(dep)
    }
    path.pop()
    colour.set(file, 'done')
  }
  for (const file of [...edges.keys()].sort()) if (!colour.has(file)) visit(file)
  return cycles
}
