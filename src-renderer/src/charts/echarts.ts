import * as echarts from 'echarts/core'
import { CustomChart, LineChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
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
  // Error bars (I-beams) and histogram bars on value axes.
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  MarkAreaComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer
])

export { echarts }
export type { EChartsType } from 'echarts/core'
export type { EChartsOption } from 'echarts'
