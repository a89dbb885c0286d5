import { expect, test } from './webHost'

/**
 * The paper in one click, from the UI against the real web host and job workers: "Reproduce the
 * paper" (the small variant) runs Fig. 2's mapping, the dataset, the DBN and the comparison one
 * after another; the view shows progress with an ETA, then every stage done with a link to the
 * item it made; the training made by it opens with its receptive fields. Screenshots at 1280×720
 * and 1920×1080.
 */
const shots = 'test-results/screens'

test('reproduce the paper (small), follow its stages, open what they made', async ({ page, host }) => {
  test.setTimeout(300_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('paper-small').check()
  await page.getByTestId('paper-reproduce').click()
  const view = page.getByTestId('pipeline-view')
  await expect(view).toBeVisible()
  // While it runs: Pause is offered and the ETA is shown.
  await expect(page.getByTestId('pipeline-pause')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('pipeline-eta')).toContainText(/about .* left/)
  await page.screenshot({ path: `${shots}/paper-running-1280x720.png` })
  await expect(page.getByTestId('pipeline-eta')).toHaveText('finished: every stage is done', { timeout: 240_000 })
  for (const stage of ['mapping', 'dataset', 'training', 'compare'])
    await expect(page.getByTestId(`pipeline-stage-${stage}`)).toHaveClass(/done/)
  await page.screenshot({ path: `${shots}/paper-done-1280x720.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/paper-done-1920x1080.png` })
  // Each stage's output is an item of the project.
  await page.getByTestId('pipeline-open-training').click()
  await expect(page.getByTestId('training-phase')).toHaveText('done')
  await page.getByTestId('analysis-paper1').click()
  await page.getByTestId('pipeline-open-compare').click()
  await expect(page.getByTestId('compare-level-1')).toBeVisible()
  await page.getByTestId('analysis-paper1').click()
  await page.getByTestId('pipeline-open-mapping').click()
  await expect(page.getByTestId('mapping-view')).toBeVisible()
})
