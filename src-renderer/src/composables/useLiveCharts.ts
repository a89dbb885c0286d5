import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import { absMChartOption, chartIntervalMs, energyChartOption, seriesCsv } from '../charts/liveOptions'
import type { EChartsOption } from '../charts/echarts'
import { liveChainText } from '../logic/figureCaptions'
import { paramSpans, type LiveChain } from '../logic/liveChain'
import { createThrottle } from '../logic/throttle'
import { useProjectStore } from '../stores/project'
import { provideFigureCaption } from './useFigureExport'
import type { LiveModelInfo } from './useLiveModel'

/**
 * The live chain's e and |m| charts: options rebuilt a few times a second (chartIntervalMs),
 * however fast frames arrive, their CSVs, and the caption their exported figures carry (the
 * chain's lattice or model, K, h, algorithm, sweep and seed at the moment of export).
 */
export function useLiveCharts(
  runId: () => string,
  chain: Ref<LiveChain | undefined>,
  liveModel: Ref<LiveModelInfo | null>
) {
  const project = useProjectStore()
  provideFigureCaption(() => {
    const c = chain.value
    if (!c) return ''
    const info = liveModel.value
    const run = project.project.runs.find((r) => r.id === runId())
    const name = project.project.models.find((m) => m.id === run?.modelId)?.name ?? 'the model'
    const model = c.general && info ? { name, sites: info.model.lattice.N, uniform: info.uniform } : null
    return liveChainText({ L: c.L, seed: c.seed, sweep: c.sweep, params: c.params, model })
  })

  const energyOption = shallowRef<EChartsOption>({})
  const absMOption = shallowRef<EChartsOption>({})
  function rebuild(): void {
    const c = chain.value
    if (!c) return
    const base = {
      sweeps: c.series.sweeps.view(),
      K: c.params.K,
      h: c.params.h,
      spans: paramSpans(c.paramChanges, c.sweep)
    }
    energyOption.value = energyChartOption({ ...base, values: c.series.energy.view() })
    absMOption.value = absMChartOption({ ...base, values: c.series.absM.view() })
  }
  let charts = createThrottle(chartIntervalMs(chain.value?.L ?? 0), rebuild)
  watch(
    () => chain.value?.L ?? 0,
    (L) => {
      charts.cancel()
      charts = createThrottle(chartIntervalMs(L), rebuild)
    }
  )
  watch(
    () => [chain.value?.seriesLength, chain.value?.seriesVersion, chain.value?.params.K, chain.value?.params.h],
    () => charts.request(),
    { immediate: true }
  )
  onBeforeUnmount(() => charts.cancel())

  const series = (which: 'energy' | 'absM') => chain.value?.series[which].view() ?? []
  const sweeps = () => chain.value?.series.sweeps.view() ?? []
  return {
    energyOption,
    absMOption,
    energyCsv: () => seriesCsv('e', sweeps(), series('energy')),
    absMCsv: () => seriesCsv('abs_m', sweeps(), series('absM'))
  }
}
