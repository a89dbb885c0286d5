import type { z } from 'zod'
import { projectV1Schema } from './schema/v1'
import { projectV2Schema } from './schema/v2'
import { projectV3Schema } from './schema/v3'
import { v1ToV2 } from './migrateV1'

/**
 * Upgrading project.json from older format versions, one numbered step at a time
 * (tldraw's store/migrate.ts and nbformat's per-version schemas are the model).
 *
 * To change the format: freeze the current schema, add schema/v(N+1).ts, append a migration with
 * `from: N` whose `up` turns a valid version-N document into a version-(N+1) one, and raise
 * CURRENT_FORMAT_VERSION. Keep a version-N fixture under tests/fixtures forever.
 */
export const CURRENT_FORMAT_VERSION = 3

/** The frozen schema of every format version ever written, by version. */
export const SCHEMAS: Record<number, z.ZodType> = { 1: projectV1Schema, 2: projectV2Schema, 3: projectV3Schema }

export interface Migration {
  /** Upgrades `from` → `from + 1`. */
  from: number
  /** up() receives a document that passed SCHEMAS[from] and must return a version from+1 one. */
  up(project: Record<string, unknown>): Record<string, unknown>
}

/** In order, without gaps: MIGRATIONS[k].from === k + 1. */
export const MIGRATIONS: readonly Migration[] = [
  { from: 1, up: v1ToV2 },
  // Format 3 only adds optional fields (coarse datasets) and analysis kinds: a format-2 document
  // is a format-3 one once its version says so (migrateToCurrent sets formatVersion).
  { from: 2, up: (project) => ({ ...project }) }
]

/** Returns why a migration list is unusable for `current`, or null when it is a gap-free chain. */
export function migrationChainProblem({ current, migrations, schemas }: MigrationChain): string | null {
  if (migrations.length !== current - 1) {
    return `expected ${current - 1} migrations to reach format ${current}, found ${migrations.length}`
  }
  for (let k = 0; k < migrations.length; k++) {
    if (migrations[k].from !== k + 1) return `migration #${k} upgrades from ${migrations[k].from}, expected ${k + 1}`
  }
  for (let v = 1; v <= current; v++) if (!schemas[v]) return `no frozen schema for format ${v}`
  return null
}

export type MigrationResult = { ok: true; project: Record<string, unknown> } | { ok: false; detail: string }

export interface MigrationChain {
  current: number
  migrations: readonly Migration[]
  schemas: Record<number, z.ZodType>
}

export const PROJECT_MIGRATIONS: MigrationChain = {
  current: CURRENT_FORMAT_VERSION,
  migrations: MIGRATIONS,
  schemas: SCHEMAS
}

// Checked when the module loads: a gap is a programmer error and must never reach a user.
const chainProblem = migrationChainProblem(PROJECT_MIGRATIONS)
if (chainProblem) throw new Error(`Project migrations are broken: ${chainProblem}`)

/** Runs every step from `from` up to the chain's current version; each step's input is validated first. */
export function migrateToCurrent(
  project: Record<string, unknown>,
  from: number,
  chain: MigrationChain = PROJECT_MIGRATIONS
): MigrationResult {
  let current = project
  for (let version = from; version < chain.current; version++) {
    const step = chain.migrations[version - 1]
    const checked = chain.schemas[version].safeParse(current)
    if (!checked.success) {
      return {
        ok: false,
        detail: `it is not a valid format ${version} file (${formatZodIssue(checked.error.issues[0])})`
      }
    }
    try {
      current = { ...step.up(checked.data as Record<string, unknown>), formatVersion: version + 1 }
    } catch (e) {
      return { ok: false, detail: `step ${version} → ${version + 1} failed: ${(e as Error).message}` }
    }
  }
  return { ok: true, project: current }
}

/** "runs[0].spec.L: Too small: expected number to be >=1" — where and what, in one line. */
export function formatZodIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'rejected'
  let where = ''
  for (const key of issue.path) {
    where += typeof key === 'number' ? `[${key}]` : where === '' ? String(key) : `.${String(key)}`
  }
  return `${where || '(top level)'}: ${issue.message}`
}
