import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  CURRENT_FORMAT_VERSION,
  MIGRATIONS,
  PROJECT_MIGRATIONS,
  SCHEMAS,
  migrateToCurrent,
  migrationChainProblem,
  type MigrationChain
} from '@shared/project/migrations'
import { describeProjectError } from '@shared/project/errors'
import { expectSentence } from './projectTestUtils'

const v1 = z.looseObject({ formatVersion: z.literal(1), title: z.string() })
const v2 = z.looseObject({ formatVersion: z.literal(2), name: z.string() })
const v3 = z.looseObject({ formatVersion: z.literal(3), name: z.string(), tags: z.array(z.string()) })

/** A made-up three-version history: v1 `title` → v2 `name` → v3 adds `tags`. */
const chain: MigrationChain = {
  current: 3,
  schemas: { 1: v1, 2: v2, 3: v3 },
  migrations: [
    { from: 1, up: ({ title, ...rest }) => ({ ...rest, name: title }) },
    { from: 2, up: (p) => ({ ...p, tags: [] }) }
  ]
}

describe('the shipped migration chain', () => {
  it('has one frozen schema per version and no gaps', () => {
    expect(migrationChainProblem(PROJECT_MIGRATIONS)).toBeNull()
    expect(MIGRATIONS).toHaveLength(CURRENT_FORMAT_VERSION - 1)
    for (let v = 1; v <= CURRENT_FORMAT_VERSION; v++) expect(SCHEMAS[v], `schema v${v}`).toBeDefined()
  })
})

describe('migrationChainProblem', () => {
  it('accepts a complete chain', () => {
    expect(migrationChainProblem(chain)).toBeNull()
  })
  it('finds a gap', () => {
    expect(
      migrationChainProblem({ ...chain, migrations: [chain.migrations[0], { ...chain.migrations[1], from: 3 }] })
    ).toMatch(/upgrades from 3, expected 2/)
  })
  it('finds a missing step', () => {
    expect(migrationChainProblem({ ...chain, migrations: [chain.migrations[0]] })).toMatch(/expected 2 migrations/)
  })
  it('finds a missing frozen schema', () => {
    expect(migrationChainProblem({ ...chain, schemas: { 1: v1, 3: v3 } })).toMatch(/no frozen schema for format 2/)
  })
})

describe('migrateToCurrent', () => {
  it('runs every step in order, keeping unknown fields and setting formatVersion', () => {
    const result = migrateToCurrent({ formatVersion: 1, title: 'Old', extra: 7 }, 1, chain)
    expect(result).toEqual({ ok: true, project: { formatVersion: 3, name: 'Old', tags: [], extra: 7 } })
  })
  it('starts from the version the file has', () => {
    expect(migrateToCurrent({ formatVersion: 2, name: 'Mid' }, 2, chain)).toEqual({
      ok: true,
      project: { formatVersion: 3, name: 'Mid', tags: [] }
    })
  })
  it('leaves a current document alone', () => {
    const doc = { formatVersion: 3, name: 'New', tags: ['a'] }
    expect(migrateToCurrent(doc, 3, chain)).toEqual({ ok: true, project: doc })
  })
  it('checks each step input against that version’s frozen schema', () => {
    const result = migrateToCurrent({ formatVersion: 1, title: 5 }, 1, chain)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.detail).toMatch(/not a valid format 1 file \(title: /)
  })
  it('turns a throwing step into a readable failure that describeProjectError can say', () => {
    const broken: MigrationChain = {
      ...chain,
      migrations: [
        chain.migrations[0],
        {
          from: 2,
          up: () => {
            throw new Error('no tags table')
          }
        }
      ]
    }
    const result = migrateToCurrent({ formatVersion: 1, title: 'x' }, 1, broken)
    expect(result).toEqual({ ok: false, detail: 'step 2 → 3 failed: no tags table' })
    if (!result.ok) {
      const sentence = describeProjectError({ tag: 'migration-failed', from: 1, detail: result.detail })
      expectSentence(sentence)
      expect(sentence).toMatch(/format 1.*no tags table/)
    }
  })
})
