import type { Estimate } from '@core/stats/summary'
import type { CsvTable } from '../logic/download'
import { estimateOf } from './rgOptions'

/** A saved MCRG analysis (rg.mcrg) as rows per level: λ, y_t and ν with their errors. */

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})

export interface McrgRow {
  level: number
  lambda: Estimate
  yt: Estimate
  nu: Estimate
}
export interface McrgView {
  L: number
  K: number
  rule: string
  b: number
  samples: number
  operators: string[]
  levels: McrgRow[]
}

export function readMcrg(analysis: { result?: Record<string, unknown> }): McrgView {
  const r = obj(analysis.result)
  return {
    L: Number(r.L),
    K: Number(r.K),
    rule: String(r.rule ?? '—'),
    b: Number(r.b),
    samples: Number(r.samples),
    operators: Array.isArray(r.operators) ? r.operators.map(String) : [],
    levels: (Array.isArray(r.levels) ? r.levels : []).map((l, i) => {
      const o = obj(l)
      const est = (v: string, e: string) => estimateOf({ value: o[v], error: o[e] })
      return {
        level: Number.isInteger(o.level) ? (o.level as number) : i + 1,
        lambda: est('lambda', 'lambdaError'),
        yt: est('yt', 'ytError'),
        nu: est('nu', 'nuError')
      }
    })
  }
}
export function mcrgCsv(m: McrgView): CsvTable {
  return {
    header: ['level', 'lambda', 'lambda_error', 'yt', 'yt_error', 'nu', 'nu_error'],
    rows: m.levels.map((l) => [l.level, l.lambda.value, l.lambda.error, l.yt.value, l.yt.error, l.nu.value, l.nu.error])
  }
}
