import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

/**
 * The live chain's, an RG flow's and the example's RG-vs-DBN comparison's charts at 1280×720 and
 * 1920×1080: every chart fits the window with its legend (also after the window shrinks), legends
 * list every entry without pages, and exported figures carry their caption. CHART_SHOTS puts the
 * screenshots and exported figures elsewhere.
 */
const shots = process.env['CHART_SHOTS'] ?? 'test-results/screens'
const example = fileURLToPath(new URL('../../examples/paper-small.blockspin', import.meta.url))
const SIZES = [
  [1920, 1080],
  [1280, 720]
] as const

let host: WebHostFixture & { stop: () => Promise<void> }
test.beforeAll(async () => {
  host = await startHost({ example })
})
test.afterAll(async () => host?.stop())

async function fill(page: Page, testId: string, value: string, key = 'Tab'): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press(key)
}

/**
 * At each size (large first, then shrunk), the page and each chart with its bottom (the legend)
 * scrolled into view; every chart is shorter than the window, so its plot and legend show together.
 */
async function shoot(page: Page, name: string, charts: Locator): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(400)
    await page.screenshot({ path: `${shots}/${name}-${width}x${height}.png` })
    for (let i = 0; i < (await charts.count()); i++) {
      const tall = await charts.nth(i).evaluate((e) => {
        e.scrollIntoView({ block: 'end' })
        return e.getBoundingClientRect().height
      })
      expect(tall, `${name} chart ${i} at ${width}×${height}`).toBeLessThan(height - 100)
      await page.waitForTimeout(200)
      await page.screenshot({ path: `${shots}/${name}-chart${i}-${width}x${height}.png` })
    }
  }
}

/** Exports every chart as PNG and SVG; the SVGs' text. */
async function exportAll(page: Page, name: string, charts: Locator): Promise<string[]> {
  const svgs: string[] = []
  for (let i = 0; i < (await charts.count()); i++) {
    for (const format of ['png', 'svg']) {
      // A chart's exports are in its Export menu, which closes on each choice.
      await charts.nth(i).getByTestId('export-menu').click()
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        charts.nth(i).getByTestId(`export-${format}`).click()
      ])
      const path = `${shots}/${name}-export${i}.${format}`
      await download.saveAs(path)
      if (format === 'svg') svgs.push(readFileSync(path, 'utf8'))
    }
  }
  return svgs
}

/** Every name in the figure, and no legend page count ("1/2"). */
function expectLegend(svg: string, names: string[]): void {
  for (const n of names) expect(svg).toContain(`>${n}<`)
  expect(svg).not.toMatch(/>\d+\/\d+</)
}

test('live, RG flow and comparison charts: legends whole, labels off the data, captions on exports', async ({
  page
}) => {
  test.setTimeout(240_000)
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(host.url)
  await expect(page.getByTestId('guide')).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('guide-close').click()

  // A live chain at K = 0.3, then at 0.6: a mark where K changed, two pieces of the reference.
  await page.getByTestId('add-live').first().click()
  await fill(page, 'l-input', '32', 'Enter')
  await fill(page, 'k-input', '0.3', 'Enter')
  await page.getByTestId('play').click()
  await page.waitForTimeout(2500)
  await fill(page, 'k-input', '0.6', 'Enter')
  await page.waitForTimeout(2500)
  await page.getByTestId('play').click()
  const live = page.locator('.chart-panel')
  await shoot(page, 'live', live)
  const [energy] = await exportAll(page, 'live', live)
  // The caption's lines as one sentence.
  const text = energy!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
  expect(text).toMatch(
    /Live Monte Carlo chain on the 32×32 torus, K = 0\.6, h = 0, Metropolis \(checkerboard\), sweep \d+, seed \d+/
  )
  expect(energy).toMatch(/>Onsager e = K·u\(K\) = -1\.145</)

  // A small RG flow of six starting K: both charts' legends list every entry.
  await page.getByTestId('add-rg-flow').click()
  await fill(page, 'flow-L', '32')
  await fill(page, 'flow-levels', '3')
  await fill(page, 'flow-Ks', '0.36, 0.4, 0.42, 0.44, 0.46, 0.5')
  await fill(page, 'flow-count', '150')
  await page.getByTestId('flow-start').click()
  const flow = page.locator('[data-testid^="analysis-flow"]')
  await expect(flow).toBeVisible({ timeout: 120_000 })
  await flow.click()
  await expect(page.getByTestId('rg-flow-view')).toBeVisible()
  await page.getByTestId('rg-flow-measure').selectOption('matched')
  const flowCharts = page.getByTestId('rg-flow-view').locator('.chart-panel')
  await shoot(page, 'rgflow', flowCharts)
  const [steps, diagram] = await exportAll(page, 'rgflow', flowCharts)
  expectLegend(steps!, ['K′ = K', 'step 0 → 1', 'step 1 → 2', 'step 2 → 3', 'exact Kc = 0.4407'])
  expectLegend(diagram!, ['K = 0.3600', 'K = 0.4200', 'K = 0.5000', 'exact Kc = 0.4407'])

  // The example's comparison: the RBM flow's legend whole, the similarity's ln 2 beside the plot.
  await page.locator('[data-testid^="analysis-"]', { hasText: 'RG vs DBN' }).first().click()
  await expect(page.getByTestId('compare-view')).toBeVisible()
  const compareCharts = page.locator('[data-testid="compare-flow-chart"], [data-testid="compare-similarity-chart"]')
  await shoot(page, 'compare', compareCharts)
  const [rbmFlow] = await exportAll(page, 'compare', compareCharts)
  expectLegend(rbmFlow!, ['exact Kc = 0.44069'])
})
