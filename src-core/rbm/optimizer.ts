/**
 * Training options and the parameter update of RBM learning (Hinton 2010, "A practical guide to
 * training restricted Boltzmann machines", UTML TR 2010-003, §§4, 9, 10).
 *
 * The update is the one of the Hinton–Salakhutdinov code (Hinton & Salakhutdinov, Science 313,
 * 504, 2006; rbm.m), per minibatch of n rows with gradient estimate g = (pos − neg)/n:
 *     ΔW ← μ ΔW + ε (g_W − λ₂ W − λ₁ sign(W)),    W ← W + ΔW
 *     Δa ← μ Δa + ε g_a,                           a ← a + Δa
 *     Δb ← μ Δb + ε g_b,                           b ← b + Δb
 * i.e. the penalties act on the weights only, never on the biases (Hinton 2010 §10), and they
 * sit inside the momentum and the learning rate, as in rbm.m (`weightcost`). sign(0) = 0.
 *
 * Epochs are counted from 0: the momentum is `initial` for epochs 0 … switchEpoch−1 and `final`
 * from epoch switchEpoch on. rbm.m switches "if epoch > 5" with epochs counted from 1, i.e.
 * after five epochs: switchEpoch = 5 here.
 */
import type { RbmInit } from './rbm'

export type LearningRateSchedule =
  | { schedule: 'constant'; initial: number }
  /** ε(epoch) = initial · decay^epoch. */
  | { schedule: 'exponential'; initial: number; decay: number }
  /** ε(epoch) = initial · factor^⌊epoch / every⌋. */
  | { schedule: 'step'; initial: number; factor: number; every: number }

export type LearningRate = number | LearningRateSchedule

export interface MomentumSchedule {
  initial: number
  final: number
  /** First epoch (counted from 0) that uses `final`. */
  switchEpoch: number
}

export type TrainingMethod = 'cd' | 'pcd' | 'exact'

export interface TrainingOptions {
  /**
   * 'cd': contrastive divergence CD-k (Hinton 2002, Neural Comput. 14, 1771);
   * 'pcd': persistent contrastive divergence (Tieleman 2008, ICML);
   * 'exact': the exact log-likelihood gradient, model expectations by enumeration (small RBMs).
   */
  method: TrainingMethod
  /** Gibbs steps per gradient estimate (CD-k, or PCD steps per update); ignored by 'exact'. */
  k: number
  epochs: number
  batchSize: number
  learningRate: LearningRate
  momentum: MomentumSchedule
  /** L1 penalty λ₁ on W (Hinton 2010 §10.1 discusses both). */
  l1: number
  /** L2 penalty λ₂ on W ("weight decay", Hinton 2010 §10). */
  l2: number
  /** PCD fantasy particles; default batchSize. */
  persistentChains?: number
  /** Reshuffle the rows each epoch (Fisher–Yates from the rng) or keep their order. */
  shuffle: boolean
  /**
   * Visible statistics of the CD negative phase: 'probabilities' (default; rbm.m uses
   * p(v|h) as `negdata`) or 'samples'. Hidden statistics always use p(h|v).
   */
  negativeVisible?: 'probabilities' | 'samples'
  /** Weight initialisation of a new RBM; default { kind: 'normal', scale: 0.1 } (rbm.m). */
  init?: RbmInit
}

/**
 * The paper's settings (Mehta & Schwab 2014, §4 of SCIENCE.md). Unstated in the paper; defaults
 * of the Hinton–Salakhutdinov code it used: CD-1, learning rate 0.1, momentum 0.5 then 0.9 after
 * epoch 5, initial weights 0.1·N(0,1), minibatches of 100, {0,1} units, hidden probabilities
 * passed up. The paper states 200 epochs and an L1 penalty of 2·10⁻⁴; note that rbm.m's own
 * `weightcost = 0.0002` is an L2 decay (set l2 instead of l1 to reproduce the code exactly).
 * Rows are not reshuffled: rbm.m visits its fixed minibatches in the same order every epoch.
 */
export const HINTON_SALAKHUTDINOV: Readonly<TrainingOptions> = Object.freeze({
  method: 'cd',
  k: 1,
  epochs: 200,
  batchSize: 100,
  learningRate: 0.1,
  momentum: Object.freeze({ initial: 0.5, final: 0.9, switchEpoch: 5 }),
  l1: 2e-4,
  l2: 0,
  shuffle: false,
  negativeVisible: 'probabilities',
  init: Object.freeze({ kind: 'normal', scale: 0.1 })
} as TrainingOptions)

/** Largest enumerated layer for method 'exact' (2^16 configurations per update). */
export const EXACT_GRADIENT_MAX_UNITS = 16

/** Everything wrong with a set of options, one sentence each (empty when valid). */
export function trainingOptionsProblems(o: TrainingOptions): string[] {
  const problems: string[] = []
  const int = (value: unknown, what: string, min: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      problems.push(`${what} must be an integer ≥ ${min}, got ${String(value)}.`)
  }
  const nonNegative = (value: unknown, what: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push(`${what} must be a finite number ≥ 0, got ${String(value)}.`)
  }
  if (o.method !== 'cd' && o.method !== 'pcd' && o.method !== 'exact')
    problems.push(`method must be 'cd', 'pcd' or 'exact', got ${String(o.method)}.`)
  int(o.k, 'k', o.method === 'exact' ? 0 : 1)
  int(o.epochs, 'epochs', 0)
  int(o.batchSize, 'batchSize', 1)
  if (o.persistentChains !== undefined) int(o.persistentChains, 'persistentChains', 1)
  nonNegative(o.l1, 'l1')
  nonNegative(o.l2, 'l2')
  const m = o.momentum
  if (!m || typeof m !== 'object') problems.push('momentum must be { initial, final, switchEpoch }.')
  else {
    for (const key of ['initial', 'final'] as const) {
      if (!(m[key] >= 0 && m[key] < 1)) problems.push(`momentum.${key} must be in [0, 1), got ${String(m[key])}.`)
    }
    int(m.switchEpoch, 'momentum.switchEpoch', 0)
  }
  const lr = o.learningRate
  if (typeof lr === 'number') nonNegative(lr, 'learningRate')
  else if (!lr || typeof lr !== 'object') problems.push('learningRate must be a number or a schedule.')
  else {
    nonNegative(lr.initial, 'learningRate.initial')
    if (lr.schedule === 'exponential') nonNegative(lr.decay, 'learningRate.decay')
    else if (lr.schedule === 'step') {
      nonNegative(lr.factor, 'learningRate.factor')
      int(lr.every, 'learningRate.every', 1)
    } else if (lr.schedule !== 'constant')
      problems.push(`unknown learning-rate schedule ${String((lr as { schedule: unknown }).schedule)}.`)
  }
  if (typeof o.shuffle !== 'boolean') problems.push('shuffle must be true or false.')
  if (o.negativeVisible !== undefined && o.negativeVisible !== 'probabilities' && o.negativeVisible !== 'samples') {
    problems.push(`negativeVisible must be 'probabilities' or 'samples', got ${String(o.negativeVisible)}.`)
  }
  return problems
}

export function assertValidTrainingOptions(o: TrainingOptions, context = 'training options'): void {
  const problems = trainingOptionsProblems(o)
  if (problems.length > 0) throw new RangeError(`${context} are invalid: ${problems.join(' ')}`)
}

/** ε for an epoch (counted from 0). */
export function learningRateAt(lr: LearningRate, epoch: number): number {
  if (typeof lr === 'number') return lr
  switch (lr.schedule) {
    case 'constant':
      return lr.initial
    case 'exponential':
      return lr.initial * lr.decay ** epoch
    case 'step':
      return lr.initial * lr.factor ** Math.floor(epoch / lr.every)
  }
}

/** μ for an epoch (counted from 0). */
export function momentumAt(m: MomentumSchedule, epoch: number): number {
  return epoch < m.switchEpoch ? m.initial : m.final
}

/** Parameter increments ΔW, Δa, Δb (same shapes as W, a, b). */
export interface Velocity {
  W: Float32Array
  a: Float32Array
  b: Float32Array
}

/** Gradient estimate g (already divided by the batch size), same shapes as the parameters. */
export interface Gradient {
  W: Float32Array
  a: Float32Array
  b: Float32Array
}

export interface StepSettings {
  learningRate: number
  momentum: number
  l1: number
  l2: number
}

/**
 * One update (module comment), in place on params and velocity, in single precision: ε, μ, λ₁,
 * λ₂ rounded to fp32 and every operation rounded to fp32 (Math.fround of the exact double
 * result is the IEEE single result for +, −, ×), the arithmetic of the parameters' own type —
 * as float32 training in scikit-learn or PyTorch does, and what the WebAssembly kernels'
 * updateParameters does bit for bit with four lanes at a time. Without penalties (λ₁ = λ₂ = 0
 * after rounding) the bracket is g itself.
 */
export function applyUpdate(
  params: { W: Float32Array; a: Float32Array; b: Float32Array },
  velocity: Velocity,
  gradient: Gradient,
  s: StepSettings
): void {
  const f = Math.fround
  const eps = f(s.learningRate),
    mu = f(s.momentum),
    l1 = f(s.l1),
    l2 = f(s.l2)
  const penalties = l1 !== 0 || l2 !== 0
  const { W } = params
  for (let k = 0; k < W.length; k++) {
    const w = W[k]!
    const g = gradient.W[k]!
    const d = penalties ? f(g - f(f(l2 * w) + (w > 0 ? l1 : w < 0 ? -l1 : 0))) : g
    const inc = f(f(mu * velocity.W[k]!) + f(eps * d))
    velocity.W[k] = inc
    W[k] = w + inc
  }
  for (const key of ['a', 'b'] as const) {
    const p = params[key]
    const v = velocity[key]
    const g = gradient[key]
    for (let k = 0; k < p.length; k++) {
      const inc = f(f(mu * v[k]!) + f(eps * g[k]!))
      v[k] = inc
      p[k] = p[k]! + inc
    }
  }
}
