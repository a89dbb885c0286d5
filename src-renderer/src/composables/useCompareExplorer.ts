import { computed, ref, shallowRef, watch, type ComputedRef } from 'vue'
import type { Dbn } from '@core/rbm/dbn'
import type { BlockRule } from '@core/rg/blockSpin'
import type { CompareView } from '../charts/compareData'
import { compareSample } from '../logic/compareSample'

/** The dataset's configurations as the comparison reads them: count × Ly × Lx spins. */
export interface CompareSamples {
  data: Int8Array
  count: number
  Ly: number
  Lx: number
}

export type PaintMode = 'flip' | 'up' | 'down'

/**
 * The configuration a comparison shows: the selected sample of the dataset or a painted copy of
 * it (painting starts from the shown configuration; selecting another sample drops the paint),
 * and both sides' levels of it (compareSample), recomputed whenever either changes.
 */
export function useCompareExplorer(
  samples: ComputedRef<CompareSamples | null>,
  view: ComputedRef<CompareView>,
  setting: ComputedRef<{ rule: BlockRule; b: number; seed: number; dbn: Dbn | null }>
) {
  const index = ref(0)
  const painted = shallowRef<Int8Array | null>(null)
  const mode = ref<PaintMode>('flip')
  watch(index, () => (painted.value = null))
  const N = computed(() => (samples.value ? samples.value.Lx * samples.value.Ly : 0))
  const configuration = computed(
    () => painted.value ?? samples.value?.data.subarray(index.value * N.value, (index.value + 1) * N.value) ?? null
  )
  const sample = computed(() => {
    const s = samples.value
    const c = configuration.value
    if (!s || !c) return null
    const centroids = view.value.levels.map((l) => ({ x: l.dbn.x, y: l.dbn.y }))
    return compareSample(c, {
      grid: { Lx: s.Lx, Ly: s.Ly },
      rule: setting.value.rule,
      b: setting.value.b,
      levels: view.value.levels.length,
      seed: setting.value.seed + index.value,
      dbn: setting.value.dbn,
      centroids
    })
  })

  /** Selects sample i (rounded and clamped to the dataset). */
  function go(i: number): void {
    index.value = Math.min(Math.max(0, Math.round(i) || 0), Math.max(0, (samples.value?.count ?? 1) - 1))
  }
  let stroke = new Set<number>()
  /** Paints one site; a stroke (from its first cell) changes each site once. */
  function paint(cell: { x: number; y: number; first: boolean }): void {
    const c = configuration.value
    if (!c || !samples.value) return
    if (cell.first) stroke = new Set()
    const i = cell.y * samples.value.Lx + cell.x
    if (stroke.has(i)) return
    stroke.add(i)
    const next = Int8Array.from(c)
    next[i] = mode.value === 'flip' ? -next[i]! : mode.value === 'up' ? 1 : -1
    painted.value = next
  }
  function onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowRight') go(index.value + 1)
    else if (e.key === 'ArrowLeft') go(index.value - 1)
  }
  return { index, painted, mode, sample, go, paint, onKey }
}
