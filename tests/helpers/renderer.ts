import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { createFakeApi } from '../renderer/fakeApi'

export type FakeApi = ReturnType<typeof createFakeApi>

/**
 * The setup most renderer tests share, for a beforeEach: a fresh fake API installed as the
 * renderer's API and a fresh active Pinia, so no store state or listener leaks between tests.
 * Returns the fake (to answer calls and emit events). Undo with setApi(null) in afterEach.
 */
export function installFakeApp(): FakeApi {
  const fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
  return fake
}
