import { computed, onBeforeUnmount, reactive, shallowReactive, type Ref } from 'vue'

/**
 * Charts and lattices that presenter mode can show full screen. Each registers its element and
 * title here; the presenter (usePresenter) steps through those on screen in document order.
 */
/**
 * Presenter mode: on or off, and the panel shown full screen (a key below; null: the whole view).
 * Plain reactive state rather than a store, so every chart and lattice can take part without one.
 */
export const presenter = reactive({ presenting: false, spotlight: null as string | null })

interface Presentable {
  el: () => HTMLElement | null
  title: () => string
}
const registry = shallowReactive(new Map<string, Presentable>())
let counter = 0

/** The registered panels of the view on screen (kept-alive hidden views are detached), in document order. */
export function presentablesOnScreen(): { key: string; title: string; el: HTMLElement }[] {
  const shown: { key: string; title: string; el: HTMLElement }[] = []
  for (const [key, p] of registry) {
    const el = p.el()
    if (el?.isConnected) shown.push({ key, title: p.title(), el })
  }
  return shown.sort((a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
}

/** How many panels are registered (a reactive count, so the presenter notices views coming and going). */
export const presentableCount = computed(() => registry.size)

/**
 * Registers `el` as presentable. `presented` is true while presenter mode shows it full screen;
 * `present()` enters presenter mode on it (the panel's ⛶ button).
 */
export function usePresentable(el: Ref<HTMLElement | null>, title: () => string) {
  const key = `presentable-${++counter}`
  registry.set(key, { el: () => el.value, title })
  onBeforeUnmount(() => {
    registry.delete(key)
  })
  const presented = computed(() => presenter.presenting && presenter.spotlight === key)
  function present(): void {
    presenter.spotlight = key
    presenter.presenting = true
  }
  return { key, presented, present }
}
