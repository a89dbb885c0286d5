import { nextTick, onBeforeUnmount, onMounted, watch } from 'vue'
import {
  presentationSequence,
  presenterCommand,
  projectItemOrder,
  stepThrough,
  type PresenterCommand
} from '../logic/presenter'
import { useProjectStore } from '../stores/project'
import { presentableCount, presentablesOnScreen, presenter } from './usePresentable'

/** True when the key goes to a field the user is typing into or a slider being moved. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el?.tagName) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

/**
 * Presenter mode's keys and navigation (App mounts it once): F or P presents the focused panel
 * (else the view's first chart or lattice), ← → open the previous or next view and present its
 * first panel, ↑ ↓ step through the view's panels, Escape leaves. A view without panels is
 * presented whole.
 */
export function usePresenter() {
  const project = useProjectStore()

  /** The panel holding the focus, else the first on screen. */
  function firstPanel(): string | null {
    const shown = presentablesOnScreen()
    const focused = shown.find((p) => p.el.contains(document.activeElement))
    return (focused ?? shown[0])?.key ?? null
  }

  function run(command: PresenterCommand): void {
    if (command === 'present') {
      presenter.spotlight = firstPanel()
      presenter.presenting = true
    } else if (command === 'leave') {
      presenter.presenting = false
      presenter.spotlight = null
    } else if (command === 'nextItem' || command === 'prevItem') {
      const sequence = presentationSequence(project.tabs, projectItemOrder(project.project))
      const next = stepThrough(sequence, project.selectedId, command === 'nextItem' ? 1 : -1)
      if (next && next !== project.selectedId) {
        presenter.spotlight = null
        project.openTab(next)
      }
    } else {
      const keys = presentablesOnScreen().map((p) => p.key)
      presenter.spotlight = stepThrough(keys, presenter.spotlight, command === 'nextPanel' ? 1 : -1)
    }
  }

  function onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || document.querySelector('[aria-modal="true"]')) return
    const command = presenterCommand(e, presenter.presenting, typing(e.target))
    if (!command) return
    e.preventDefault()
    e.stopPropagation()
    run(command)
  }

  // Entering presenter mode from a button, or a new view (stepped to, or its panels mounting
  // late), is presented from its first panel.
  watch([() => presenter.presenting, () => project.selectedId, presentableCount], async () => {
    if (!presenter.presenting) return
    await nextTick()
    const shown = presentablesOnScreen()
    if (!shown.some((p) => p.key === presenter.spotlight)) presenter.spotlight = shown[0]?.key ?? null
  })

  // Capture phase: presenter keys win over a view's own (the live chain's → steps it otherwise).
  onMounted(() => window.addEventListener('keydown', onKey, true))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey, true))
  return { run }
}
