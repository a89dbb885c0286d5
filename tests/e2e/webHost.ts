import { test as base } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

export type { WebHostFixture }

export const test = base.extend<object, { host: WebHostFixture }>({
  // These specs are about a returning user: the first-launch guide and example (guide.spec.ts) stay out of their way.
  page: async ({ page }, use) => {
    await page.addInitScript(() => localStorage.setItem('blockspin.launched', '1'))
    await use(page)
  },
  host: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const host = await startHost()
      await use(host)
      await host.stop()
    },
    { scope: 'worker' }
  ]
})

export { expect } from '@playwright/test'
