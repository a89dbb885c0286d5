/// <reference lib="dom" />
import { chromium } from '@playwright/test'
import { existsSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { runPipeline } from '../../src-main/cli/pipeline'
import { JobBroker } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../../src-main/services/nodeWorker'
import { encodeProject } from '@shared/project/codec'
import { pipelinesOf } from '@shared/project/paperPipeline'
import { PAPER_PARAMETERS, paperProject } from '@shared/project/paperTemplate'
import type { ProjectDoc } from '@shared/project/types'
import { startHost } from '../e2e/hostProcess'
import type { BenchRow } from './paperTemplate'

/**
 * How long the comparison view (RG vs DBN) takes to update every panel after a painted spin, at
 * the paper's 40×40 with its 1600→400→100→25 network: the real app in Chromium through the web
 * host. The project is the paper template's full parameters with fewer samples and epochs (the
 * panels' work per paint does not depend on either), run through `blockspin run`'s pipeline
 * runner. Each paint flips one spin (a pointer press on the data's canvas) and is timed until
 * the last panel's data-version (maps) or data-marked (m and C(r) charts) attribute changed.
 */

/** The goal of issue 10: every panel updated within 100 ms of a paint at 40×40. */
const GOAL_MS = 100
const PAINTS = 20

/** The paper's 40×40 comparison, quickly: 300 samples, 2 epochs per layer, a one-K RBM flow. */
async function comparisonProject(): Promise<{ doc: ProjectDoc; compareId: string; seconds: number }> {
  const doc = paperProject('full', 'bench')
  const analysis = doc.project.analyses.find((a) => a.kind === 'pipeline')!
  const p = structuredClone(PAPER_PARAMETERS.full)
  p.samples = 300
  p.epochs = 2
  p.compare.flow = { Ks: [0.41], steps: 1, count: 20 }
  analysis.spec = { ...analysis.spec, parameters: p }
  const [pipeline] = pipelinesOf(doc.project)
  if (!pipeline || 'problem' in pipeline) throw new Error('the template has no readable pipeline')
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length - 1)
  })
  const t0 = performance.now()
  try {
    const quiet = { log: () => undefined, err: () => undefined }
    const ended = await runPipeline(doc, pipeline, {
      broker,
      out: quiet,
      save: async () => true,
      interrupted: () => false
    })
    if (ended !== 'done') throw new Error(`making the comparison ended ${ended}`)
  } finally {
    await broker.shutdown()
  }
  const [done] = pipelinesOf(doc.project)
  const compareId = done && !('problem' in done) ? done.stages.find((s) => s.name === 'compare')?.outputId : null
  if (!compareId) throw new Error('the pipeline made no comparison')
  return { doc, compareId, seconds: (performance.now() - t0) / 1000 }
}

/**
 * One paint in the page: ms until the last panel attribute changed, ms until the frame after it
 * was drawn (charts render in their own animation frame), and how many panels changed.
 */
type PaintTiming = { ms: number; painted: number; changed: number; panels: number }

/**
 * Runs in the page: presses the pointer on cell (x, y) of the data's canvas and watches every
 * panel's attribute until all changed or nothing changed for `quietMs`.
 */
function paintInPage([x, y, quietMs]: [number, number, number]): Promise<PaintTiming> {
  const view = document.querySelector('[data-testid="compare-view"]')!
  const maps = view.querySelectorAll('[data-testid^="compare-rg-"] canvas, [data-testid^="compare-dbn-"] canvas')
  const charts = view.querySelectorAll('[data-testid^="compare-m-chart-"], [data-testid^="compare-c-chart-"]')
  const targets = [
    ...Array.from(maps, (el) => ({ el, attr: 'data-version' })),
    ...Array.from(charts, (el) => ({ el, attr: 'data-marked' }))
  ]
  const before = targets.map((t) => t.el.getAttribute(t.attr))
  const canvas = view.querySelector('[data-testid="compare-rg-0"] canvas') as HTMLCanvasElement
  const rect = canvas.getBoundingClientRect()
  const Lx = canvas.width
  const Ly = canvas.height
  const scale = Math.min(rect.width / Lx, rect.height / Ly)
  const clientX = rect.left + (rect.width - scale * Lx) / 2 + (x + 0.5) * scale
  const clientY = rect.top + (rect.height - scale * Ly) / 2 + (y + 0.5) * scale
  return new Promise((done) => {
    let last = 0
    let timer = 0
    const changed = () => targets.filter((t, i) => t.el.getAttribute(t.attr) !== before[i]).length
    /** When the frame after the last change was drawn (what that change scheduled, chart renders, included). */
    let painted = Number.NaN
    const finish = () => {
      observer.disconnect()
      const n = changed()
      requestAnimationFrame(() =>
        window.setTimeout(() => done({ ms: last, painted, changed: n, panels: targets.length }))
      )
    }
    const observer = new MutationObserver(() => {
      const at = (last = performance.now() - t0)
      requestAnimationFrame(() =>
        window.setTimeout(() => {
          if (at === last) painted = performance.now() - t0
        })
      )
      window.clearTimeout(timer)
      if (changed() === targets.length) finish()
      else timer = window.setTimeout(finish, quietMs)
    })
    for (const t of targets) observer.observe(t.el, { attributes: true, attributeFilter: [t.attr] })
    timer = window.setTimeout(finish, quietMs)
    const t0 = performance.now()
    const init = { clientX, clientY, pointerId: 1, bubbles: true, isPrimary: true, button: 0, buttons: 1 }
    canvas.dispatchEvent(new PointerEvent('pointerdown', init))
    canvas.dispatchEvent(new PointerEvent('pointerup', { ...init, buttons: 0 }))
  })
}

/** Times `paints` single-spin paints in the comparison view of the saved project. */
export async function measureComparePaint(paints = PAINTS): Promise<{
  timings: PaintTiming[]
  L: number
  makeSeconds: number
}> {
  const made = await comparisonProject()
  const host = await startHost()
  const executablePath =
    process.env['PLAYWRIGHT_CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
  try {
    writeFileSync(join(host.root, 'compare.blockspin'), encodeProject(made.doc, 'bench'))
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    // A returning user: a first launch would open the example project and the guide instead.
    await page.addInitScript({ content: "localStorage.setItem('blockspin.launched', '1')" })
    // paintInPage as compiled here names its inner functions with esbuild's __name helper.
    await page.addInitScript({ content: 'window.__name = (f) => f' })
    await page.goto(host.url)
    await page.getByTestId('open').click()
    await page.getByTestId('file-compare.blockspin').click()
    await page.getByTestId('picker-confirm').click()
    await page.getByTestId(`analysis-${made.compareId}`).click()
    await page.getByTestId('compare-rg-0').locator('canvas').waitFor({ timeout: 60_000 })
    const L = await page
      .getByTestId('compare-rg-0')
      .locator('canvas')
      .evaluate((c) => (c as HTMLCanvasElement).width)
    await page.waitForTimeout(1000)
    const timings: PaintTiming[] = []
    // Two paints to warm up (compilation, first chart layouts), then the timed ones.
    for (let k = -2; k < paints; k++) {
      const x = (3 + 7 * (k + 2)) % L
      const y = (5 + 11 * (k + 2)) % L
      const t = await page.evaluate(paintInPage, [x, y, 1000] as [number, number, number])
      if (k >= 0) timings.push(t)
      await page.waitForTimeout(150)
    }
    return { timings, L, makeSeconds: made.seconds }
  } finally {
    await browser.close()
    await host.stop()
  }
}

export async function benchComparePaint(rows: BenchRow[]): Promise<void> {
  const name = 'Comparison view: every panel updated after painting a spin, 40×40, DBN 1600→400→100→25'
  try {
    const { timings, L, makeSeconds } = await measureComparePaint()
    const ms = timings.map((t) => t.ms).sort((a, b) => a - b)
    const median = ms[Math.floor(ms.length / 2)]!
    const worst = ms[ms.length - 1]!
    const drawn = timings.map((t) => t.painted).sort((a, b) => a - b)
    const drawnMedian = drawn[Math.floor(drawn.length / 2)]!
    const panels = timings[0]?.panels ?? 0
    const allChanged = timings.filter((t) => t.changed === t.panels).length
    rows.push({
      name,
      value: median,
      unit: 'ms',
      reference: GOAL_MS,
      ratio: median / GOAL_MS,
      note: `median of ${timings.length} paints, worst ${worst.toFixed(0)} ms (drawn: median ${drawnMedian.toFixed(0)}, worst ${drawn[drawn.length - 1]!.toFixed(0)} ms); reference: the 100 ms goal (ratio ≤ 1); ${L}×${L}, ${panels} panels, all changed in ${allChanged} paints`,
      extra: {
        median,
        worst,
        drawnMedian,
        drawnWorst: drawn[drawn.length - 1]!,
        panels,
        allChanged,
        L,
        makeSeconds: Number(makeSeconds.toFixed(1))
      }
    })
  } catch (e) {
    rows.push({ name, value: null, unit: 'ms', note: `not measured: ${(e as Error).message}` })
  }
}
