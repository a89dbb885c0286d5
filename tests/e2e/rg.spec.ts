import type { Page } from '@playwright/test'
import { expect, test } from './webHost'

/**
 * Block-spin RG from the UI against the real web host and its job workers: a 16×16 model, 300
 * samples of it, a majority 2×2 cascade of three levels with its couplings; painting level 0
 * changes every level; a coarse level opens as a dataset; the RG levels of a live chain; small
 * RG flow and MCRG runs and their views. Views are photographed at 1280×720 and 1920×1080.
 */
// RG_SHOTS puts the pictures elsewhere (Playwright empties test-results/ when a run starts).
const shots = process.env['RG_SHOTS'] ?? 'test-results/screens'

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080]
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${shots}/${name}-${w}x${h}.png` })
  }
}

const signatures = (page: Page) =>
  Promise.all([0, 1, 2, 3].map((l) => page.getByTestId(`rg-level-${l}`).getAttribute('data-signature')))

async function makeDataset(page: Page): Promise<void> {
  await page.getByTestId('model-model1').click()
  await fill(page, 'lattice-lx', '16')
  await fill(page, 'lattice-ly', '16')
  await page.getByTestId('build-lattice').click()
  await page.getByTestId('dataset-algorithm').selectOption('wolff')
  await page.getByTestId('dataset-samples').fill('300')
  await page.getByTestId('dataset-seed').fill('11')
  await page.getByTestId('dataset-generate').click()
  await expect(page.getByTestId('open-cascade')).toBeVisible({ timeout: 60_000 })
}

test('build a cascade on a dataset, see three levels and their couplings, paint a spin and see every level change', async ({
  page,
  host
}) => {
  test.setTimeout(150_000)
  await page.goto(host.url)
  await makeDataset(page)

  await page.getByTestId('open-cascade').click()
  await fill(page, 'cascade-levels', '5')
  await page.getByTestId('cascade-start').click()
  await expect(page.getByTestId('cascade-error')).toHaveText('A 16×16 lattice allows 1 to 4 levels of 2×2 blocks.')
  await fill(page, 'cascade-levels', '3')
  await fill(page, 'cascade-seed', '7')
  await page.getByTestId('cascade-start').click()

  await expect(page.getByTestId('rg-view')).toBeVisible({ timeout: 60_000 })
  for (const [l, size] of [
    [0, '16×16'],
    [1, '8×8'],
    [2, '4×4'],
    [3, '2×2']
  ] as const) {
    await expect(page.getByTestId(`rg-level-${l}`)).toContainText(size)
  }
  const nearest = page.getByTestId('rg-coupling-nearest').locator('td')
  await expect(nearest).toHaveCount(4)
  for (let l = 0; l < 3; l++) await expect(nearest.nth(l)).toContainText('±')
  await expect(page.getByTestId('rg-coupling-matched').locator('td').nth(1)).toContainText('±')
  await expect(page.getByTestId('rg-convention')).toContainText('K > 0 ferromagnetic')
  await shoot(page, 'rg-cascade')
  await page.getByTestId('rg-view').evaluate((el) => el.scrollTo(0, el.scrollHeight))
  await shoot(page, 'rg-cascade-charts')
  await page.getByTestId('rg-view').evaluate((el) => el.scrollTo(0, 0))

  // Paint: every site of level 0 set up, in one stroke; every level follows (none was all up).
  await page.setViewportSize({ width: 1440, height: 900 })
  const before = await signatures(page)
  await page.getByTestId('rg-paint-mode').selectOption('up')
  const box = (await page.getByTestId('rg-level-0').locator('canvas').boundingBox())!
  const side = Math.min(box.width, box.height)
  const x0 = box.x + (box.width - side) / 2
  const y0 = box.y + (box.height - side) / 2
  const cell = side / 16
  await page.mouse.move(x0 + cell / 2, y0 + cell / 2)
  await page.mouse.down()
  for (let row = 0; row < 16; row++) {
    for (const col of row % 2 ? [15, 0] : [0, 15])
      await page.mouse.move(x0 + (col + 0.5) * cell, y0 + (row + 0.5) * cell, { steps: 16 })
  }
  await page.mouse.up()
  await expect(page.getByTestId('rg-painted')).toBeVisible()
  const after = await signatures(page)
  after.forEach((s, l) => expect(s, `level ${l}`).not.toBe(before[l]))
  await shoot(page, 'rg-cascade-painted')

  // A coarse level opens as a dataset of its own.
  await page.locator('[data-testid^="dataset-"]', { hasText: 'Level 2' }).first().click()
  await expect(page.getByTestId('coarse-dataset')).toBeVisible()
  await expect(page.getByTestId('coarse-level')).toHaveText('2')
  await shoot(page, 'rg-coarse-dataset')
})

test('RG levels of a live chain, a small RG flow and a small MCRG', async ({ page, host }) => {
  test.setTimeout(150_000)
  await page.goto(host.url)
  await page.getByTestId('add-live').first().click()
  await page.getByTestId('step').click()
  await page.getByTestId('live-rg').locator('summary').click()
  await expect(page.getByTestId('rg-level-2')).toBeVisible()
  const first = await page.getByTestId('rg-level-1').getAttribute('data-signature')
  await page.getByTestId('step').click()
  await expect.poll(() => page.getByTestId('rg-level-1').getAttribute('data-signature')).not.toBe(first)
  await shoot(page, 'rg-live')

  await page.getByTestId('add-rg-flow').click()
  await fill(page, 'flow-L', '32')
  await fill(page, 'flow-levels', '6')
  await page.getByTestId('flow-start').click()
  await expect(page.getByTestId('flow-error')).toContainText('allows 5 levels')
  await fill(page, 'flow-levels', '2')
  await fill(page, 'flow-Ks', '0.38, 0.42, 0.46')
  await fill(page, 'flow-count', '60')
  await page.getByTestId('flow-start').click()
  const flow = page.locator('[data-testid^="analysis-flow"]')
  await expect(flow).toBeVisible({ timeout: 90_000 })
  await flow.click()
  await expect(page.getByTestId('rg-flow-view')).toBeVisible()
  await shoot(page, 'rg-flow')

  await page.getByTestId('add-mcrg').click()
  await fill(page, 'mcrg-L', '16')
  await fill(page, 'mcrg-levels', '2')
  await fill(page, 'mcrg-count', '200')
  // A fixed seed: 200 samples leave a few seeds in a hundred whose T has no settled real leading
  // eigenvalue at level 1 (shown as "—"); this view test needs one that has.
  await page.getByTestId('mcrg-dialog').getByLabel('Seed').fill('1')
  await page.getByTestId('mcrg-start').click()
  const mcrg = page.locator('[data-testid^="analysis-mcrg"]')
  await expect(mcrg).toBeVisible({ timeout: 90_000 })
  await mcrg.click()
  await expect(page.getByTestId('mcrg-level-1')).toContainText('±')
  await shoot(page, 'rg-mcrg')
})
