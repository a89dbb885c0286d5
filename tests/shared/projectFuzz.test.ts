import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError, type ProjectError } from '@shared/project/errors'
import { MUTATORS } from './projectMutants'

/**
 * Seeded fuzzing of the project reader: several hundred mutants of the committed fixtures, each
 * of which must open (and then save and open again) or be refused with a typed error whose
 * sentence is one line of printable text. Time and memory per mutant are measured and bounded
 * generously (a hang or a runaway allocation is orders of magnitude beyond them). A failing
 * mutant is reproduced from SEED, its mutator and its index.
 */

const SEED = 0x5eed_11
const PER_MUTATOR_AND_FIXTURE = 13
/** The mutators that build megabytes per mutant run fewer times (the 65 MiB project.json alone takes ~0.3 s to zip). */
const FEWER: Record<string, number> = { hugeJson: 4, realBomb: 6 }
const FIXTURES = [
  'project-v1/basic.blockspin',
  'project-v2/general.blockspin',
  'project-v2/cli-training.blockspin'
].map((name) => [name, new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)))] as const)
const TAGS: ReadonlySet<ProjectError['tag']> = new Set([
  'io',
  'not-zip',
  'unsafe-entry',
  'too-many-entries',
  'too-large',
  'missing-project-json',
  'bad-envelope',
  'too-new',
  'migration-failed',
  'invalid',
  'array-missing',
  'array-corrupt',
  'checksum',
  'outside-root',
  'not-permitted'
])
/** Generous: the slowest mutant (a 4 MiB project.json) decodes in well under a second. */
const MAX_MS_PER_MUTANT = 10_000
/** Generous: no mutant of a few kilobytes may make the reader hold more than this. */
const MAX_BYTES_PER_MUTANT = 256 * 1024 ** 2
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

interface Outcome {
  opened: boolean
  tag?: string
}

function check(bytes: Uint8Array, where: string): Outcome {
  const before = process.memoryUsage()
  const t0 = performance.now()
  let result: ReturnType<typeof decodeProject>
  try {
    result = decodeProject(bytes)
  } catch (error) {
    throw new Error(`${where}: decodeProject threw ${(error as Error)?.stack ?? String(error)}`, { cause: error })
  }
  const ms = performance.now() - t0
  const after = process.memoryUsage()
  const grew = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
  expect(ms, `${where}: took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS_PER_MUTANT)
  expect(grew, `${where}: held ${grew} more bytes`).toBeLessThan(MAX_BYTES_PER_MUTANT)
  if (!result.ok) {
    expect(TAGS.has(result.error.tag), `${where}: tag ${result.error.tag}`).toBe(true)
    const text = describeProjectError(result.error)
    expect(text, where).not.toMatch(CONTROL)
    expect(text.length, where).toBeLessThan(1200)
    expect(text, where).toMatch(/\.$/)
    return { opened: false, tag: result.error.tag }
  }
  // What opens can be shown (info --json) and saved, and the saved file opens again.
  expect(() => JSON.stringify(result.doc.project), where).not.toThrow()
  const again = decodeProject(encodeProject(result.doc, 'fuzz'))
  expect(again.ok ? 'opened' : describeProjectError(again.error), `${where}: saved copy`).toBe('opened')
  return { opened: true }
}

describe('project reader fuzzing', () => {
  it(`every mutant opens or is refused in one line, within time and memory (seed ${SEED})`, () => {
    const rng = xoshiro128ss(SEED)
    const outcomes = new Map<string, Outcome[]>()
    for (const [mutator, mutate] of Object.entries(MUTATORS)) {
      for (const [fixture, bytes] of FIXTURES) {
        for (let k = 0; k < (FEWER[mutator] ?? PER_MUTATOR_AND_FIXTURE); k++) {
          const where = `${mutator} #${k} of ${fixture}`
          const mutant = mutate(bytes, rng)
          const list = outcomes.get(mutator) ?? []
          list.push(check(mutant, where))
          outcomes.set(mutator, list)
        }
      }
    }
    const total = [...outcomes.values()].reduce((n, list) => n + list.length, 0)
    expect(total).toBeGreaterThanOrEqual(400)
    // The mutators reach the reader's defences, not only its first check: most are refused,
    // and the refusals are spread over many stages.
    const tags = new Set([...outcomes.values()].flat().flatMap((o) => (o.tag ? [o.tag] : [])))
    expect(tags.size).toBeGreaterThanOrEqual(7)
    for (const mutator of ['zip64Fields', 'declaredSizeBomb', 'absurdNpy', 'deepJson', 'hugeJson']) {
      expect(
        outcomes.get(mutator)!.some((o) => !o.opened),
        mutator
      ).toBe(true)
    }
  })
})
