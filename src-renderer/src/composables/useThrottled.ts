import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue'

/**
 * `source()` as a ref that follows it at once, except while `live()`: then it takes a new value
 * at most once every `ms` (the latest one when the interval is up), and at once again as soon as
 * `live()` turns false. Values `same` as the shown one are not taken.
 */
export function useThrottled<T>(source: () => T, live: () => boolean, ms: number, same: (a: T, b: T) => boolean = Object.is): Readonly<ShallowRef<T>> {
  const shown = shallowRef(source())
  let last = Date.now()
  let timer: ReturnType<typeof setTimeout> | null = null
  const stop = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  const show = (): void => {
    stop()
    const next = source()
    if (same(shown.value, next)) return
    shown.value = next
    last = Date.now()
  }
  watch([source, live], ([next, isLive]) => {
    if (!isLive) show()
    else if (same(shown.value, next)) stop()
    else if (Date.now() - last >= ms) show()
    else timer ??= setTimeout(show, last + ms - Date.now())
  })
  onScopeDispose(stop)
  return shown
}
