import { test as base } from '@playwright/test'
import { startHost, type WebHostFixture } from './hostProcess'

export type { WebHostFixture }

export const test = base.extend<object, { host: WebHostFixture }>({
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
