import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import { encodeProject } from '@shared/project/codec'
import { sbatchOnPath } from '../../src-main/services/clusterApi'
import { nodeCodecEngine } from '../../src-main/services/nodeCodecEngine'
import { clusterProject } from '../shared/clusterFixtures'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { expect, test } from './webHost'

/**
 * A sweep sent to a cluster from the app and brought back: Run on a cluster… writes the bundle
 * into the projects folder, its tasks run where a node would run them (`blockspin cluster task`
 * under plain Node), and Merge results… brings the points into the open project — first two of
 * three, naming the missing one, then all, then nothing more when merged again.
 */
const shots = 'test-results/screens'
const CLI = fileURLToPath(new URL('../helpers/clusterCli.ts', import.meta.url))
const run = promisify(execFile)

async function runTask(bundle: string, index: number): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', CLI, 'task', join(bundle, 'tasks', `${index}.json`)])
}

/** Merge results… with the bundle's folder; the picker opens where it was left, so a second merge only confirms. */
async function mergeFrom(page: Page, folder: string, first: boolean): Promise<void> {
  await page.getByTestId('merge-results').click()
  const picker = page.getByTestId('file-picker')
  await expect(picker).toContainText('Bundle folder to merge')
  if (first) await picker.getByTestId(`file-${folder}`).click()
  await expect(picker.locator('.where')).toContainText(folder)
  await expect(picker.getByTestId('picker-confirm')).toHaveText('Use this folder')
  await picker.getByTestId('picker-confirm').click()
  await expect(page.getByTestId('cluster-report-dialog')).toBeVisible()
}

test('a sweep goes to a cluster bundle and its points come back with Merge results…', async ({ page, host }) => {
  test.setTimeout(120_000)
  const doc = clusterProject({ Ls: [4], Ks: [0.2, 0.3, 0.4], sweeps: 200 })
  writeFileSync(join(host.root, 'fss.blockspin'), encodeProject(doc, '0.1.0', nodeCodecEngine))
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('open').click()
  await page.getByTestId('file-fss.blockspin').click()
  await page.getByTestId('picker-confirm').click()
  await page.getByTestId('analysis-sweep1').click()

  await page.getByTestId('run-on-cluster').click()
  const dialog = page.getByTestId('cluster-dialog')
  await expect(dialog.getByTestId('cluster-summary')).toContainText('3 array tasks, one unit each: 3 sweep points.')
  await dialog.getByTestId('cluster-time').fill('2 hours')
  await expect(dialog.getByTestId('cluster-error')).toHaveText(
    'Time per task takes a Slurm time such as 90, 01:30:00 or 2-00:00:00, not "2 hours".'
  )
  await page.screenshot({ path: `${shots}/cluster-dialog-error-1280.png` })
  await dialog.getByTestId('cluster-time').fill('00:20:00')
  await dialog.getByTestId('cluster-partition').fill('short')
  await expect(dialog.getByTestId('cluster-error')).toBeHidden()
  await page.screenshot({ path: `${shots}/cluster-dialog-1280.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/cluster-dialog-1920.png` })
  await dialog.getByTestId('cluster-start').click()

  const bundle = join(host.root, 'sweep1-bundle')
  await expect(dialog.getByTestId('cluster-written-path')).toHaveText(bundle)
  await expect(dialog.getByTestId('cluster-command')).toHaveText('sbatch blockspin-array.sbatch')
  // Submit is offered only where the host has sbatch (this machine may have Slurm's client for its own tests).
  if (await sbatchOnPath()) await expect(dialog.getByTestId('cluster-submit')).toBeEnabled()
  else await expect(dialog.getByTestId('cluster-no-submit')).toContainText('sbatch is not on')
  await page.screenshot({ path: `${shots}/cluster-written-1920.png` })
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.screenshot({ path: `${shots}/cluster-written-1280.png` })
  await dialog.getByTestId('cluster-start').click()
  await expect(dialog).toBeHidden()

  // Two of the three tasks finish: their points come in and the third is named.
  await Promise.all([runTask(bundle, 0), runTask(bundle, 2)])
  await mergeFrom(page, 'sweep1-bundle', true)
  const report = page.getByTestId('cluster-report-dialog')
  await expect(report.getByTestId('cluster-report-summary')).toHaveText(
    'Merged 2 of 3 units of “Sweep” as “Sweep (cluster)”.'
  )
  await expect(report.getByTestId('cluster-report-notes')).toHaveText('Task 1 (L = 4, K = 0.3) has no result yet.')
  await page.screenshot({ path: `${shots}/cluster-report-1280.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/cluster-report-1920.png` })
  await report.getByTestId('cluster-report-start').click()
  await expect(page.getByTestId('project-title')).toContainText('●')
  const rows = page.getByTestId('sweep-table').locator('tbody tr')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText(/^0\.2/)
  await expect(rows.nth(1).locator('td').nth(1)).toHaveText(/^0\.4/)

  // The last task finishes: merging again completes the sweep; a third merge changes nothing.
  await runTask(bundle, 1)
  await mergeFrom(page, 'sweep1-bundle', false)
  await expect(report.getByTestId('cluster-report-summary')).toHaveText(
    'Merged 3 of 3 units of “Sweep” as “Sweep (cluster)”.'
  )
  await report.getByTestId('cluster-report-start').click()
  await expect(rows).toHaveCount(3)
  await mergeFrom(page, 'sweep1-bundle', false)
  await expect(report.getByTestId('cluster-report-summary')).toHaveText(
    'The project already holds 3 of 3 units of “Sweep” as “Sweep (cluster)”; nothing changed.'
  )
  await report.getByTestId('cluster-report-start').click()
  await expect(page.getByTestId('analysis-sweep1-cluster1')).toHaveCount(1)
  await expect(rows).toHaveCount(3)
})

test('a training grid’s Run on a cluster… at projector and desktop sizes', async ({ page, host }) => {
  writeFileSync(join(host.root, 'grid.blockspin'), encodeProject(clusterKindsProject(), '0.1.0', nodeCodecEngine))
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('open').click()
  await page.getByTestId('file-grid.blockspin').click()
  await page.getByTestId('picker-confirm').click()
  await page.getByTestId('training-train1').click()
  await page.getByTestId('run-on-cluster').click()
  const dialog = page.getByTestId('cluster-dialog')
  await dialog.getByTestId('cluster-rates').fill('0.1, 0.05, 0.02')
  await dialog.getByTestId('cluster-hidden').fill('16, 32')
  await dialog.getByTestId('cluster-replicas').fill('4')
  await expect(dialog.getByTestId('cluster-summary')).toContainText('24 array tasks, one unit each: 24 trainings.')
  await page.screenshot({ path: `${shots}/cluster-grid-1280.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/cluster-grid-1920.png` })
  await dialog.getByTestId('cluster-start').click()
  await expect(dialog.getByTestId('cluster-written-path')).toHaveText(join(host.root, 'train1-bundle'))
})
