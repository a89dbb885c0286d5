import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, test } from './webHost'

/**
 * RG vs DBN from the UI against the real web host and job workers: a 16×16 model, 300 samples,
 * a 256 → 64 → 16 → 4 network trained a few epochs, "Compare with RG…" (majority 2×2 and the
 * RBM flow from two K), then the comparison view: step through samples, paint a spin and see
 * every per-level panel change, export a figure; screenshots at 1280×720 and 1920×1080.
 */
const shots = 'test-results/screens'

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

/** Everything the configuration shown drives: maps (redraw counters), unit activities, the charts' marks. */
async function panels(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const id of ['compare-rg-0', 'compare-rg-1', 'compare-dbn-1', 'compare-dbn-2'])
    out[id] = (await page.getByTestId(id).locator('canvas').getAttribute('data-version')) ?? ''
  for (const l of [1, 2]) {
    out[`m${l}`] = (await page.getByTestId(`compare-m-chart-${l}`).getAttribute('data-marked')) ?? ''
    out[`c${l}`] = (await page.getByTestId(`compare-c-chart-${l}`).getAttribute('data-marked')) ?? ''
    out[`on${l}`] = (
      await page.getByTestId(`compare-level-${l}`).getByTestId('compare-fields').locator('figcaption').allTextContents()
    ).join('|')
  }
  return out
}

test('train a small DBN, compare it with block-spin RG, step, paint and export', async ({ page, host }) => {
  test.setTimeout(300_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('model-model1').click()
  await fill(page, 'lattice-lx', '16')
  await fill(page, 'lattice-ly', '16')
  await page.getByTestId('build-lattice').click()
  await page.getByTestId('dataset-algorithm').selectOption('wolff')
  await page.getByTestId('dataset-samples').fill('300')
  await page.getByTestId('dataset-seed').fill('11')
  await page.getByTestId('dataset-generate').click()
  await expect(page.getByTestId('train-rbm')).toBeEnabled({ timeout: 90_000 })
  await page.getByTestId('train-rbm').click()

  await fill(page, 'training-layers', '64, 16, 4')
  await fill(page, 'training-epochs', '4')
  await fill(page, 'training-batch', '20')
  await fill(page, 'training-seed', '5')
  await page.getByTestId('training-loglik').selectOption('off')
  await expect(page.getByTestId('training-shape')).toHaveText('256 → 64 → 16 → 4')
  await page.getByTestId('training-start').click()
  await expect(page.getByTestId('training-phase')).toHaveText('done', { timeout: 180_000 })

  // The launcher: a block size that does not divide 16 is explained, then majority 2×2.
  await page.getByTestId('compare-open').click()
  await fill(page, 'compare-b', '3')
  await page.getByTestId('compare-start').click()
  await expect(page.getByTestId('compare-error')).toContainText('does not divide the 16×16 lattice')
  await fill(page, 'compare-b', '2')
  await fill(page, 'compare-ks', '0.3, 0.44, 0.55')
  await fill(page, 'compare-steps', '2')
  await fill(page, 'compare-count', '40')
  await page.screenshot({ path: `${shots}/compare-launcher.png` })
  await page.getByTestId('compare-start').click()
  // The finished comparison is listed on the training; it opens in its own tab.
  const view = page.getByTestId('compare-view')
  const go = page.locator('[data-testid^="compare-go-"]').first()
  await expect(view.or(go)).toBeVisible({ timeout: 120_000 })
  if (await go.isVisible()) await go.click()
  await expect(view).toBeVisible()
  await expect(page.getByTestId('compare-convention')).toContainText('centroid of its receptive field')
  await expect(page.getByTestId('compare-similarity-definition')).toContainText('ln 2 = identical')
  await expect(page.locator('[data-testid^="compare-level-"]')).toHaveCount(3)
  await expect(page.getByTestId('compare-similarity-1')).toContainText('nats')
  await expect(page.getByTestId('compare-coupling-row-nearest')).toBeVisible()
  await expect(page.getByTestId('compare-flow-chart')).toBeVisible()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${shots}/compare-1280.png` })

  // Step through the dataset: every panel follows the sample.
  const first = await panels(page)
  await page.getByTestId('compare-next').click()
  await expect(page.getByTestId('compare-sample')).toHaveValue('2')
  await expect.poll(async () => (await panels(page))['compare-dbn-1']).not.toBe(first['compare-dbn-1'])
  const second = await panels(page)
  for (const k of ['compare-rg-0', 'compare-dbn-1', 'compare-dbn-2', 'm1', 'c1', 'on1'])
    expect(second[k], k).not.toBe(first[k])

  // Paint a stroke of spins on the data: every panel of every level changes at once.
  await page.getByTestId('compare-paint-mode').selectOption('up')
  const canvas = page.getByTestId('compare-rg-0').locator('canvas')
  const box = (await canvas.boundingBox())!
  const side = Math.min(box.width, box.height)
  const x0 = box.x + (box.width - side) / 2
  const y0 = box.y + (box.height - side) / 2
  await page.mouse.move(x0 + side * 0.05, y0 + side * 0.05)
  await page.mouse.down()
  for (let k = 1; k <= 12; k++) await page.mouse.move(x0 + side * (0.05 + k * 0.07), y0 + side * (0.05 + k * 0.07))
  await page.mouse.up()
  await expect(page.getByTestId('compare-painted')).toBeVisible()
  await expect.poll(async () => (await panels(page))['compare-dbn-2']).not.toBe(second['compare-dbn-2'])
  const painted = await panels(page)
  for (const k of Object.keys(second)) expect(painted[k], k).not.toBe(second[k])
  await page.getByTestId('compare-level-1').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${shots}/compare-level1-1280.png` })

  // A figure exports as PNG and its data as CSV.
  const flow = page.getByTestId('compare-flow-chart')
  await flow.scrollIntoViewIfNeeded()
  await flow.getByTestId('export-menu').click()
  const [png] = await Promise.all([page.waitForEvent('download'), flow.getByTestId('export-png').click()])
  expect(png.suggestedFilename()).toBe('compare-rbm-flow.png')
  expect([...readFileSync((await png.path())!).subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
  await flow.getByTestId('export-menu').click()
  const [csv] = await Promise.all([page.waitForEvent('download'), flow.getByTestId('export-csv').click()])
  expect(readFileSync((await csv.path())!, 'utf8').split('\n')[0]).toContain('K0')
  await page.screenshot({ path: `${shots}/compare-bottom-1280.png` })

  await page.setViewportSize({ width: 1920, height: 1080 })
  await view.evaluate((el) => el.scrollTo(0, 0))
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${shots}/compare-1920.png` })
  await page.getByTestId('compare-level-2').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${shots}/compare-level2-1920.png` })
  await page.getByTestId('compare-flow-chart').scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${shots}/compare-bottom-1920.png` })
})
