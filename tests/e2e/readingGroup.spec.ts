import type { Page } from '@playwright/test'
import { expect, test } from './webHost'

/**
 * What a reading group trips over, at projector (1280×720) and desktop (1920×1080) sizes:
 * painting lands under the cursor with the brush outlined, the jobs strip keeps running jobs in
 * view, and an exact solution opens as a view from the tree.
 */
const shots = 'test-results/screens'
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 }
]

/** The lattice's pixels as spins (+1 light, −1 dark), read from the canvas itself. */
async function spinsOnCanvas(page: Page): Promise<number[]> {
  return page.getByTestId('lattice-canvas').evaluate((el) => {
    const canvas = el as HTMLCanvasElement
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
    const out: number[] = []
    for (let i = 0; i < data.length; i += 4) out.push(data[i]! + data[i + 1]! + data[i + 2]! > 384 ? 1 : -1)
    return out
  })
}

/** Client coordinates of the centre of cell (x, y) of an L×L lattice drawn contained in the canvas. */
async function cellCentre(page: Page, L: number, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('lattice-canvas').boundingBox())!
  const side = Math.min(box.width, box.height)
  const left = box.x + (box.width - side) / 2
  const top = box.y + (box.height - side) / 2
  return { x: left + ((x + 0.5) / L) * side, y: top + ((y + 0.5) / L) * side }
}

for (const size of SIZES) {
  test(`painting lands under the cursor at ${size.width}×${size.height}`, async ({ page, host }) => {
    await page.setViewportSize(size)
    await page.goto(host.url)
    await page.getByTestId('run-run1').click()
    const L = 32
    await page.getByTestId('l-input').fill(String(L))
    await page.getByTestId('l-input').press('Enter')
    await page.getByTestId('step').click()
    await expect(page.getByTestId('lattice-canvas')).toHaveAttribute('data-sweep', /[1-9]/, { timeout: 20_000 })
    await page.getByTestId('paint-mode').selectOption('flip')
    await page.getByTestId('paint-brush').fill('0')
    const before = await spinsOnCanvas(page)

    // A click near the left edge of the lattice flips exactly the cell under the cursor.
    const target = await cellCentre(page, L, 2, 20)
    await page.mouse.click(target.x, target.y)
    await expect
      .poll(async () => (await spinsOnCanvas(page)).some((s, i) => s !== before[i]), { timeout: 10_000 })
      .toBe(true)
    const after = await spinsOnCanvas(page)
    const changed = after.flatMap((s, i) => (s !== before[i] ? [i] : []))
    expect(changed).toEqual([20 * L + 2])

    // A fast drag (two pointer events) paints a continuous line.
    await page.getByTestId('paint-mode').selectOption('down')
    const a = await cellCentre(page, L, 4, 4)
    const b = await cellCentre(page, L, 24, 4)
    await page.mouse.move(a.x, a.y)
    await page.mouse.down()
    await page.mouse.move(b.x, b.y, { steps: 1 })
    await page.mouse.up()
    await expect
      .poll(async () => (await spinsOnCanvas(page)).slice(4 * L + 4, 4 * L + 25).every((s) => s === -1), {
        timeout: 10_000
      })
      .toBe(true)

    // The brush outline follows the pointer.
    await page.getByTestId('paint-brush').fill('3')
    const c = await cellCentre(page, L, 16, 16)
    await page.mouse.move(c.x, c.y)
    await expect(page.getByTestId('brush-outline')).toBeVisible()
    await page.screenshot({ path: `${shots}/paint-${size.width}.png` })

    // The seed field shows a ten-digit seed whole.
    await page.getByTestId('seed-input').fill('4294967295')
    expect(await page.getByTestId('seed-input').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  })

  test(`an exact solution opens as a view; the jobs strip at ${size.width}×${size.height}`, async ({ page, host }) => {
    await page.setViewportSize(size)
    await page.goto(host.url)
    await page.getByTestId('model-model1').click()
    for (const [id, v] of [
      ['lattice-lx', '4'],
      ['lattice-ly', '4']
    ]) {
      await page.getByTestId(id!).fill(v!)
      await page.getByTestId(id!).press('Tab')
    }
    await page.getByTestId('build-lattice').click()
    await expect(page.getByTestId('preset-l')).toHaveValue('4')
    await page.screenshot({ path: `${shots}/model-${size.width}.png` })
    for (let k = 1; k <= 4; k++) {
      await page.getByTestId('model-solve').click()
      await expect(page.getByTestId(`analysis-exact${k}`)).toBeVisible({ timeout: 20_000 })
    }
    const names = await page.locator('[data-testid^="analysis-exact"]').allInnerTexts()
    expect(new Set(names).size).toBe(4)
    await expect(page.getByTestId('jobs-clear-finished')).toBeVisible()
    await page.getByTestId('jobs-more').click()
    await expect(page.getByTestId('jobs-popover')).toBeVisible()
    await page.screenshot({ path: `${shots}/jobs-${size.width}.png` })
    await page.getByTestId('jobs-clear-finished').click()
    await expect(page.getByTestId('jobs-clear-finished')).toHaveCount(0)

    await page.getByTestId('analysis-exact1').click()
    const view = page.getByTestId('exact-view')
    await expect(view).toBeVisible()
    await expect(page.getByTestId('exact-row-m')).toContainText('0')
    await expect(page.getByTestId('exact-marginals')).toBeVisible()
    await expect(page.getByTestId('exact-distribution')).toBeVisible()
    await page.screenshot({ path: `${shots}/exact-${size.width}.png` })

    // "?" shows the shortcuts; Escape closes them.
    await page.getByTestId('exact-view').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('?')
    await expect(page.getByTestId('keyboard-help')).toBeVisible()
    await page.screenshot({ path: `${shots}/shortcuts-${size.width}.png` })
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('keyboard-help')).toHaveCount(0)
  })
}

test('a training shows its expected duration before Start, and the RBM-vs-data charts show the data', async ({
  page,
  host
}) => {
  test.setTimeout(150_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('model-model1').click()
  for (const [id, v] of [
    ['lattice-lx', '4'],
    ['lattice-ly', '4']
  ]) {
    await page.getByTestId(id!).fill(v!)
    await page.getByTestId(id!).press('Tab')
  }
  await page.getByTestId('build-lattice').click()
  await page.getByTestId('dataset-algorithm').selectOption('wolff')
  await page.getByTestId('dataset-samples').fill('500')
  await page.getByTestId('dataset-generate').click()
  await expect(page.getByTestId('train-rbm')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('train-rbm').click()
  for (const [id, v] of [
    ['training-layers', '8'],
    ['training-epochs', '40'],
    ['training-batch', '10']
  ]) {
    await page.getByTestId(id!).fill(v!)
    await page.getByTestId(id!).press('Tab')
  }
  await page.getByTestId('training-physical').check()
  await expect(page.getByTestId('training-estimate')).toContainText('on this machine')
  await page.screenshot({ path: `${shots}/training-draft-1280.png` })
  await page.getByTestId('training-start').click()
  await expect(page.getByTestId('training-phase')).toHaveText('done', { timeout: 120_000 })
  await page.getByTestId('chart-physical-absM').scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${shots}/training-done-1280.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.getByTestId('chart-physical-absM').scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${shots}/training-done-1920.png` })
})
