import { algorithmName } from '@core/ising/algorithmNames'
import { plannedDatasetMark } from '@shared/cluster/planned'
import type { AnalysisV2, DatasetV2 } from '@shared/project/types'
import { compactNumber } from './figureCaptions'
import { formatCount } from './format'

/** A planned analysis's parameters as the facts grid shows them, read defensively (the file is input). */
export function plannedFacts(a: Pick<AnalysisV2, 'kind' | 'spec'>): { label: string; value: string }[] {
  const s = a.spec
  const num = (k: string): number | null =>
    typeof s[k] === 'number' && Number.isFinite(s[k]) ? (s[k] as number) : null
  const nums = (k: string): number[] =>
    Array.isArray(s[k]) ? (s[k] as unknown[]).filter((x): x is number => typeof x === 'number') : []
  const count = (k: string) => (num(k) === null ? '—' : formatCount(num(k)!))
  const seed = { label: 'seed', value: num('seed') === null ? '—' : String(num('seed')) }
  if (a.kind === 'sweep') {
    const Ls = nums('Ls')
    const Ks = nums('Ks')
    const range = Ks.length
      ? `${compactNumber(Math.min(...Ks), 4)} … ${compactNumber(Math.max(...Ks), 4)} (${Ks.length} values)`
      : '—'
    return [
      { label: 'sizes L', value: Ls.join(', ') || '—' },
      { label: 'couplings K', value: range },
      { label: 'field h', value: num('h') === null ? '—' : compactNumber(num('h')!, 4) },
      { label: 'algorithm', value: typeof s['algorithm'] === 'string' ? algorithmName(s['algorithm']) : '—' },
      { label: 'burn-in / measured sweeps per point', value: `${count('burnIn')} / ${count('sweeps')}` },
      { label: 'points', value: formatCount(Ls.length * Ks.length) },
      seed
    ]
  }
  const blocks = {
    label: 'blocks',
    value: `${typeof s['rule'] === 'string' ? s['rule'] : '—'}, b = ${num('b') ?? '—'}`
  }
  const sampling = {
    label: a.kind === 'rg.flow' ? 'samples per K' : 'samples',
    value: `${count('count')}, ${count('between')} sweeps apart after ${count('burnIn')}`
  }
  const lattice = { label: 'lattice', value: num('L') === null ? '—' : `${num('L')}×${num('L')} torus` }
  if (a.kind === 'rg.flow') {
    const Ks = nums('Ks')
    const couplings = Array.isArray(s['couplings']) ? (s['couplings'] as unknown[]).map(String).join(', ') : '—'
    return [
      lattice,
      { label: 'starting K', value: Ks.map((K) => compactNumber(K, 6)).join(', ') || '—' },
      blocks,
      { label: 'levels', value: count('levels') },
      sampling,
      { label: 'couplings fitted', value: couplings },
      { label: 'units (one per K)', value: formatCount(Ks.length) },
      seed
    ]
  }
  const operators = Array.isArray(s['operators']) ? (s['operators'] as unknown[]).map(String).join(', ') : 'all even'
  return [
    lattice,
    { label: 'K', value: num('K') === null ? '—' : compactNumber(num('K')!, 7) },
    blocks,
    { label: 'levels', value: count('levels') },
    sampling,
    { label: 'operators', value: operators },
    seed
  ]
}

/** A planned dataset's parameters as the facts grid shows them (its model's name given, if any). */
export function plannedDatasetFacts(d: DatasetV2, modelName: string | undefined): { label: string; value: string }[] {
  const mark = plannedDatasetMark(d)
  const thin = mark?.thin ?? d.thin
  return [
    { label: 'model', value: modelName ?? d.modelId },
    { label: 'algorithm', value: algorithmName(d.algorithm) },
    { label: 'samples', value: formatCount(d.samples) },
    { label: 'burn-in', value: `${formatCount(d.burnIn)} sweeps` },
    {
      label: 'thinning',
      value: thin === 'auto' ? 'auto (each shard’s pilot run chooses ⌈2 τ_int⌉)' : `every ${formatCount(thin)} sweeps`
    },
    { label: 'configurations', value: mark?.keepSamples === false ? 'not kept' : 'kept (int8)' },
    { label: 'seed', value: String(d.seed) }
  ]
}
