import { physicalLattice } from '@shared/project/trainingData'
import type { AnalysisV2, DatasetV2, ModelV2 } from '@shared/project/types'
import type { IsingParams } from '@core/ising/types'
import type { SweepData } from '../charts/sweepData'
import { ALGORITHM_LABELS } from './liveParams'
import { formatCount, powerOfTen } from './format'
import { configOfRecord, type TrainingRecord } from './trainingSpec'

/**
 * Captions for exported figures: the parameters a reader needs to reproduce the figure, in one
 * sentence per view ("DBN 1600→400→100→25, CD-1, 200 epochs, L1 2×10⁻⁴, trained on 20 000
 * samples of the 40×40 torus at K = 0.408").
 */

/** A parameter as a reader writes it, without padding zeros: 0.408, 2×10⁻⁴, 0.440687. */
export function compactNumber(value: number, sig = 6): string {
  if (!Number.isFinite(value)) return '—'
  const r = Number(value.toPrecision(sig))
  const magnitude = r === 0 ? 0 : Math.floor(Math.log10(Math.abs(r)))
  if (magnitude < -3 || magnitude >= 6) {
    const [mantissa, exp] = r.toExponential().split('e')
    return mantissa === '1' ? powerOfTen(Number(exp)).slice(1) : `${mantissa}${powerOfTen(Number(exp))}`
  }
  return String(r)
}

const algorithmName = (id: string | null | undefined): string =>
  id ? ((ALGORITHM_LABELS as Record<string, string>)[id] ?? id) : ''

/** "the 40×40 torus at K = 0.408" for the plain periodic ferromagnet, else the model's name and size. */
export function modelText(model: ModelV2 | undefined): string {
  if (!model) return 'an unknown model'
  const plain = physicalLattice(model)
  if (plain) return `the ${plain.Lx}×${plain.Ly} torus at K = ${compactNumber(plain.K, 4)}`
  const l = model.lattice
  const size = l.kind === 'square' || l.kind === 'triangular' ? `${l.Lx}×${l.Ly} ${l.kind}` : `N = ${l.N} ${l.kind}`
  const h = model.uniform.h ? `, h = ${compactNumber(model.uniform.h, 4)}` : ''
  return `“${model.name}” (${size}, K = ${compactNumber(model.uniform.K, 4)}${h})`
}

/** "2 000 samples of the 16×16 torus at K = 0.408 (Wolff cluster, every 3 sweeps)". */
export function datasetText(dataset: DatasetV2 | undefined, model: ModelV2 | undefined): string {
  if (!dataset) return 'an unknown dataset'
  const how = [algorithmName(dataset.algorithm), dataset.thin ? `every ${formatCount(dataset.thin)} sweeps` : '']
  return `${formatCount(dataset.samples)} samples of ${modelText(model)} (${how.filter(Boolean).join(', ')}, seed ${dataset.seed})`
}

/** "DBN 256→64→16→4, CD-1, 20 epochs, L1 2×10⁻⁴, trained on 2 000 samples of the 16×16 torus at K = 0.408 (…)". */
export function trainingText(
  t: TrainingRecord,
  nv: number,
  dataset: DatasetV2 | undefined,
  model: ModelV2 | undefined
): string {
  const o = configOfRecord(t).options
  const kind = t.layers.length > 1 ? 'DBN' : 'RBM'
  const parts = [
    `${kind} ${[nv, ...t.layers.map((l) => l.nh)].join('→')}`,
    o.method === 'exact' ? 'exact gradient' : `${o.method.toUpperCase()}-${o.k}`,
    `${formatCount(o.epochs)} epochs${t.layers.length > 1 ? ' per layer' : ''}`,
    `batch ${formatCount(o.batchSize)}`,
    ...(o.l1 ? [`L1 ${compactNumber(o.l1, 3)}`] : []),
    ...(o.l2 ? [`L2 ${compactNumber(o.l2, 3)}`] : []),
    `seed ${t.seed}`
  ]
  return `${parts.join(', ')}, trained on ${datasetText(dataset, model)}`
}

/** "Monte Carlo sweep of the L×L torus in zero field, L = 4, 8, K = 0.36 … 0.52 (9 values), …". */
export function sweepText(data: SweepData, name: string): string {
  const Ks = data.points.map((p) => p.K)
  const range = Ks.length
    ? `K = ${compactNumber(Math.min(...Ks), 4)} … ${compactNumber(Math.max(...Ks), 4)} (${new Set(Ks).size} values)`
    : ''
  const parts = [
    `${name}: Monte Carlo on the L×L square torus`,
    data.h === null ? '' : `h = ${compactNumber(data.h, 4)}`,
    `L = ${data.Ls.join(', ')}`,
    range,
    algorithmName(data.algorithm),
    data.burnIn !== null && data.sweeps !== null
      ? `${formatCount(data.burnIn)} burn-in and ${formatCount(data.sweeps)} measured sweeps per point`
      : '',
    data.h === 0 ? 'dashed: exact (Onsager L → ∞, Kaufman finite L)' : ''
  ]
  return parts.filter(Boolean).join(', ')
}

const scalar = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v)
    ? compactNumber(v, 5)
    : typeof v === 'string' && v.length <= 40
      ? v
      : typeof v === 'boolean'
        ? String(v)
        : Array.isArray(v) && v.length <= 8 && v.every((x) => typeof x === 'number')
          ? v.map((x) => compactNumber(x as number, 4)).join(', ')
          : null

/** An analysis by its name and the plain values of its specification ("name: levels 3, rule majority, …"). */
export function analysisText(analysis: Pick<AnalysisV2, 'name' | 'spec'>, extra = ''): string {
  // A seed is an identifier to type back in, so it is printed whole, never as 2.8063×10⁹.
  const spec = Object.entries(analysis.spec ?? {})
    .map(([k, v]) => [k, /seed$/i.test(k) && Number.isSafeInteger(v) ? String(v) : scalar(v)] as const)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v}`)
  return [analysis.name, [extra, ...spec].filter(Boolean).join(', ')].filter(Boolean).join(': ')
}

/** What a live chain's caption states: its lattice or model, parameters, algorithm, sweep and seed. */
export interface LiveChainFacts {
  L: number
  seed: number
  sweep: number
  params: Pick<IsingParams, 'K' | 'h' | 'algorithm' | 'beta'>
  /** A general chain's model: its name, its sites, and whether one K and h hold everywhere. */
  model?: { name: string; sites: number; uniform: boolean } | null
}

/** "Live Monte Carlo chain on the 32×32 torus, K = 0.6, h = 0, Metropolis (checkerboard), sweep 310, seed 549809375". */
export function liveChainText(c: LiveChainFacts): string {
  const p = c.params
  const Kh = `K = ${compactNumber(p.K, 4)}, h = ${compactNumber(p.h, 4)}`
  const on = c.model
    ? `on “${c.model.name}” (${formatCount(c.model.sites)} sites), β = ${compactNumber(p.beta ?? 1, 4)}${c.model.uniform ? `, ${Kh}` : ''}`
    : `on the ${c.L}×${c.L} torus, ${Kh}`
  return `Live Monte Carlo chain ${on}, ${algorithmName(p.algorithm)}, sweep ${formatCount(c.sweep)}, seed ${c.seed}`
}
