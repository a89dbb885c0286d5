import { computed, ref, watch } from 'vue'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { ToolSettings } from '../logic/editor/interaction'
import type { Tool } from '../logic/editor/tools'
import { parseBrushSize, parseCouplingValue } from '../logic/editor/values'

/**
 * The lattice editor's tool choice as typed: the tool, the brush size and the coupling or field
 * value (each with the sentence its field shows when it cannot be read), the rectangle switch,
 * and the settings a stroke uses (the Random spins brush draws from a generator seeded once).
 */
export function useEditorTools(seed: number | undefined) {
  const tool = ref<Tool>('spin-up')
  const brushText = ref('1')
  const valueText = ref('0.4')
  const rect = ref(false)
  const brushSize = ref(1)
  const brushError = computed(() => {
    const r = parseBrushSize(brushText.value)
    return r.ok ? null : r.error
  })
  watch(brushText, (t) => {
    const r = parseBrushSize(t)
    if (r.ok) brushSize.value = r.value
  })
  const parsedValue = computed(() => parseCouplingValue(valueText.value))
  const valueError = computed(() =>
    parsedValue.value.ok || (tool.value !== 'bonds' && tool.value !== 'fields') ? null : parsedValue.value.error
  )
  const rng = xoshiro128ss(seed ?? Date.now() % 0xffffffff)
  const settings = (): ToolSettings => ({
    tool: tool.value,
    brushSize: brushSize.value,
    value: parsedValue.value.ok ? parsedValue.value.value : null,
    rect: rect.value,
    rng
  })
  return { tool, brushText, valueText, rect, brushSize, brushError, parsedValue, valueError, settings }
}
