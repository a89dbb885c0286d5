/// <reference lib="dom" />
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { startHost } from '../e2e/hostProcess'

/**
 * Frames per second the live view actually draws at L×L: the real app in Chromium through the
 * web host, a live Metropolis chain at one sweep per frame, counting canvas redraws (each
 * redraw updates the canvas's data-sweep attribute) over `seconds`.
 */
export async function measureLiveViewFps(
  L: number,
  seconds: number
): Promise<{ fps: number; sweepsPerSecond: number }> {
  const host = await startHost()
  const executablePath =
    process.env['PLAYWRIGHT_CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run'
    ]
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    // A returning user: a first launch would open the example project and the guide instead of a live chain.
    await page.addInitScript({ content: "localStorage.setItem('blockspin.launched', '1')" })
    await page.goto(host.url)
    const lInput = page.getByTestId('l-input')
    await lInput.fill(String(L))
    await lInput.press('Enter')
    await page.getByTestId('play').click()
    const canvas = page.getByTestId('lattice-canvas')
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="lattice-canvas"]')?.getAttribute('data-sweep') ?? 0) > 5,
      null,
      { timeout: 30_000 }
    )
    const result = await canvas.evaluate(
      (el, ms) =>
        new Promise<{ frames: number; sweeps: number }>((done) => {
          let frames = 0
          const sweep0 = Number(el.getAttribute('data-sweep'))
          const observer = new MutationObserver(() => frames++)
          observer.observe(el, { attributes: true, attributeFilter: ['data-sweep'] })
          setTimeout(() => {
            observer.disconnect()
            done({ frames, sweeps: Number(el.getAttribute('data-sweep')) - sweep0 })
          }, ms)
        }),
      seconds * 1000
    )
    return { fps: result.frames / seconds, sweepsPerSecond: result.sweeps / seconds }
  } finally {
    await browser.close()
    await host.stop()
  }
}
