import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './webHost'

/**
 * Training a deep belief network from the UI against the real web host and job workers: a 4×4
 * model, 500 samples of it, a 16 → 8 → 4 network; the reconstruction error fills in, the
 * training pauses, is saved, reopened, resumed from its checkpoint and finishes.
 */
const shots = 'test-results/screens'

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

const points = async (page: Page, chart: string) =>
  Number(await page.getByTestId(`chart-${chart}`).getAttribute('data-points'))

test('train a small DBN, pause, save, reopen, resume and finish', async ({ page, host }) => {
  test.setTimeout(180_000)
  await page.goto(host.url)
  await page.getByTestId('model-model1').click()
  await fill(page, 'lattice-lx', '4')
  await fill(page, 'lattice-ly', '4')
  await page.getByTestId('build-lattice').click()

  await page.getByTestId('dataset-algorithm').selectOption('wolff')
  await page.getByTestId('dataset-samples').fill('500')
  await page.getByTestId('dataset-seed').fill('11')
  await page.getByTestId('dataset-generate').click()
  await expect(page.getByTestId('train-rbm')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('train-rbm').click()

  // The configuration form: a bad entry is explained, then a small network.
  await fill(page, 'training-layers', '8, x')
  await page.getByTestId('training-start').click()
  await expect(page.getByTestId('training-problems')).toContainText('Layer sizes must be whole numbers')
  await fill(page, 'training-layers', '8, 4')
  await fill(page, 'training-epochs', '1500')
  await fill(page, 'training-batch', '10')
  await fill(page, 'training-seed', '5')
  await expect(page.getByTestId('training-shape')).toHaveText('16 → 8 → 4')
  await expect(page.getByTestId('training-problems')).toHaveCount(0)
  await page.screenshot({ path: `${shots}/training-form.png`, fullPage: true })
  await page.getByTestId('training-start').click()

  await expect.poll(() => points(page, 'reconstruction'), { timeout: 60_000 }).toBeGreaterThan(2)
  await page.getByTestId('training-pause').click()
  await expect(page.getByTestId('training-phase')).toHaveText('paused')
  await expect(page.getByTestId('training-badge-train1')).toHaveText('paused')
  const before = await points(page, 'reconstruction')
  expect(before).toBeGreaterThan(2)
  await expect(page.getByTestId('receptive-fields')).toBeVisible()
  await page.screenshot({ path: `${shots}/training-paused.png`, fullPage: true })

  await page.getByTestId('save').click()
  await expect(page.getByTestId('file-picker')).toBeVisible()
  await page.getByTestId('picker-name').fill('training')
  await page.getByTestId('picker-confirm').click()
  await expect(page.getByTestId('project-title')).not.toContainText('●')
  expect(existsSync(join(host.root, 'training.blockspin'))).toBe(true)

  await page.getByTestId('new').click()
  await expect(page.getByTestId('training-train1')).toHaveCount(0)
  await page.getByTestId('open').click()
  await page.getByTestId('file-training.blockspin').click()
  await page.getByTestId('picker-confirm').click()
  await expect(page.getByTestId('project-title')).toContainText('training')

  await page.getByTestId('training-train1').click()
  await expect(page.getByTestId('training-phase')).toHaveText('paused')
  const reopened = await points(page, 'reconstruction')
  expect(reopened).toBeGreaterThanOrEqual(before)
  await page.screenshot({ path: `${shots}/training-reopened.png`, fullPage: true })

  await page.getByTestId('training-resume').click()
  await expect(page.getByTestId('training-phase')).toHaveText('done', { timeout: 150_000 })
  await expect(page.getByTestId('training-badge-train1')).toHaveText('done')
  expect(await points(page, 'reconstruction')).toBe(3000)
  await expect(page.getByTestId('fields-layer-2')).toBeVisible()
  await expect(page.getByTestId('reconstructions')).toBeVisible()
  // The receptive fields of a layer export as one PNG.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('fields-png-1').click()])
  expect(png.suggestedFilename()).toBe('receptive-fields-layer-1.png')
  const bytes = readFileSync((await png.path())!)
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
  await page.getByTestId('field-1-0').click()
  await expect(page.getByTestId('field-detail')).toBeVisible()
  await page.getByTestId('draw-samples').click()
  await page.screenshot({ path: `${shots}/training-done.png`, fullPage: true })
})
