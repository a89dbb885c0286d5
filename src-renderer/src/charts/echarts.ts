import * as echarts from 'echarts/core'
import { LineChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent
} from 'echarts/components'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

/**
 * The one place ECharts is assembled: only the charts, components and renderers Blockspin uses,
 * registered once (module evaluation happens once per bundle). Import ECharts from here.
 */
echarts.use([
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer
])

export { echarts }
export type { EChartsType } from 'echarts/core'
export type { EChartsOption } from 'echarts'
