import { existsSync } from 'node:fs'
import { join } from 'node:path'
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
  // Finished: neither Run nor Pause is offered; the figures are shown.
  await expect(page.getByTestId('pipeline-pause')).toHaveCount(0)
  await expect(page.getByTestId('pipeline-run')).toHaveCount(0)
  await expect(page.getByTestId('pipeline-fig2')).toBeVisible()
  await expect(page.getByTestId('pipeline-fig3')).toBeVisible()
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

test('pause the reproduction in its training, save, reopen and continue to the end', async ({ page, host }) => {
  test.setTimeout(300_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('paper-small').check()
  await page.getByTestId('paper-reproduce').click()
  await expect(page.getByTestId('pipeline-stage-training')).toHaveClass(/running/, { timeout: 60_000 })
  await page.getByTestId('pipeline-pause').click()
  await expect(page.getByTestId('pipeline-stage-training')).toHaveClass(/paused/, { timeout: 30_000 })
  await expect(page.getByTestId('pipeline-run')).toHaveText('Continue')

  await page.getByTestId('save').click()
  await page.getByTestId('picker-name').fill('paper')
  await page.getByTestId('picker-confirm').click()
  await expect(page.getByTestId('project-title')).not.toContainText('●')
  expect(existsSync(join(host.root, 'paper.blockspin'))).toBe(true)
  await page.getByTestId('new').click()
  await page.getByTestId('open').click()
  await page.getByTestId('file-paper.blockspin').click()
  await page.getByTestId('picker-confirm').click()
  await expect(page.getByTestId('project-title')).toContainText('paper')

  await page.getByTestId('analysis-paper1').click()
  await expect(page.getByTestId('pipeline-stage-training')).toHaveClass(/paused/)
  await expect(page.getByTestId('pipeline-stage-dataset')).toHaveClass(/done/)
  await page.getByTestId('pipeline-run').click()
  await expect(page.getByTestId('pipeline-eta')).toHaveText('finished: every stage is done', { timeout: 240_000 })
  await page.getByTestId('pipeline-open-training').click()
  await expect(page.getByTestId('training-phase')).toHaveText('done')
  await page.screenshot({ path: `${shots}/paper-continued-1280x720.png` })
})
