import { reactive, readonly } from 'vue'

/**
 * What the project is doing with its file (saving, opening), for the title bar's progress line.
 * A large project takes a second or more to save or open; anything longer than DELAY_MS shows
 * as "Saving… 1.2 s" with an indeterminate bar, so the greyed-out buttons are explained.
 */
export const DELAY_MS = 300

const state = reactive({ label: '', visible: false, elapsedSeconds: 0 })
let current = 0

/** The activity shown now (read only). */
export const fileActivity = readonly(state)

/** Runs `work` as the file activity `label` ("Saving", "Opening"); shows it once it passes DELAY_MS. */
export async function trackFileActivity<T>(label: string, work: Promise<T>): Promise<T> {
  const id = ++current
  const started = Date.now()
  state.label = label
  state.visible = false
  state.elapsedSeconds = 0
  const tick = setInterval(() => {
    if (id !== current) return
    const elapsed = Date.now() - started
    state.elapsedSeconds = elapsed / 1000
    if (elapsed >= DELAY_MS) state.visible = true
  }, 100)
  try {
    return await work
  } finally {
    clearInterval(tick)
    if (id === current) {
      state.visible = false
      state.label = ''
    }
  }
}
