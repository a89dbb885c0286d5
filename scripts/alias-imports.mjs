// Rewrites relative imports that reach into src-core or src-main/shared from outside that folder
// to the aliases of scripts/aliases.mjs: `../../../src-core/lattice/build` → `@core/lattice/build`,
// `../shared/contract` (from src-main/services) → `@shared/contract`. Imports within the same
// root stay relative. Running it twice changes nothing.
//   node scripts/alias-imports.mjs                 rewrite every .ts, .mts and .vue file
//   node scripts/alias-imports.mjs --check         list the files it would change; exit 1 if any
//   node scripts/alias-imports.mjs [--check] PATH… only these files or folders
// Plain-Node scripts (.mjs, .js) are left alone: Node itself does not know the aliases.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { aliasDirs } from './aliases.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const defaultDirs = ['src-core', 'src-main', 'src-renderer', 'tests']
const skipDirs = new Set(['node_modules', 'out', 'reports', 'test-results'])

/** Every .ts, .mts and .vue file under `path` (or `path` itself). */
export function sourceFiles(path) {
  if (!statSync(path).isDirectory()) return /\.(m?ts|vue)$/.test(path) ? [path] : []
  const out = []
  for (const name of readdirSync(path)) {
    if (skipDirs.has(name)) continue
    out.push(...sourceFiles(join(path, name)))
  }
  return out
}

const toPosix = (p) => p.split(sep).join('/')

/** The alias form of a relative specifier in `file` (absolute), or null to leave it as it is. */
export function aliasFor(file, spec, base = root) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null
  const fileRel = toPosix(relative(base, file))
  const targetRel = toPosix(relative(base, resolve(dirname(file), spec)))
  for (const [alias, dir] of Object.entries(aliasDirs)) {
    const inside = (p) => p === dir || p.startsWith(`${dir}/`)
    if (!inside(targetRel) || inside(fileRel)) continue
    return targetRel === dir ? alias : `${alias}${targetRel.slice(dir.length)}`
  }
  return null
}

// Static imports and re-exports (`from '…'`), side-effect imports, dynamic and type-position
// `import('…')`, and Vitest's module mocks, whose paths resolve as imports do.
const specifier =
  /(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+|\bvi\.(?:mock|doMock|unmock|doUnmock|importActual|importMock)\s*\(\s*)(['"])(\.\.?\/[^'"\n]*)\2/gm

/** The text with its reaching-in relative imports aliased. */
export function rewrite(file, text, base = root) {
  return text.replace(specifier, (whole, head, quote, spec) => {
    const alias = aliasFor(file, spec, base)
    return alias === null ? whole : `${head}${quote}${alias}${quote}`
  })
}

function main(argv) {
  const check = argv.includes('--check')
  const paths = argv.filter((a) => a !== '--check')
  const targets = (paths.length ? paths.map((p) => resolve(p)) : defaultDirs.map((d) => join(root, d))).flatMap(
    sourceFiles
  )
  const changed = []
  for (const file of targets) {
    const text = readFileSync(file, 'utf8')
    const next = rewrite(file, text)
    if (next === text) continue
    changed.push(toPosix(relative(root, file)))
    if (!check) writeFileSync(file, next)
  }
  for (const name of changed) console.log(`${check ? 'would alias' : 'aliased'}: ${name}`)
  console.log(`${changed.length} file${changed.length === 1 ? '' : 's'} ${check ? 'to change' : 'changed'}`)
  return check && changed.length > 0 ? 1 : 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2))
