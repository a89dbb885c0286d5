/// <reference lib="dom" />
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'
import { JobBroker } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../../src-main/services/nodeWorker'
import { runPipeline } from '../../src-main/cli/pipeline'
import { stageEstimates } from '@shared/project/paperEstimate'
import {
  PAPER_PARAMETERS,
  paperProject,
  paperTrainingOptions,
  trainingStageRecord
} from '@shared/project/paperTemplate'
import { pipelinesOf, type PaperVariant } from '@shared/project/paperPipeline'
import { trainingJobSpec } from '@shared/project/trainingSpec'
import { physicalLattice } from '@shared/project/trainingData'
import type { RbmTrainingSpec } from '@core/jobs/rbmTrain'
import { startHost } from '../e2e/hostProcess'

/**
 * The paper template end to end, per stage: what a reader waits for.
 *  - Through the CLI's pipeline runner (`blockspin run`: the job worker the app also uses), the
 *    whole template; each stage's seconds, and the training's layers from its progress notes,
 *    against the goal of 10 minutes for the full template (ratio ≤ 1) and each stage's estimate
 *    (the ETA's model, ratio near 1).
 *  - The monitors' share of a layer-1 epoch: a few epochs of the template's first layer in the
 *    app's worker with the app's monitors against none (ratio − 1 is the monitors' cost).
 *  - The small template from the UI in Chromium through the web host (click, wait for done),
 *    against the same template through the CLI runner.
 * BENCH_PAPER=small runs the small variant only (a quick look); the default is the full one.
 */

export interface BenchRow {
  name: string
  value: number | null
  unit: string
  reference?: number | null
  ratio?: number | null
  note?: string
  extra?: Record<string, number | string | null>
}

function newBroker(): JobBroker {
  const worker = defaultWorkerEntry()
  return new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length - 1)
  })
}

/** The template through the CLI's pipeline runner: seconds per stage and per training layer. */
async function cliTemplate(variant: PaperVariant): Promise<{
  total: number
  stages: Record<string, number>
  layers: number[]
}> {
  const doc = paperProject(variant, 'bench')
  const [pipeline] = pipelinesOf(doc.project)
  if (!pipeline || 'problem' in pipeline) throw new Error('the template has no readable pipeline')
  const broker = newBroker()
  const layerStarts: number[] = []
  broker.on('update', (i) => {
    const m = /^layer (\d+)\//.exec(i.progress?.note ?? '')
    if (i.kind === 'rbm.train' && m) {
      const l = Number(m[1]) - 1
      if (layerStarts[l] === undefined) layerStarts[l] = performance.now()
    }
  })
  const t0 = performance.now()
  let trainingEnd = 0
  broker.on('update', (i) => {
    if (i.kind === 'rbm.train' && i.status === 'done') trainingEnd = performance.now()
  })
  try {
    const quiet = { log: () => undefined, err: () => undefined }
    const ended = await runPipeline(doc, pipeline, {
      broker,
      out: quiet,
      save: async () => true,
      interrupted: () => false
    })
    if (ended !== 'done') throw new Error(`the template ended ${ended}`)
  } finally {
    await broker.shutdown()
  }
  const total = (performance.now() - t0) / 1000
  const [done] = pipelinesOf(doc.project)
  const stages: Record<string, number> = {}
  if (done && !('problem' in done)) for (const s of done.stages) stages[s.name] = s.seconds ?? NaN
  const layers = layerStarts.map((start, l) => ((layerStarts[l + 1] ?? trainingEnd) - start) / 1000)
  return { total, stages, layers }
}

/** Seconds per layer-1 epoch of the template in the app's worker, with the app's monitors and without. */
async function layerOneEpochs(variant: PaperVariant, epochs: number): Promise<{ withMonitors: number; bare: number }> {
  const p = PAPER_PARAMETERS[variant]
  const N = p.L * p.L
  const samples = new Int8Array(p.samples * N)
  let s = 1
  let seed = 12345
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0
    if (seed / 2 ** 32 < 0.1) s = -s
    samples[i] = s
  }
  const array = { dtype: '|i1' as const, shape: [p.samples, p.L, p.L], data: samples }
  const lattice = physicalLattice(paperProject(variant, 'bench').project.models[0], N)
  const time = async (monitors: boolean): Promise<number> => {
    const record = {
      ...trainingStageRecord(p, 'bench', 'data1', monitors),
      layers: [{ nh: p.layers[0]!, hiddenUnits: '01' as const }],
      options: { ...paperTrainingOptions(p), epochs }
    }
    const spec: RbmTrainingSpec = trainingJobSpec(record, array, lattice)
    if (!monitors)
      spec.monitors = { reconstruction: false, pseudoLikelihood: 'off', logLikelihood: 'off', freeEnergyGap: false }
    const broker = newBroker()
    try {
      let first = 0
      broker.on('update', (i) => {
        if (!first && /epoch [1-9]/.test(i.progress?.note ?? '')) first = performance.now()
      })
      const id = broker.start({ kind: 'rbm.train', title: 'bench', interactive: false, spec, seed: 1 })
      const outcome = await broker.wait(id)
      if (outcome.status !== 'done') throw new Error(`the training ended ${outcome.status}`)
      // From the end of epoch 1 (worker start-up and compilation excluded) to the end.
      return (performance.now() - first) / 1000 / (epochs - 1)
    } finally {
      await broker.shutdown()
    }
  }
  return { withMonitors: await time(true), bare: await time(false) }
}

/** The small template from the UI: click "Reproduce the paper" (small) and wait until every stage is done. */
async function appTemplateSeconds(): Promise<number> {
  const host = await startHost()
  const executablePath =
    process.env['PLAYWRIGHT_CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(host.url)
    await page.getByTestId('paper-small').check()
    const t0 = performance.now()
    await page.getByTestId('paper-reproduce').click()
    await page.getByText('finished: every stage is done').waitFor({ timeout: 600_000 })
    return (performance.now() - t0) / 1000
  } finally {
    await browser.close()
    await host.stop()
  }
}

export async function benchPaperTemplate(rows: BenchRow[]): Promise<void> {
  const variant: PaperVariant = process.env['BENCH_PAPER'] === 'small' ? 'small' : 'full'
  const p = PAPER_PARAMETERS[variant]
  const label = variant === 'full' ? 'Paper template 40×40 (full)' : 'Paper template 16×16 (small)'
  const estimates = stageEstimates(p)
  try {
    const cli = await cliTemplate(variant)
    rows.push({
      name: `${label}, end to end (blockspin run)`,
      value: cli.total,
      unit: 's',
      reference: 600,
      ratio: cli.total / 600,
      note: 'reference: the 10-minute goal (ratio ≤ 1)',
      extra: { ...cli.stages, layers: cli.layers.map((s) => s.toFixed(1)).join(', ') }
    })
    for (const [stage, seconds] of Object.entries(cli.stages)) {
      const estimate = estimates[stage as keyof typeof estimates]
      rows.push({
        name: `${label}: stage ${stage}`,
        value: seconds,
        unit: 's',
        reference: estimate,
        ratio: seconds / estimate,
        note: 'reference: the ETA model’s estimate (ratio near 1 keeps the ETA honest)'
      })
    }
    cli.layers.forEach((seconds, l) =>
      rows.push({
        name: `${label}: training layer ${l + 1} (${[p.L * p.L, ...p.layers][l]}→${p.layers[l]})`,
        value: seconds,
        unit: 's',
        note: `${p.epochs} epochs with the app's monitors`
      })
    )
  } catch (e) {
    rows.push({
      name: `${label}, end to end (blockspin run)`,
      value: null,
      unit: 's',
      note: `not measured: ${(e as Error).message}`
    })
  }
  try {
    const epochs = variant === 'full' ? 4 : 8
    const t = await layerOneEpochs(variant, epochs)
    rows.push({
      name: `${label}: a layer-1 epoch with the app's monitors`,
      value: t.withMonitors,
      unit: 's',
      reference: t.bare,
      ratio: t.withMonitors / t.bare,
      note: `reference: the same epoch without monitors (ratio − 1 = the monitors' share); ${epochs - 1} epochs timed`
    })
  } catch (e) {
    rows.push({
      name: `${label}: a layer-1 epoch with the app's monitors`,
      value: null,
      unit: 's',
      note: `not measured: ${(e as Error).message}`
    })
  }
  try {
    const app = await appTemplateSeconds()
    const cli = await cliTemplate('small')
    rows.push({
      name: 'Paper template 16×16 (small), from the UI (web host)',
      value: app,
      unit: 's',
      reference: cli.total,
      ratio: app / cli.total,
      note: 'reference: the same template through blockspin run’s runner; goal under a minute'
    })
  } catch (e) {
    rows.push({
      name: 'Paper template 16×16 (small), from the UI (web host)',
      value: null,
      unit: 's',
      note: `not measured: ${(e as Error).message}`
    })
  }
}
