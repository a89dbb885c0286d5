/// <reference lib="dom" />
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { startHost } from '../e2e/hostProcess'
import { IsingChain } from '@core/ising/square/chain'
import { KC } from '@core/ising/onsager'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * Frames per second the live view actually draws at L×L: the real app in Chromium through the
 * web host, a live Metropolis chain at one sweep per frame, counting canvas redraws (each
 * redraw updates the canvas's data-sweep attribute) over `seconds`. Beside it: the sweeps the
 * chain made per second, the frames per second the page received (each updates the status's
 * sweep), and the reference the chain's rate is measured against, the same WebAssembly kernel's
 * sweeps per second in this process with no view at all (the chain runs at one sweep per frame,
 * so when the view keeps up, frames/s ≈ sweeps/s and both are bounded by the kernel's rate and
 * the CPU time the machine gives the worker).
 */
export interface LiveViewRate {
  /** Canvas redraws per second. */
  fps: number
  /** Sweeps the live chain made per second while the view drew. */
  sweepsPerSecond: number
  /** Frames per second the page received and showed in its status (at most one per rendering tick). */
  framesReceivedPerSecond: number
  /** The Metropolis kernel the chain runs (WebAssembly where available), in this process, no view: sweeps/s at L×L. */
  kernelSweepsPerSecond: number
}

/** Sweeps per second of the live chain's own kernel at L×L (K = Kc, hot start) over about `seconds`. */
export function kernelSweepsPerSecond(L: number, seconds: number): number {
  const chain = IsingChain.start(L, { K: KC, h: 0, algorithm: 'metropolis', sweepsPerFrame: 1 }, 'hot', xoshiro128ss(1))
  chain.runSweeps(2)
  let sweeps = 0
  const started = performance.now()
  while (performance.now() - started < seconds * 1000) {
    chain.runSweeps(1)
    sweeps++
  }
  return (1000 * sweeps) / (performance.now() - started)
}

export async function measureLiveViewFps(L: number, seconds: number): Promise<LiveViewRate> {
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
  let live: Omit<LiveViewRate, 'kernelSweepsPerSecond'>
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
        new Promise<{ frames: number; received: number; sweeps: number }>((done) => {
          let frames = 0
          let received = 0
          const status = document.querySelector('[data-testid="status-sweep"]')
          const sweep0 = Number(el.getAttribute('data-sweep'))
          const drawn = new MutationObserver(() => frames++)
          drawn.observe(el, { attributes: true, attributeFilter: ['data-sweep'] })
          const shown = new MutationObserver(() => received++)
          if (status) shown.observe(status, { attributes: true, attributeFilter: ['data-value'] })
          setTimeout(() => {
            drawn.disconnect()
            shown.disconnect()
            done({ frames, received, sweeps: Number(el.getAttribute('data-sweep')) - sweep0 })
          }, ms)
        }),
      seconds * 1000
    )
    live = {
      fps: result.frames / seconds,
      sweepsPerSecond: result.sweeps / seconds,
      framesReceivedPerSecond: result.received / seconds
    }
  } finally {
    await browser.close()
    await host.stop()
  }
  // After the app has stopped, so the reference does not share the CPU with the chain it is compared to.
  return { ...live, kernelSweepsPerSecond: kernelSweepsPerSecond(L, Math.min(2, seconds)) }
}
