import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

/**
 * What a 1280×720 projector cuts off, on the example project: ten open tabs (the active one and
 * its close button whole in view), the jobs strip (only whole chips, the rest counted in "N more"),
 * the paper's facts tiles (each value on one line) and the network samples' e/|m| table (the
 * view's text size, like the other analysis tables). Screenshots at 1280×720 and 1920×1080.
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

async function openExample(page: Page): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByTestId('guide')).toBeVisible({ timeout: 20_000 })
  await page.getByTestId('guide-close').click()
}

/** `inner` lies whole inside `outer` (half a pixel of rounding allowed). */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = (await inner.boundingBox())!
  const b = (await outer.boundingBox())!
  expect(a.x).toBeGreaterThanOrEqual(b.x - 0.5)
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 0.5)
}

const tabBar = (page: Page) => page.getByRole('tablist', { name: 'Open items' })

/** The active tab and its close button are whole in the bar, and the close button is what a click there hits. */
async function expectActiveTabInView(page: Page): Promise<void> {
  const bar = tabBar(page)
  const tab = bar.locator('[role="tab"][aria-selected="true"]')
  const close = tab.locator('.close')
  await expect(tab).toHaveCount(1)
  await expect.poll(async () => (await tab.boundingBox())!.x >= (await bar.boundingBox())!.x - 0.5).toBe(true)
  await expectInside(tab, bar)
  await expectInside(close, bar)
  const hit = await close.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el
  })
  expect(hit).toBe(true)
}

for (const size of SIZES) {
  test(`tabs, jobs strip and facts fit at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(120_000)
    await page.setViewportSize(size)
    await openExample(page)

    // The paper's facts: every value on one line.
    await page.getByTestId('analysis-paper1').click()
    const facts = page.getByTestId('pipeline-view').locator('.facts dd')
    await expect(facts.first()).toContainText('torus')
    await page.screenshot({ path: `${shots}/fit-paper-${size.width}.png` })
    for (const dd of await facts.all()) {
      const lines = await dd.evaluate((el) => {
        const range = document.createRange()
        range.selectNodeContents(el)
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size
      })
      expect(lines, `"${await dd.textContent()}" on one line`).toBe(1)
    }

    // Eleven tabs: the project's items, a new 4×4 model, an exact solution and three live chains.
    for (const id of ['model-model1', 'dataset-data1', 'training-train1', 'analysis-map1', 'analysis-compare1'])
      await page.getByTestId(id).click()
    await page.getByTestId('add-model').selectOption('ferromagnet')
    await expect(page.getByTestId('model-model2')).toBeVisible()
    await page.getByTestId('model-model2').click()
    for (const id of ['lattice-lx', 'lattice-ly']) {
      await page.getByTestId(id).fill('4')
      await page.getByTestId(id).press('Tab')
    }
    await page.getByTestId('build-lattice').click()
    // Five exact solutions: five finished jobs, after the running ones in the strip.
    for (let k = 1; k <= 5; k++) {
      await page.getByTestId('model-solve').click()
      await expect(page.getByTestId(`analysis-exact${k}`)).toBeVisible({ timeout: 20_000 })
    }
    // Three running live chains: the strip's widest chips (progress, Pause, Cancel).
    for (let k = 0; k < 3; k++) {
      await page.getByTestId('add-live').last().click()
      await page.getByTestId('play').click()
    }
    await page.getByTestId('analysis-exact5').click()
    const open = await page.getByRole('tab').count()
    expect(open).toBeGreaterThanOrEqual(10)
    await page.screenshot({ path: `${shots}/fit-tabs-last-${size.width}.png` })
    await expectActiveTabInView(page)
    // The first tab, scrolled off to the left, comes back into view when picked in the tree.
    await page.getByTestId('model-model1').click()
    await page.screenshot({ path: `${shots}/fit-tabs-first-${size.width}.png` })
    await expectActiveTabInView(page)
    // Names too long for a shrunk tab are ellipsized, and whole in the tooltip.
    const long = tabBar(page).getByRole('tab', { name: /^2,000 samples of Ferromagnet/ })
    await expect(long).toHaveAttribute('title', '2,000 samples of Ferromagnet 16×16 at K = 0.408')
    // Its close button works.
    await tabBar(page).locator('[aria-selected="true"] .close').click()
    await expect(page.getByRole('tab')).toHaveCount(open - 1)
    await expectActiveTabInView(page)

    // The jobs strip: every chip whole, the others counted.
    const rows = page.getByTestId('jobs-strip').locator('.rows')
    const chips = rows.locator('.job')
    await expect(chips.first()).toBeVisible()
    await page.getByTestId('jobs-strip').screenshot({ path: `${shots}/fit-jobs-${size.width}.png` })
    await page.screenshot({ path: `${shots}/fit-all-${size.width}.png` })
    const shown = await chips.count()
    for (const chip of await chips.all()) await expectInside(chip, rows)
    expect(shown).toBeGreaterThanOrEqual(1)
    await expect(page.getByTestId('jobs-more')).toContainText(`${8 - shown} more`)
    await expect(chips.first()).toContainText('running')
  })
}

test("the network samples' e/|m| table reads at the view's text size", async ({ page }) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await openExample(page)
  await page.getByTestId('training-train1').click()
  const samples = page.getByTestId('dbn-samples')
  await samples.scrollIntoViewIfNeeded()
  await page.getByTestId('draw-samples').click()
  await expect(page.getByTestId('samples-saved')).toBeVisible({ timeout: 60_000 })
  await page
    .getByRole('button', { name: /200 samples of DBN/ })
    .first()
    .click()
  const view = page.getByTestId('rbm-samples-view')
  await expect(view).toBeVisible()
  await page.screenshot({ path: `${shots}/fit-samples-1280.png` })
  const px = (l: Locator) => l.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  const text = await px(view)
  expect(await px(page.getByTestId('sample-numbers-e').locator('td').first())).toBe(text)
  expect(await px(page.getByTestId('sample-numbers-e').locator('th'))).toBe(text)
  expect(await px(page.getByTestId('sample-numbers').locator('thead th').nth(1))).toBeGreaterThanOrEqual(0.85 * text)
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/fit-samples-1920.png` })
})
