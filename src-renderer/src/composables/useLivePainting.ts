import { computed, onBeforeUnmount, ref, type Ref } from 'vue'
import { brushSites, paintValues, type PaintMode } from '../logic/paintBrush'
import { paintingHint } from '../logic/paintHint'
import type { LiveChain } from '../logic/liveChain'
import { useLiveStore } from '../stores/live'

/**
 * Painting a live chain: a stroke writes its mode under a round brush ('flip' flips each site
 * once per stroke); with "pause while painting" a running chain pauses while the pointer is
 * down and runs on when it is released, so the painted domains can be seen before they evolve.
 */
export function useLivePainting(runId: () => string, chain: Ref<LiveChain | undefined>) {
  const live = useLiveStore()
  const mode = ref<'off' | PaintMode>('off')
  const brushRadius = ref(2)
  const pauseWhilePainting = ref(false)
  let strokeSites = new Set<number>()
  /** This stroke paused the chain; releasing the pointer resumes it. */
  let pausedForStroke = false

  const running = computed(() => chain.value?.status === 'running')
  const hint = computed(() =>
    pauseWhilePainting.value || !chain.value
      ? null
      : paintingHint({
          painting: mode.value !== 'off',
          running: running.value,
          general: chain.value.general,
          K: chain.value.params.K,
          h: chain.value.params.h
        })
  )

  function strokeEnded(): void {
    window.removeEventListener('pointerup', strokeEnded)
    window.removeEventListener('pointercancel', strokeEnded)
    if (!pausedForStroke) return
    pausedForStroke = false
    if (chain.value?.status === 'paused') void live.play(runId())
  }

  function strokeStarted(): void {
    strokeSites = new Set()
    if (!pauseWhilePainting.value || !running.value || pausedForStroke) return
    pausedForStroke = true
    void live.pause(runId())
    window.addEventListener('pointerup', strokeEnded)
    window.addEventListener('pointercancel', strokeEnded)
  }

  function paintFresh(sites: Iterable<number>): void {
    const c = chain.value
    if (!c || mode.value === 'off') return
    const fresh = Int32Array.from(Array.from(sites).filter((i) => !strokeSites.has(i)))
    if (fresh.length === 0) return
    fresh.forEach((i) => strokeSites.add(i))
    void live.paint(runId(), fresh, paintValues(c.spins, fresh, mode.value))
  }

  /** A cell of the square lattice under the pointer (LatticeCanvas). */
  function onPaint(cell: { x: number; y: number; first: boolean }): void {
    const c = chain.value
    if (!c || mode.value === 'off') return
    if (cell.first) strokeStarted()
    paintFresh(brushSites(c.L, cell.x, cell.y, brushRadius.value))
  }

  /** Site indices under the brush on a general lattice (ModelLatticeCanvas). */
  function onPaintSites(stroke: { sites: Int32Array; first: boolean }): void {
    if (!chain.value || mode.value === 'off') return
    if (stroke.first) strokeStarted()
    paintFresh(stroke.sites)
  }

  onBeforeUnmount(strokeEnded)
  return { mode, brushRadius, pauseWhilePainting, hint, onPaint, onPaintSites }
}
