// The import aliases for core and shared code, in one place for every tool that resolves
// imports: Vite (electron.vite.config.ts), Vitest (vitest.config.ts), ESLint (eslint.config.js),
// the layering test and scripts/alias-imports.mjs. TypeScript and tsx read the same mapping from
// `paths` in tsconfig.base.json, which tests/shared/layers.test.ts keeps equal to this one.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Alias → folder, relative to the repository root: `@core/x` is `src-core/x`. */
export const aliasDirs = { '@core': 'src-core', '@shared': 'src-main/shared' }

/** The aliases as absolute folders, for Vite's `resolve.alias`. */
export function viteAliases(base = root) {
  return Object.fromEntries(Object.entries(aliasDirs).map(([alias, dir]) => [alias, join(base, dir)]))
}
