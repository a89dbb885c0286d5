import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue'
import { createThrottle } from '../logic/throttle'

/**
 * `source()` as a ref that follows it at once, except while `live()`: then it takes a new value
 * at most once every `ms` (the latest one when the interval is up), and at once again as soon as
 * `live()` turns false. Values `same` as the shown one are not taken.
 */
export function useThrottled<T>(
  source: () => T,
  live: () => boolean,
  ms: number,
  same: (a: T, b: T) => boolean = Object.is
): Readonly<ShallowRef<T>> {
  const shown = shallowRef(source())
  const show = (): boolean => {
    const next = source()
    if (same(shown.value, next)) return false
    shown.value = next
    return true
  }
  const throttle = createThrottle(ms, show, undefined, Date.now())
  watch([source, live], ([next, isLive]) => {
    if (!isLive) throttle.flush()
    else if (same(shown.value, next)) throttle.cancel()
    else throttle.request()
  })
  onScopeDispose(throttle.cancel)
  return shown
}
