import { existsSync, readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

/**
 * A first launch as a reading group sees it, at projector (1280×720) and desktop (1920×1080)
 * sizes: the example project opens with the guide, the guide's steps open the views, a view's
 * explanation shows its equations typeset, presenter mode shows one chart full screen with the
 * arrow keys stepping through the opened views and a live chain's K slider still live, a figure
 * exports from it, and Escape leaves. The bundled example is used where the repository has it,
 * otherwise the format-3 fixture stands in for it.
 */
const shots = 'test-results/screens'
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 }
]
const bundled = fileURLToPath(new URL('../../examples/paper-small.blockspin', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/project-v3/rg.blockspin', import.meta.url))
const example = existsSync(bundled) ? bundled : fixture
/** The name written in the example's project.json: the title bar shows it (the copy has no file yet). */
const exampleName = (
  JSON.parse(
    strFromU8(unzipSync(readFileSync(example), { filter: (f) => f.name === 'project.json' })['project.json']!)
  ) as {
    name: string
  }
).name

let host: WebHostFixture & { stop: () => Promise<void> }
test.beforeAll(async () => {
  host = await startHost({ example })
})
test.afterAll(async () => host?.stop())

/** Follows a guide step whose button the example offers; returns false when it has none. */
async function follow(page: Page, key: string): Promise<boolean> {
  const go = page.getByTestId(`guide-go-${key}`)
  if (!(await go.count())) {
    await expect(page.getByTestId(`guide-missing-${key}`)).toBeVisible()
    return false
  }
  await go.click()
  await expect(page.getByTestId(`guide-step-${key}`).getByLabel('done')).toBeVisible()
  return true
}

for (const size of SIZES) {
  test(`first launch: example, guide, explanation, presenter mode at ${size.width}×${size.height}`, async ({
    page
  }) => {
    test.setTimeout(120_000)
    await page.setViewportSize(size)
    await page.goto(host.url)

    // The example opens untitled, with the guide beside it.
    await expect(page.getByTestId('guide')).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('project-title')).toContainText(exampleName)
    await expect(page.getByTestId('guide-example')).toContainText('untitled copy')
    await expect(page.getByTestId('guide')).toContainText('Mehta & Schwab')
    await page.screenshot({ path: `${shots}/guide-${size.width}.png` })

    // Follow the guide: a live chain (started or opened), then the views the example has.
    await follow(page, 'live')
    await expect(page.getByTestId('k-slider')).toBeVisible()
    await page.getByTestId('k-slider').fill('0.3')
    await page.getByTestId('step').click()
    await expect(page.getByTestId('lattice-canvas')).toHaveAttribute('data-sweep', /[1-9]/, { timeout: 20_000 })

    // The live view's explanation: collapsed, then its equations typeset by KaTeX.
    const explanation = page.getByTestId('explanation-live')
    await expect(explanation.locator('.katex')).toHaveCount(0)
    await explanation.getByTestId('explanation-toggle').click()
    await expect(explanation.locator('.katex').first()).toBeVisible()
    expect(await explanation.locator('.katex').count()).toBeGreaterThanOrEqual(4)
    await expect(explanation.locator('.katex-error')).toHaveCount(0)
    await expect(explanation.getByTestId('explanation-convention')).toContainText('K > 0 is ferromagnetic')
    // KaTeX's own fonts loaded from the bundle (the CSP allows 'self' fonts only).
    await page.evaluate(() => document.fonts.ready)
    expect(await page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true)
    await explanation.screenshot({ path: `${shots}/explanation-${size.width}.png` })
    await explanation.getByTestId('explanation-toggle').click()

    const followed = ['live']
    for (const key of ['paper', 'dataset', 'cascade', 'mapping', 'compare']) {
      if (await follow(page, key)) followed.push(key)
    }
    expect(followed).toContain('mapping')
    const tabs = await page.getByRole('tab').count()
    expect(tabs).toBeGreaterThanOrEqual(3)

    // Presenter mode on the mapping view: its first chart full screen, the presenter strip below.
    await page.getByTestId('guide-go-mapping').click()
    await page.getByTestId('mapping-convention').waitFor()
    await page.keyboard.press('f')
    const bar = page.getByTestId('presenter-bar')
    await expect(bar).toBeVisible()
    const presented = page.locator('.chart-frame.presented')
    await expect(presented).toHaveCount(1)
    const box = (await presented.boundingBox())!
    expect(box.width).toBeGreaterThan(size.width * 0.95)
    expect(box.height).toBeGreaterThan(size.height * 0.8)
    await page.waitForTimeout(400)
    await page.screenshot({ path: `${shots}/presenter-chart-${size.width}.png` })

    // ↓ the next panel of the view; → and ← step through the opened views.
    const position = page.getByTestId('presenter-position')
    const first = await position.textContent()
    await page.keyboard.press('ArrowDown')
    await expect(position).not.toHaveText(first!)
    const selected = () => page.locator('[role="tab"][aria-selected="true"]').textContent()
    const before = await selected()
    await page.keyboard.press('ArrowLeft')
    await expect.poll(selected).not.toBe(before)
    await expect(bar).toBeVisible()
    await page.keyboard.press('ArrowRight')
    await expect.poll(selected).toBe(before)

    // Export a figure from presenter mode: the presented chart's PNG.
    await presented.getByTestId('export-menu').click()
    await expect(presented.getByTestId('export-png')).toBeEnabled()
    const [png] = await Promise.all([page.waitForEvent('download'), presented.getByTestId('export-png').click()])
    expect(png.suggestedFilename()).toMatch(/\.png$/)

    // Step back to the live chain: its lattice is presented and K stays live from the strip.
    for (let i = 0; i < tabs && !(await bar.getByTestId('presenter-k').count()); i++) {
      await page.keyboard.press('ArrowLeft')
      await page.waitForTimeout(150)
    }
    await expect(bar.getByTestId('presenter-k')).toBeVisible()
    await expect(page.locator('.lattice-frame.presented')).toHaveCount(1)
    await bar.getByTestId('presenter-k').fill('0.6')
    await expect(bar.getByTestId('presenter-k-value')).toHaveText('0.6000')
    await expect(page.getByTestId('k-input')).toHaveValue('0.6')
    await bar.getByTestId('presenter-play').click()
    await expect(bar.getByTestId('presenter-play')).toHaveText('Pause')
    const sweep = Number(await page.getByTestId('lattice-canvas').getAttribute('data-sweep'))
    await expect
      .poll(async () => Number(await page.getByTestId('lattice-canvas').getAttribute('data-sweep')), {
        timeout: 20_000
      })
      .toBeGreaterThan(sweep)
    await page.screenshot({ path: `${shots}/presenter-lattice-${size.width}.png` })
    await bar.getByTestId('presenter-play').click()

    // Escape leaves; the guide closes, and a later launch does not show it again until asked.
    await page.keyboard.press('Escape')
    await expect(bar).toBeHidden()
    await expect(page.locator('.presented')).toHaveCount(0)
    await page.getByTestId('guide-close').click()
    await expect(page.getByTestId('guide')).toBeHidden()
    page.once('dialog', (d) => void d.accept())
    await page.reload()
    await expect(page.getByTestId('project-title')).toBeVisible()
    await expect(page.getByTestId('project-title')).not.toContainText(exampleName)
    await expect(page.getByTestId('guide')).toBeHidden()
    await page.getByTestId('guide-button').click()
    await expect(page.getByTestId('guide')).toBeVisible()
  })
}
