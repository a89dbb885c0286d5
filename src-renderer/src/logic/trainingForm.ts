import {
  EXACT_GRADIENT_MAX_UNITS,
  HINTON_SALAKHUTDINOV,
  learningRateAt,
  type LearningRate,
  type LearningRateSchedule,
  type TrainingMethod,
  type TrainingOptions
} from '@core/rbm/optimizer'
import type { UnitKind } from '@core/rbm/types'
import type { PassUp } from '@core/rbm/dbn'
import type { LogLikelihoodMonitor, TrainingMonitorChoice } from '@shared/project/trainings'
import { formatNumber } from './format'

/**
 * The configuration form of a training: what the user types (strings), and what it means — a
 * network (hidden layer sizes, unit kinds), the engine's TrainingOptions, pass-up, seed and the
 * monitors. Problems come back as whole sentences, one per field.
 */

export type LearningRateScheduleKind = LearningRateSchedule['schedule']

export type { LogLikelihoodMonitor, TrainingMonitorChoice }

export interface TrainingConfig {
  visibleUnits: UnitKind
  layers: { nh: number; hiddenUnits: UnitKind }[]
  options: TrainingOptions
  passUp: PassUp
  seed: number
  monitors: TrainingMonitorChoice
}

export interface TrainingFormState {
  layers: string
  visibleUnits: UnitKind
  hiddenUnits: UnitKind[]
  method: TrainingMethod
  k: string
  epochs: string
  batchSize: string
  /** The initial rate of a schedule. */
  learningRate: string
  lrSchedule: LearningRateScheduleKind
  lrDecay: string
  lrFactor: string
  lrEvery: string
  momentumInitial: string
  momentumFinal: string
  momentumSwitch: string
  l1: string
  l2: string
  shuffle: boolean
  passUp: PassUp
  seed: string
  logLikelihood: LogLikelihoodMonitor
  physical: boolean
}

/** "400, 100, 25" → [400, 100, 25]; null when any entry is not a whole number ≥ 1. */
export function parseLayerSizes(text: string): number[] | null {
  const parts = text.split(/[,\s→>]+/).filter(Boolean)
  if (parts.length === 0) return null
  const sizes = parts.map((p) => Number(p))
  return sizes.every((n) => Number.isInteger(n) && n >= 1) ? sizes : null
}

/** Schedule fields shown before the user has chosen values of their own. */
const SCHEDULE_DEFAULTS = { decay: 0.99, factor: 0.5, every: 10 }

/** The form showing a configuration. */
export function formFromConfig(c: TrainingConfig): TrainingFormState {
  const o = c.options
  const lr: LearningRateSchedule =
    typeof o.learningRate === 'number' ? { schedule: 'constant', initial: o.learningRate } : o.learningRate
  return {
    layers: c.layers.map((l) => l.nh).join(', '),
    visibleUnits: c.visibleUnits,
    hiddenUnits: c.layers.map((l) => l.hiddenUnits),
    method: o.method,
    k: String(o.k),
    epochs: String(o.epochs),
    batchSize: String(o.batchSize),
    learningRate: String(lr.initial),
    lrSchedule: lr.schedule,
    lrDecay: String(lr.schedule === 'exponential' ? lr.decay : SCHEDULE_DEFAULTS.decay),
    lrFactor: String(lr.schedule === 'step' ? lr.factor : SCHEDULE_DEFAULTS.factor),
    lrEvery: String(lr.schedule === 'step' ? lr.every : SCHEDULE_DEFAULTS.every),
    momentumInitial: String(o.momentum.initial),
    momentumFinal: String(o.momentum.final),
    momentumSwitch: String(o.momentum.switchEpoch),
    l1: String(o.l1),
    l2: String(o.l2),
    shuffle: o.shuffle,
    passUp: c.passUp,
    seed: String(c.seed),
    logLikelihood: c.monitors.logLikelihood,
    physical: c.monitors.physical
  }
}

/** The paper's network and the Hinton–Salakhutdinov code's defaults (SCIENCE.md §4). */
export function paperConfig(seed: number, physical: boolean): TrainingConfig {
  const o = HINTON_SALAKHUTDINOV
  return {
    visibleUnits: '01',
    layers: [400, 100, 25].map((nh) => ({ nh, hiddenUnits: '01' as UnitKind })),
    options: { ...o, momentum: { ...o.momentum }, init: o.init ? { ...o.init } : undefined } as TrainingOptions,
    passUp: 'probabilities',
    seed,
    monitors: { logLikelihood: 'auto', physical }
  }
}

/** A small starting point for a dataset of nv spins: one hidden layer of about nv/4 units. */
export function defaultConfig(nv: number, seed: number, physical: boolean): TrainingConfig {
  const paper = paperConfig(seed, physical)
  return {
    ...paper,
    layers: [{ nh: Math.max(1, Math.round(nv / 4)), hiddenUnits: '01' }],
    options: { ...paper.options, epochs: 20 }
  }
}

/** Keeps one unit kind per layer as the layer list changes. */
export function syncHiddenUnits(form: TrainingFormState): void {
  const n = parseLayerSizes(form.layers)?.length ?? form.hiddenUnits.length
  while (form.hiddenUnits.length < n) form.hiddenUnits.push(form.hiddenUnits[form.hiddenUnits.length - 1] ?? '01')
  form.hiddenUnits.length = n
}

/** Field readers that add a sentence to `problems` for each bad field (and return NaN for it). */
function readers(problems: string[]) {
  const int = (text: string, label: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = Number(text.trim())
    if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${label} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`)
      return NaN
    }
    return v
  }
  const real = (text: string, label: string, ok: (v: number) => boolean, range: string): number => {
    const v = Number(text.trim())
    if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) {
      problems.push(`${label} must be ${range}.`)
      return NaN
    }
    return v
  }
  return { int, real }
}

/** The learning rate of the form: a plain number when constant (as saved before schedules), else the schedule. */
function readLearningRate(form: TrainingFormState, { int, real }: ReturnType<typeof readers>): LearningRate {
  const initial = real(form.learningRate, 'The learning rate', (v) => v > 0 && v <= 100, 'a number greater than 0')
  const fraction = (v: number) => v > 0 && v <= 1
  if (form.lrSchedule === 'exponential') {
    return { schedule: 'exponential', initial, decay: real(form.lrDecay, 'The decay per epoch', fraction, 'in (0, 1]') }
  }
  if (form.lrSchedule === 'step') {
    const factor = real(form.lrFactor, 'The step factor', fraction, 'in (0, 1]')
    return { schedule: 'step', initial, factor, every: int(form.lrEvery, 'The number of epochs per step', 1, 100_000) }
  }
  return initial
}

/** ε in words for summaries: “0.1”, “0.1 × 0.99 per epoch”, “0.1 × 0.5 every 100 epochs”. */
export function describeLearningRate(lr: LearningRate): string {
  if (typeof lr === 'number') return String(lr)
  if (lr.schedule === 'exponential') return `${lr.initial} × ${lr.decay} per epoch`
  if (lr.schedule === 'step')
    return `${lr.initial} × ${lr.factor} every ${lr.every === 1 ? 'epoch' : `${lr.every} epochs`}`
  return String(lr.initial)
}

/** Three significant digits at most: 0.0125, 0.05, 3.14×10⁻⁵. */
function shortRate(x: number): string {
  const r = Number(x.toPrecision(3))
  return r !== 0 && Math.abs(r) < 1e-3 ? formatNumber(r, 3) : String(r)
}

/**
 * Where a decaying schedule ends: “ε falls from 0.1 to 0.0125 by epoch 400”, the rate of the
 * last epoch (learningRateAt counts epochs from 0). Empty for a constant rate or unreadable fields.
 */
export function learningRateHint(form: TrainingFormState): string {
  if (form.lrSchedule === 'constant') return ''
  const problems: string[] = []
  const read = readers(problems)
  const lr = readLearningRate(form, read)
  const epochs = read.int(form.epochs, 'Epochs', 1, 100_000)
  if (problems.length > 0 || typeof lr === 'number') return ''
  const last = learningRateAt(lr, epochs - 1)
  if (last === lr.initial) return `ε stays at ${lr.initial} through epoch ${epochs}.`
  return `ε falls from ${lr.initial} to ${shortRate(last)} by epoch ${epochs}.`
}

/** Reads the form against a dataset of `nv` visible units and `rows` training rows. */
export function readForm(
  form: TrainingFormState,
  nv: number,
  rows: number,
  latticeOk: boolean
): { config: TrainingConfig | null; problems: string[] } {
  const problems: string[] = []
  const read = readers(problems)
  const { int, real } = read
  const sizes = parseLayerSizes(form.layers)
  if (!sizes) problems.push('Layer sizes must be whole numbers ≥ 1 separated by commas, such as “400, 100, 25”.')
  else if (sizes.length > 16) problems.push('A network may have at most 16 layers.')
  const method = form.method
  const k = int(form.k, 'k (Gibbs steps)', method === 'exact' ? 0 : 1, 1000)
  const epochs = int(form.epochs, 'Epochs', 1, 100_000)
  const batchSize = int(form.batchSize, 'The batch size', 1, 1_000_000)
  const learningRate = readLearningRate(form, read)
  const momentumInitial = real(form.momentumInitial, 'The initial momentum', (v) => v >= 0 && v < 1, 'in [0, 1)')
  const momentumFinal = real(form.momentumFinal, 'The final momentum', (v) => v >= 0 && v < 1, 'in [0, 1)')
  const switchEpoch = int(form.momentumSwitch, 'The momentum switch epoch', 0, 100_000)
  const l1 = real(form.l1, 'The L1 penalty', (v) => v >= 0, 'a number ≥ 0')
  const l2 = real(form.l2, 'The L2 penalty', (v) => v >= 0, 'a number ≥ 0')
  const seed = int(form.seed, 'The seed', 0, 0xffffffff)
  if (sizes) {
    let below = nv
    sizes.forEach((nh, l) => {
      if (below * nh > 1 << 26)
        problems.push(`Layer ${l + 1} (${below} × ${nh}) has too many weights; make it smaller.`)
      if (method === 'exact' && Math.min(below, nh) > EXACT_GRADIENT_MAX_UNITS) {
        problems.push(
          `The exact gradient enumerates the smaller side of each layer, which must have at most ${EXACT_GRADIENT_MAX_UNITS} units; layer ${l + 1} is ${below} × ${nh}.`
        )
      }
      below = nh
    })
  }
  if (Number.isInteger(batchSize) && rows > 0 && batchSize > rows)
    problems.push(`The batch size (${batchSize}) is larger than the ${rows} training samples.`)
  if (form.physical && !latticeOk)
    problems.push(
      'Physical observables need a uniform periodic square lattice at zero field; turn them off for this dataset.'
    )
  if (problems.length > 0 || !sizes) return { config: null, problems }
  const hidden = sizes.map((nh, l) => ({ nh, hiddenUnits: form.hiddenUnits[l] ?? '01' }))
  return {
    config: {
      visibleUnits: form.visibleUnits,
      layers: hidden,
      options: {
        method,
        k,
        epochs,
        batchSize,
        learningRate,
        momentum: { initial: momentumInitial, final: momentumFinal, switchEpoch },
        l1,
        l2,
        shuffle: form.shuffle,
        negativeVisible: 'probabilities',
        init: { kind: 'normal', scale: 0.1 }
      },
      passUp: form.passUp,
      seed,
      monitors: { logLikelihood: form.logLikelihood, physical: form.physical && latticeOk }
    },
    problems
  }
}
