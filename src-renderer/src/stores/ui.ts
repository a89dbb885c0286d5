import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, watch } from 'vue'

export interface ConfirmRequest {
  title: string
  message: string
  /** Button labels, first is the default action. */
  buttons: string[]
  /** Index returned by Escape / clicking outside. */
  cancelIndex: number
}

export interface PickRequest {
  /** folder: the folder shown when confirmed ('' is the projects folder itself). */
  mode: 'open' | 'save' | 'folder'
  suggestedName: string
  /** The heading (default: Open project, Save project, Choose a folder). */
  title?: string
}

/**
 * Dialogs, theme and presenter mode. Dialogs are promise-based so a store can `await` the
 * user's answer; exactly one modal is shown at a time.
 */
export const useUiStore = defineStore('ui', () => {
  /** The modal confirm dialog currently shown, with its resolver. */
  const confirmState = ref<(ConfirmRequest & { resolve: (index: number) => void }) | null>(null)
  /** The in-app file picker (browser host), with its resolver. */
  const pickState = ref<(PickRequest & { resolve: (path: string | null) => void }) | null>(null)
  /** A sentence describing a failure, shown until dismissed. */
  const errorMessage = ref<{ title: string; message: string } | null>(null)
  /** Short-lived notices ("Saved"). */
  const notice = ref<string | null>(null)
  const theme = ref<'dark' | 'light'>((localStorage.getItem('blockspin.theme') as 'dark' | 'light') ?? 'dark')
  /** Larger type and controls everywhere ("Large text"; presenter mode shows one panel full screen). */
  const presenter = ref(localStorage.getItem('blockspin.presenter') === '1')

  watch(
    [theme, presenter],
    () => {
      localStorage.setItem('blockspin.theme', theme.value)
      localStorage.setItem('blockspin.presenter', presenter.value ? '1' : '0')
      document.documentElement.dataset['theme'] = theme.value
      document.documentElement.classList.toggle('presenter', presenter.value)
    },
    { immediate: true }
  )

  /** Explanations the user opened, by view (collapsed unless listed); remembered across launches. */
  const openExplanations = ref<string[]>(readList('blockspin.explanations'))
  watch(openExplanations, (views) => localStorage.setItem('blockspin.explanations', JSON.stringify(views)))
  const explanationOpen = (view: string): boolean => openExplanations.value.includes(view)
  function toggleExplanation(view: string): void {
    openExplanations.value = explanationOpen(view)
      ? openExplanations.value.filter((v) => v !== view)
      : [...openExplanations.value, view]
  }

  /**
   * True when this profile has never launched Blockspin: the first launch opens the example project
   * and the guide. Remembered like the theme (localStorage of the app's own origin).
   */
  const firstLaunch = localStorage.getItem('blockspin.launched') !== '1'
  function markLaunched(): void {
    localStorage.setItem('blockspin.launched', '1')
  }
  /** The guide panel (opened on a first launch, from Help → Guide and the title bar's Guide button). */
  const guideOpen = ref(false)
  /** Set when the example project could not be opened, so the guide says it works on the open project. */
  const exampleMissing = ref(false)

  /** Questions asked while another is shown wait their turn (each promise gets its own answer). */
  const waitingConfirms: (ConfirmRequest & { resolve: (index: number) => void })[] = []
  function confirm(request: ConfirmRequest): Promise<number> {
    return new Promise((resolve) => {
      if (confirmState.value) waitingConfirms.push({ ...request, resolve })
      else confirmState.value = { ...request, resolve }
    })
  }
  function answerConfirm(index: number): void {
    const state = confirmState.value
    confirmState.value = waitingConfirms.shift() ?? null
    state?.resolve(index)
  }

  function pickFile(request: PickRequest): Promise<string | null> {
    return new Promise((resolve) => {
      pickState.value = { ...request, resolve }
    })
  }
  function answerPick(path: string | null): void {
    const state = pickState.value
    pickState.value = null
    state?.resolve(path)
  }

  function showError(title: string, message: string): void {
    errorMessage.value = { title, message }
  }

  let noticeTimer: ReturnType<typeof setTimeout> | undefined
  function showNotice(text: string): void {
    notice.value = text
    clearTimeout(noticeTimer)
    noticeTimer = setTimeout(() => (notice.value = null), 2500)
  }

  return {
    confirmState,
    pickState,
    errorMessage,
    notice,
    theme,
    presenter,
    confirm,
    answerConfirm,
    pickFile,
    answerPick,
    showError,
    showNotice,
    explanationOpen,
    toggleExplanation,
    firstLaunch,
    markLaunched,
    guideOpen,
    exampleMissing
  }
})

/** A list of strings saved as JSON under `key` (an unreadable entry counts as empty). */
function readList(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]')
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useUiStore, import.meta.hot))
