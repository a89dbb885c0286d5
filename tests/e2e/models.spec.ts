import type { Page } from '@playwright/test'
import { enumerateIsingDensityOfStates, exactIsingAverages } from '../core/reference/squareEnumeration'
import { createSquareLattice } from '@core/ising/square/lattice'
import { expect, test } from './webHost'

/**
 * The physics workflow a person follows: shape a model in the lattice editor, paint spins and
 * bonds and undo, solve it exactly, sample it, and sweep K with error bars and exact curves.
 */
const shots = 'test-results/screens'
const exact4x4 = exactIsingAverages(enumerateIsingDensityOfStates(createSquareLattice(4)), 0.3, 0.1)

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

async function solveExactly(page: Page, previous: string | null): Promise<number> {
  await page.getByTestId('model-solve').click()
  const cell = page.getByTestId('exact-lnZ')
  if (previous !== null) await expect(cell).not.toHaveAttribute('data-value', previous, { timeout: 20_000 })
  await expect(cell).toBeVisible({ timeout: 20_000 })
  return Number(await cell.getAttribute('data-value'))
}

/** "−0.4699 ± 0.0012" → [value, error]. */
function valueAndError(text: string): [number, number] {
  const [v, e] = text
    .replace(/−/g, '-')
    .split('±')
    .map((s) => Number(s.trim().replace(/\s/g, '')))
  return [v!, e!]
}

test('edit a model, paint and undo, solve it exactly, and sample it within error bars of the exact answer', async ({
  page,
  host
}) => {
  await page.goto(host.url)
  await page.getByTestId('model-model1').click()
  await fill(page, 'lattice-lx', '4')
  await fill(page, 'lattice-ly', '4')
  await page.getByTestId('build-lattice').click()
  await fill(page, 'coupling-k', '0.3')
  await fill(page, 'coupling-h', '0.1')
  await page.getByTestId('apply-uniform').click()

  // Exact: SCIENCE.md's conventions, checked against an independent enumeration.
  const lnZ = await solveExactly(page, null)
  expect(lnZ).toBeCloseTo(exact4x4.logZ, 9)
  await expect(page.getByTestId('exact-e')).toHaveAttribute('data-value', /.+/)
  expect(Number(await page.getByTestId('exact-e').getAttribute('data-value'))).toBeCloseTo(exact4x4.energyPerSpin, 9)

  // Paint spins and a bond; the bond changes the physics, undo restores it.
  const canvas = page.getByTestId('editor-canvas')
  const box = (await canvas.boundingBox())!
  await page.getByTestId('tool-spin-down').click()
  await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } })
  await page.getByTestId('tool-bonds').click()
  await fill(page, 'edit-value', '-1')
  await canvas.click({ position: { x: box.width / 2 + 3, y: box.height / 2 + 40 } })
  await expect(page.getByTestId('undo')).toBeEnabled()
  const edited = await solveExactly(page, String(lnZ))
  expect(Math.abs(edited - lnZ)).toBeGreaterThan(1e-3)
  const editedE = Number(await page.getByTestId('exact-e').getAttribute('data-value'))
  await page.screenshot({ path: `${shots}/model-edited.png` })

  // Monte Carlo on the edited model agrees with its exact solution (two independent methods).
  await page.getByTestId('dataset-algorithm').selectOption('heatbath')
  await page.getByTestId('dataset-samples').fill('4000')
  await page.getByTestId('dataset-seed').fill('2024')
  await page.getByTestId('dataset-generate').click()
  const row = page.getByTestId('observable-e')
  await expect(row).toBeVisible({ timeout: 60_000 })
  const [e, err] = valueAndError(await row.locator('td').innerText())
  expect(err).toBeGreaterThan(0)
  expect(Math.abs(e - editedE)).toBeLessThan(4 * err)
  expect(Math.abs(e - exact4x4.energyPerSpin)).toBeGreaterThan(4 * err) // the bond edit really changed the physics

  // Undo restores the uniform model exactly.
  await page.getByTestId('model-model1').click()
  await page.getByTestId('undo').click()
  const restored = await solveExactly(page, String(edited))
  expect(restored).toBeCloseTo(lnZ, 12)
  await page.screenshot({ path: `${shots}/dataset.png`, fullPage: true })
})

test('a parameter sweep shows error bars, exact finite-L curves and the Binder crossing', async ({ page, host }) => {
  await page.goto(host.url)
  await page.getByTestId('add-sweep').click()
  await fill(page, 'sweep-Ls', '4, 8')
  await fill(page, 'sweep-from', '0.30')
  await fill(page, 'sweep-to', '0.55')
  await fill(page, 'sweep-steps', '6')
  await fill(page, 'sweep-sweeps', '4000')
  await page.getByTestId('sweep-start').click()
  const table = page.getByTestId('sweep-table')
  await expect(table).toBeVisible({ timeout: 90_000 })
  await expect(table.locator('tbody tr')).toHaveCount(12)
  await expect(page.getByTestId('binder-crossings')).toContainText(/cross at K = 0\.4\d*/)
  await page.screenshot({ path: `${shots}/sweep.png`, fullPage: true })
})
