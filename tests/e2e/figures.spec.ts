import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

/**
 * Figures as a reading group sees and exports them, at 1280×720 and 1920×1080: a sweep over four
 * sizes (legend without pages, Monte Carlo apart from the exact curves, Binder crossings, the
 * points table), the example training's RBM-vs-data monitors with the data in view.
 */
const shots = 'test-results/screens'
const example = fileURLToPath(new URL('../../examples/paper-small.blockspin', import.meta.url))
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 }
]

let host: WebHostFixture & { stop: () => Promise<void> }
test.beforeAll(async () => {
  host = await startHost({ example })
})
test.afterAll(async () => host?.stop())

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

async function openExample(page: Page): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByTestId('guide')).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('guide-close').click()
}

for (const size of SIZES) {
  test(`sweep and training figures at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(180_000)
    await page.setViewportSize(size)
    await openExample(page)

    await page.getByTestId('add-sweep').click()
    await fill(page, 'sweep-Ls', '4, 8, 16, 32')
    await fill(page, 'sweep-from', '0.36')
    await fill(page, 'sweep-to', '0.52')
    await fill(page, 'sweep-steps', '9')
    await fill(page, 'sweep-sweeps', '2000')
    await page.getByTestId('sweep-start').click()
    const table = page.getByTestId('sweep-table')
    await expect(table).toBeVisible({ timeout: 120_000 })
    await page.waitForTimeout(500)
    await page.screenshot({ path: `${shots}/figures-sweep-${size.width}.png` })
    const charts = page.locator('.chart-panel')
    await charts.nth(0).screenshot({ path: `${shots}/figures-sweep-e-${size.width}.png` })
    await charts.nth(4).screenshot({ path: `${shots}/figures-sweep-u4-${size.width}.png` })
    await table.scrollIntoViewIfNeeded()
    // Every column in view without scrolling sideways, U4 included.
    const u4 = (await page.getByTestId('column-u4').boundingBox())!
    const box = (await page.locator('.points .scroll').boundingBox())!
    expect(u4.x + u4.width).toBeLessThanOrEqual(box.x + box.width + 0.5)
    expect(await page.locator('.points .scroll').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true)
    await page.getByTestId('sweep-table').screenshot({ path: `${shots}/figures-sweep-table-${size.width}.png` })

    await page.getByTestId('training-train1').click()
    const absM = page.getByTestId('chart-physical-absM')
    await absM.scrollIntoViewIfNeeded()
    await page.waitForTimeout(500)
    await page.screenshot({ path: `${shots}/figures-training-${size.width}.png` })
    await absM.screenshot({ path: `${shots}/figures-training-absM-${size.width}.png` })

    // Exports: a chart as PNG and SVG with its title and the training's parameters, a layer's
    // receptive fields as a captioned PNG, on white and then on a transparent background.
    // A chart's exports are in its Export menu (`chart`), opened first.
    const save = async (
      button: ReturnType<Page['getByTestId']>,
      name: string,
      chart?: ReturnType<Page['getByTestId']>
    ) => {
      if (chart) await chart.getByTestId('export-menu').click()
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
      await download.saveAs(`${shots}/${name}`)
      return download
    }
    await save(absM.getByTestId('export-png'), `figure-absM-${size.width}.png`, absM)
    const svg = await save(absM.getByTestId('export-svg'), `figure-absM-${size.width}.svg`, absM)
    const text = readFileSync(await svg.path(), 'utf8')
    expect(text).toContain('Magnetisation |m| of RBM samples')
    expect(text).toContain('DBN 256→64→16→4, CD-1, 20 epochs per layer')
    await save(page.getByTestId('fields-png-2'), `figure-fields-${size.width}.png`)
    await absM.getByTestId('export-menu').click()
    await absM.getByTestId('export-background').selectOption('transparent')
    await absM.getByTestId('export-menu').click()
    const e = page.getByTestId('chart-physical-e')
    await save(e.getByTestId('export-png'), `figure-e-transparent-${size.width}.png`, e)
    await absM.getByTestId('export-menu').click()
    await absM.getByTestId('export-background').selectOption('white')
    await absM.getByTestId('export-menu').click()

    // Network samples: 200 drawn without freezing the page, measured against the data, kept.
    const samples = page.getByTestId('dbn-samples')
    await samples.scrollIntoViewIfNeeded()
    await page.getByTestId('draw-samples').click()
    await expect(page.getByTestId('samples-saved')).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('sample-numbers-e')).toContainText('±')
    await samples.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${shots}/figures-samples-${size.width}.png` })
    await page
      .getByRole('button', { name: /200 samples of DBN/ })
      .first()
      .click()
    await expect(page.getByTestId('rbm-samples-view')).toBeVisible()
    await expect(page.getByTestId('sample-numbers-absM')).toContainText('±')
    await page.screenshot({ path: `${shots}/figures-samples-view-${size.width}.png` })
  })
}
