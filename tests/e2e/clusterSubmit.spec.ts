import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chromium, type Page } from '@playwright/test'
import { encodeProject } from '@shared/project/codec'
import { nodeCodecEngine } from '../../src-main/services/nodeCodecEngine'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { startHost } from './hostProcess'
import { expect, test } from './webHost'

/**
 * An MCRG sent to a cluster from the app and merged back: Run on a cluster… in two independent
 * chains, Submit to a real one-node Slurm cluster where one starts here (scripts/slurm-local.sh;
 * the tasks then run the web host's own command), or else the tasks run by hand as a node would;
 * Merge results… brings in one MCRG analysis that opens with its view. Screenshots of the dialog,
 * the array's state and the report at 1280×720 and 1920×1080.
 */
const shots = 'test-results/screens'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh')
const CLI = join(ROOT, 'tests', 'helpers', 'clusterCli.ts')
const PORT = '16857'

/** A one-node Slurm cluster's state folder, or why there is none. */
function startSlurm(): { state: string } | { why: string } {
  if (!['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every(existsSync))
    return { why: 'Slurm is not installed' }
  if (process.getuid?.() !== 0) return { why: 'a local Slurm cluster needs root' }
  const state = mkdtempSync(join(tmpdir(), 'blockspin-e2e-slurm-'))
  const r = spawnSync(SCRIPT, ['start', state], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BLOCKSPIN_SLURM_PORT: PORT }
  })
  if (r.status === 0) return { state }
  rmSync(state, { recursive: true, force: true })
  return { why: (r.stderr || r.stdout || 'the start script failed').trim() }
}

async function both(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.screenshot({ path: `${shots}/${name}-1280.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `${shots}/${name}-1920.png` })
  await page.setViewportSize({ width: 1280, height: 720 })
}

test('an MCRG goes to Slurm from the app in two chains and comes back as one MCRG analysis with its view', async () => {
  test.setTimeout(240_000)
  const slurm = startSlurm()
  const saved = process.env['SLURM_CONF']
  if ('state' in slurm) process.env['SLURM_CONF'] = join(slurm.state, 'slurm.conf')
  else console.warn(`Submit not tried: ${slurm.why}; the tasks run by hand.`)
  const host = await startHost()
  const browser = await chromium.launch(test.info().project.use.launchOptions)
  try {
    const page = await browser.newPage()
    await page.addInitScript(() => localStorage.setItem('blockspin.launched', '1'))
    writeFileSync(
      join(host.root, 'mcrg.blockspin'),
      encodeProject(clusterKindsProject({ count: 40 }), '0.1.0', nodeCodecEngine)
    )
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(host.url)
    await page.getByTestId('open').click()
    await page.getByTestId('file-mcrg.blockspin').click()
    await page.getByTestId('picker-confirm').click()
    await page.getByTestId('analysis-mcrg1').click()
    await page.getByTestId('run-on-cluster').click()
    const dialog = page.getByTestId('cluster-dialog')
    await dialog.getByTestId('cluster-shards').fill('2')
    await expect(dialog.getByTestId('cluster-summary')).toContainText(
      '2 array tasks, one unit each: 2 independent chains.'
    )
    await expect(dialog.getByTestId('cluster-seed')).toHaveValue('5')
    await both(page, 'cluster-mcrg-dialog')
    await dialog.getByTestId('cluster-start').click()
    const bundle = join(host.root, 'mcrg1-bundle')
    await expect(dialog.getByTestId('cluster-written-path')).toHaveText(bundle)

    if ('state' in slurm) {
      await dialog.getByTestId('cluster-submit').click()
      await expect(dialog.getByTestId('cluster-submit-message')).toContainText(
        `each running ${process.execPath} ${join(ROOT, 'bin', 'blockspin.mjs')} cluster task`
      )
      await expect(dialog.getByTestId('cluster-state')).toBeVisible()
      await both(page, 'cluster-state')
      await expect(async () => {
        await dialog.getByTestId('cluster-refresh').click()
        await expect(dialog.getByTestId('cluster-state')).toContainText('2 of 2 tasks done', { timeout: 1000 })
      }).toPass({ timeout: 180_000, intervals: [1000] })
      await both(page, 'cluster-state-done')
    } else {
      for (const k of [0, 1])
        await promisify(execFile)(process.execPath, [
          '--import',
          'tsx',
          CLI,
          'task',
          join(bundle, 'tasks', `${k}.json`)
        ])
    }
    await dialog.getByTestId('cluster-start').click()

    await page.getByTestId('merge-results').click()
    const picker = page.getByTestId('file-picker')
    await picker.getByTestId('file-mcrg1-bundle').click()
    await picker.getByTestId('picker-confirm').click()
    const report = page.getByTestId('cluster-report-dialog')
    await expect(report.getByTestId('cluster-report-summary')).toContainText('“MCRG at Kc”')
    await expect(report).toContainText('Every task of the bundle is in.')
    await both(page, 'cluster-mcrg-report')
    await report.getByTestId('cluster-report-start').click()
    await expect(page.getByTestId('analysis-mcrg1-cluster1')).toHaveCount(1)
    const view = page.getByTestId('mcrg-view')
    await expect(view).toBeVisible()
    await expect(view.getByTestId('mcrg-table').locator('tbody tr')).toHaveCount(2)
    await expect(view).toContainText('Errors: jackknife over the 2 independent chains run on a cluster')
    await both(page, 'cluster-mcrg-merged')
  } finally {
    await browser.close()
    await host.stop()
    if (saved === undefined) delete process.env['SLURM_CONF']
    else process.env['SLURM_CONF'] = saved
    if ('state' in slurm) {
      spawnSync(SCRIPT, ['stop', slurm.state], { timeout: 30_000 })
      rmSync(slurm.state, { recursive: true, force: true })
    }
  }
})

test('the sweep’s and the dataset’s Run on a cluster… read in order with Tab and say what a bad seed is', async ({
  page,
  host
}) => {
  writeFileSync(join(host.root, 'kinds.blockspin'), encodeProject(clusterKindsProject(), '0.1.0', nodeCodecEngine))
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(host.url)
  await page.getByTestId('open').click()
  await page.getByTestId('file-kinds.blockspin').click()
  await page.getByTestId('picker-confirm').click()
  await page.getByTestId('analysis-sweep1').click()
  await page.getByTestId('run-on-cluster').click()
  const dialog = page.getByTestId('cluster-dialog')
  await expect(dialog.getByTestId('cluster-partition')).toBeFocused()
  const order = [
    'cluster-time',
    'cluster-mem',
    'cluster-cpus',
    'cluster-per-task',
    'cluster-seed',
    'cluster-warm-start'
  ]
  for (const id of [...order, 'cluster-name', 'cluster-choose']) {
    await page.keyboard.press('Tab')
    await expect(dialog.getByTestId(id)).toBeFocused()
  }
  await dialog.getByTestId('cluster-seed').fill('seven')
  await expect(dialog.getByTestId('cluster-error')).toHaveText(
    'Seed takes a whole number (up to 16 digits), not "seven".'
  )
  await both(page, 'cluster-sweep-seed-error')
  await dialog.getByTestId('cluster-seed').fill('42')
  await dialog.getByTestId('cluster-warm-start').uncheck()
  // The host's projects folder is shared by this worker's specs: a name of its own.
  await dialog.getByTestId('cluster-name').fill('sweep1-seed42')
  await expect(dialog.getByTestId('cluster-error')).toBeHidden()
  await both(page, 'cluster-sweep-dialog')
  await dialog.getByTestId('cluster-start').click()
  await expect(dialog.getByTestId('cluster-written')).toContainText('seed 42, no warm start')
  await both(page, 'cluster-sweep-written')
  await dialog.getByTestId('cluster-start').click()

  await page.getByTestId('dataset-data1').click()
  await page.getByTestId('run-on-cluster').click()
  await dialog.getByTestId('cluster-shards').fill('100')
  await expect(dialog.getByTestId('cluster-error')).toHaveText(
    '200 samples make 1 to 5 shards (each needs 40 samples), not 100.'
  )
  await expect(dialog.getByTestId('cluster-warm-start')).toHaveCount(0)
  // Units per task, shards and seed on one row: no half-empty rows at 1280×720.
  const tops = await Promise.all(
    ['cluster-per-task', 'cluster-shards', 'cluster-seed'].map(
      async (id) => (await dialog.getByTestId(id).boundingBox())!.y
    )
  )
  expect(new Set(tops).size).toBe(1)
  await both(page, 'cluster-dataset-dialog')
})
