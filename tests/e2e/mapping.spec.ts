import type { Page } from '@playwright/test'
import { expect, test } from './webHost'

/**
 * The exact mapping from the UI against the real web host and its job worker (SCIENCE.md §3, §7):
 * the 1D decimation is exact (ΔF = 0 and a zero trace residual), the Lin–Tegmark–Rolnick
 * counterexample has ΔF = 0 with a trace residual above 0.1. The view is photographed at a
 * projector's 1280×720 and at 1920×1080.
 */
const shots = 'test-results/screens'

async function fill(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value)
  await page.getByTestId(testId).press('Tab')
}

const reading = async (page: Page, key: string): Promise<number> =>
  Number(await page.getByTestId(`mapping-${key}`).getAttribute('data-value'))

/** Starts the dialog's mapping and opens the analysis it becomes. */
async function startAndOpen(page: Page, name: RegExp): Promise<void> {
  await page.getByTestId('mapping-start').click()
  await expect(page.getByTestId('mapping-dialog')).toHaveCount(0)
  const item = page.locator('[data-testid^="analysis-map"]', { hasText: name })
  await expect(item).toBeVisible({ timeout: 60_000 })
  await item.click()
  await expect(page.getByTestId('mapping-view')).toBeVisible()
}

test('open the mapping view on the 1D decimation and on the counterexample, and read ΔF and the trace residual', async ({
  page,
  host
}) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)

  // A decimal comma is refused with the form to use; then the 1D decimation preset.
  await page.getByTestId('add-mapping').click()
  await fill(page, 'mapping-K', '0,8')
  await page.getByTestId('mapping-start').click()
  await expect(page.getByTestId('mapping-error')).toHaveText('K is “0,8”: write decimals with a point, as 0.8.')
  await fill(page, 'mapping-K', '0.8')
  await fill(page, 'mapping-h', '0.3')
  await startAndOpen(page, /1D decimation/)
  expect(Math.abs(await reading(page, 'deltaF'))).toBeLessThan(1e-10)
  expect(Math.abs(await reading(page, 'traceResidual'))).toBeLessThan(1e-10)
  expect(await reading(page, 'maxHDiff')).toBeLessThan(1e-10)
  await expect(page.getByTestId('mapping-convention')).toContainText('w = −W')
  await expect(page.getByTestId('decimation-network')).toBeVisible()
  await page.screenshot({ path: `${shots}/mapping-decimation-1280.png` })
  await page.getByTestId('decimation-network').scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${shots}/mapping-decimation-1280-network.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/mapping-decimation-1920.png` })
  await page.getByTestId('couplings-rbm').scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${shots}/mapping-decimation-1920-tables.png` })

  // The counterexample: ΔF = 0 exactly, yet Tr_h e^T ≠ 1 for some v.
  await page.getByTestId('add-mapping').click()
  await page.getByTestId('mapping-preset').selectOption('lin-tegmark')
  await fill(page, 'mapping-K', '0.3')
  await startAndOpen(page, /Counterexample/)
  expect(Math.abs(await reading(page, 'deltaF'))).toBeLessThan(1e-10)
  expect(await reading(page, 'traceResidual')).toBeGreaterThan(0.1)
  await page.screenshot({ path: `${shots}/mapping-counterexample-1920.png` })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.screenshot({ path: `${shots}/mapping-counterexample-1280.png` })
})
