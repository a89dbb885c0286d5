import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeProject } from '@shared/project/codec'
import { nodeCodecEngine } from '../../src-main/services/nodeCodecEngine'
import { tenMegabyteDoc } from '../helpers/projectHost'
import { expect, test } from './webHost'

/**
 * A 10 MB project (40 MB of arrays) opened in the browser through the web host: on a slow
 * machine (the CPU throttled 8×) the title bar says "Opening…" with a progress bar and the
 * seconds, and the line goes once the project is open.
 */
const shots = 'test-results/screens'

test('opening a large project shows its progress in the title bar', async ({ page, host }) => {
  writeFileSync(join(host.root, 'big.blockspin'), encodeProject(tenMegabyteDoc(), '0.1.0', nodeCodecEngine))
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 }
  ]) {
    await page.setViewportSize(size)
    await page.goto(host.url)
    const cdp = await page.context().newCDPSession(page)
    await page.getByTestId('open').click()
    await page.getByTestId('file-big.blockspin').click()
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 })
    await page.getByTestId('picker-confirm').click()
    const activity = page.getByTestId('file-activity')
    await expect(activity).toBeVisible({ timeout: 5000 })
    await expect(activity).toHaveText(/^\s*Opening… \d+\.\d s\s*$/)
    await expect(activity.locator('progress')).toBeVisible()
    await page.screenshot({ path: `${shots}/opening-${size.width}.png` })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
    await expect(page.getByTestId('project-title')).toContainText('big', { timeout: 60_000 })
    await expect(activity).toBeHidden()
  }
})
