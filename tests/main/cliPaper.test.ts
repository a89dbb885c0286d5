import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kaufmanTorus } from '@core/ising/exact/kaufman'
import { decodeProject } from '@shared/project/codec'
import { PAPER_PARAMETERS } from '@shared/project/paperTemplate'
import { pipelinesOf, type PipelineRecord } from '@shared/project/paperPipeline'
import type { ProjectDoc } from '@shared/project/types'
import { cli } from '../helpers/cli'

/**
 * The paper template's small variant, end to end through `blockspin new` and `blockspin run`
 * (real worker processes): every stage done, the dataset's energy at the exact (Kaufman) value
 * within its error bars, the network trained, the comparison and the mapping made; and an
 * interrupted run (SIGINT during the training) saves the training paused and a second run
 * finishes it with weights bit-identical to the uninterrupted run's.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-paper-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function open(file: string): ProjectDoc {
  const decoded = decodeProject(new Uint8Array(readFileSync(file)))
  if (!decoded.ok) throw new Error(`${file} did not open: ${decoded.error.tag}`)
  return decoded.doc
}

function pipelineOf(doc: ProjectDoc): PipelineRecord {
  const [p] = pipelinesOf(doc.project)
  if (!p || 'problem' in p) throw new Error('no readable pipeline')
  return p
}

let finished: ProjectDoc

describe('blockspin new --template mehta-schwab-2014 --small, then blockspin run', () => {
  it('creates the template and refuses to overwrite or to guess a template', async () => {
    const file = join(dir, 'small.blockspin')
    expect((await cli('new', file, '--template', 'mehta-schwab-2014', '--small')).code).toBe(0)
    const made = open(file)
    expect(made.project.name).toBe('Mehta & Schwab 2014 (small)')
    expect(pipelineOf(made).stages.map((s) => [s.name, s.status])).toEqual([
      ['mapping', 'pending'],
      ['dataset', 'pending'],
      ['training', 'pending'],
      ['compare', 'pending']
    ])
    const again = await cli('new', file, '--template', 'mehta-schwab-2014')
    expect(again.code).toBe(2)
    expect(again.err).toContain('exists; it was left alone')
    const unknown = await cli('new', join(dir, 'x.blockspin'), '--template', 'hinton-2006')
    expect(unknown).toMatchObject({ code: 2 })
    expect(unknown.err).toContain('Unknown template "hinton-2006"')
  })

  it('runs every stage, and the numbers are the physics', async () => {
    const file = join(dir, 'small.blockspin')
    const r = await cli('run', file)
    expect(r.code, r.err).toBe(0)
    expect(r.log).toContain('Mehta & Schwab 2014 (small): done in')
    finished = open(file)
    const p = pipelineOf(finished)
    expect(p.stages.every((s) => s.status === 'done' && s.outputId !== null && s.seconds !== null)).toBe(true)
    const params = PAPER_PARAMETERS.small
    // The dataset: the 16×16 torus at K = 0.408 by Wolff; e within 4σ of Kaufman's exact value.
    const dataset = finished.project.datasets.find((d) => d.id === p.stages[1]!.outputId)!
    expect(dataset.samples).toBe(params.samples)
    const e = (dataset.summary!['summary'] as { e: { value: number; error: number } }).e
    const exact = kaufmanTorus(16, 16, params.K).e!
    expect(Math.abs(e.value - exact)).toBeLessThan(4 * e.error)
    // The network: 256→64→16→4, done, with its history of every epoch of every layer.
    const training = finished.project.trainings!.find((t) => t.id === p.stages[2]!.outputId)!
    expect(training.status).toBe('done')
    expect(training.layers.map((l) => l.nh)).toEqual(params.layers)
    expect(finished.arrays[training.arrays['W1']!]!.shape).toEqual([256, 64])
    // Fig. 2: the decimation is an exact RBM (ΔF = 0, the trace condition holds).
    const mapping = finished.project.analyses.find((a) => a.id === p.stages[0]!.outputId)!
    const summary = (mapping.result as { summary: { deltaF: number; traceResidual: number } }).summary
    expect(Math.abs(summary.deltaF)).toBeLessThan(1e-12)
    expect(Math.abs(summary.traceResidual)).toBeLessThan(1e-12)
    // The comparison: a level per layer, and the RBM flow from each starting K.
    const compare = finished.project.analyses.find((a) => a.id === p.stages[3]!.outputId)!
    expect(compare.sourceId).toBe(training.id)
    expect(Object.keys(compare.result!)).toEqual(expect.arrayContaining(['levels', 'flow']))
    // Nothing left: a second run says so and leaves the file alone.
    const before = readFileSync(file)
    expect((await cli('run', file)).log).toContain('Nothing to run')
    expect(readFileSync(file).equals(before)).toBe(true)
  }, 120_000)

  it('Ctrl+C during the training saves it paused; the next run finishes it bit for bit', async () => {
    const file = join(dir, 'interrupted.blockspin')
    expect((await cli('new', file, '--template', 'mehta-schwab-2014', '--small')).code).toBe(0)
    const script = join(dir, 'cli.mjs')
    writeFileSync(
      script,
      `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src-main/cli/index.ts')).href)}\nprocess.exitCode = await main(process.argv.slice(2))\n`
    )
    const child = spawn(process.execPath, ['--import', TSX, script, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => {
      err += String(d)
      // Interrupt once the training has made progress past its first epochs.
      if (/training: .*epoch ([3-9]|1\d)\/20/.test(err) && !child.killed) child.kill('SIGINT')
    })
    child.stdout.on('data', () => undefined)
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(code, err).toBe(1)
    expect(err).toMatch(/paused at layer \d, epoch \d+; run the project again to continue/)
    const paused = open(file)
    const p = pipelineOf(paused)
    expect(p.stages.map((s) => s.status)).toEqual(['done', 'done', 'paused', 'pending'])
    const t = paused.project.trainings![0]!
    expect(t.status).toBe('paused')
    expect(t.checkpoint).toBeDefined()

    const resumed = await cli('run', file)
    expect(resumed.code, resumed.err).toBe(0)
    expect(resumed.err).toMatch(/continuing from layer \d, epoch \d+/)
    const done = open(file)
    const w = (doc: ProjectDoc, role: string) => {
      const t = doc.project.trainings![0]!
      return Buffer.from((doc.arrays[t.arrays[role]!]!.data as Float32Array).buffer)
    }
    for (const role of ['W1', 'b1', 'W2', 'W3', 'a3']) expect(w(done, role).equals(w(finished, role)), role).toBe(true)
  }, 180_000)
})

describe('the shipped example (examples/paper-small.blockspin)', () => {
  it('is the template’s small variant with every stage done (remake it with scripts/make-example.mjs)', () => {
    const doc = open(join(ROOT, 'examples', 'paper-small.blockspin'))
    const p = pipelineOf(doc)
    expect(p.parameters).toEqual(PAPER_PARAMETERS.small)
    expect(p.stages.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done'])
    expect(doc.project.trainings![0]!.status).toBe('done')
  })
})
