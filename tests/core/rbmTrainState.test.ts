import { describe, expect, it } from 'vitest'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import {
  HINTON_SALAKHUTDINOV,
  applyUpdate,
  checkpointTrainer,
  createTrainer,
  learningRateAt,
  momentumAt,
  restoreTrainer,
  trainBatches,
  trainEpoch,
  trainingOptionsProblems,
  type TrainerState,
  type TrainingOptions
} from '@core/rbm/train'
import type { Batch } from '@core/rbm/types'

function randomData(rows: number, cols: number, seed: number): Batch {
  const rng = xoshiro128ss(seed)
  // Two noisy prototypes, so there is something to learn.
  const data = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < cols; i++)
      data[r * cols + i] = rng.nextFloat() < 0.9 === (i < cols / 2 === (r % 2 === 0)) ? 1 : 0
  return { rows, cols, data }
}

const small: TrainingOptions = { ...HINTON_SALAKHUTDINOV, epochs: 6, batchSize: 10, shuffle: true, k: 2 }
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))

function sameState(a: TrainerState, b: TrainerState): void {
  for (const key of ['W', 'a', 'b'] as const) {
    expect(bits(a.rbm[key])).toEqual(bits(b.rbm[key]))
    expect(bits(a.velocity[key])).toEqual(bits(b.velocity[key]))
  }
  expect(a.persistent ? bits(a.persistent) : null).toEqual(b.persistent ? bits(b.persistent) : null)
  expect(Array.from(a.rngState)).toEqual(Array.from(b.rngState))
  expect(a.epoch).toBe(b.epoch)
}

describe('trainer state: determinism and checkpoints', () => {
  const data = randomData(45, 12, 1)
  for (const method of ['cd', 'pcd'] as const) {
    it(`${method}: 6 epochs straight equal 3 + checkpoint/restore + 3, bit for bit`, () => {
      const options = { ...small, method, persistentChains: 7 }
      const shape = { nv: 12, nh: 5, visibleUnits: '01', hiddenUnits: '01' } as const
      const rngA = xoshiro128ss(9)
      const a = createTrainer(shape, options, rngA)
      for (let e = 0; e < 6; e++) trainEpoch(a, data, rngA)

      const rngB = xoshiro128ss(9)
      const b = createTrainer(shape, options, rngB)
      for (let e = 0; e < 3; e++) trainEpoch(b, data, rngB)
      const checkpoint = structuredClone(checkpointTrainer(b))
      const c = restoreTrainer(checkpoint)
      const rngC = xoshiro128ssFromState(checkpoint.rngState)
      for (let e = 0; e < 3; e++) trainEpoch(c, data, rngC)
      sameState(a, c)
      expect(a.rbm.W.some((w, k) => w !== checkpoint.W[k])).toBe(true)
    })
  }

  it('a mid-epoch checkpoint (after 2 of 5 minibatches, shuffled) also resumes exactly', () => {
    const shape = { nv: 12, nh: 5, visibleUnits: 'pm1', hiddenUnits: '01' } as const
    const pmData: Batch = { ...data, data: data.data.map((x) => 2 * x - 1) }
    const options = { ...small, method: 'pcd' as const }
    const rngA = xoshiro128ss(3)
    const a = createTrainer(shape, options, rngA)
    for (let e = 0; e < 2; e++) trainEpoch(a, pmData, rngA)
    const rngB = xoshiro128ss(3)
    const b = createTrainer(shape, options, rngB)
    trainEpoch(b, pmData, rngB)
    expect(trainBatches(b, pmData, rngB, 2)).toBe(2)
    expect(b.batchIndex).toBe(2)
    const c = restoreTrainer(checkpointTrainer(b))
    expect(c.permutation).not.toBeNull()
    trainEpoch(c, pmData, xoshiro128ssFromState(c.rngState))
    sameState(a, c)
  })

  it('same seed, same result; a different seed differs', () => {
    const run = (seed: number) => {
      const rng = xoshiro128ss(seed)
      const s = createTrainer({ nv: 12, nh: 4, visibleUnits: '01', hiddenUnits: '01' }, small, rng)
      trainEpoch(s, data, rng)
      return bits(s.rbm.W)
    }
    expect(run(4)).toEqual(run(4))
    expect(run(4)).not.toEqual(run(5))
  })
})

describe('optimizer', () => {
  it('the Hinton–Salakhutdinov preset', () => {
    expect(HINTON_SALAKHUTDINOV).toMatchObject({
      method: 'cd',
      k: 1,
      epochs: 200,
      batchSize: 100,
      learningRate: 0.1,
      l1: 2e-4,
      l2: 0
    })
    expect(HINTON_SALAKHUTDINOV.momentum).toEqual({ initial: 0.5, final: 0.9, switchEpoch: 5 })
    expect(HINTON_SALAKHUTDINOV.init).toEqual({ kind: 'normal', scale: 0.1 })
    expect(trainingOptionsProblems(HINTON_SALAKHUTDINOV)).toEqual([])
    expect(trainingOptionsProblems({ ...HINTON_SALAKHUTDINOV, k: 0, batchSize: 1.5 })).toHaveLength(2)
  })

  it('momentum switches at switchEpoch (epochs from 0: five epochs at 0.5, as rbm.m "epoch > 5")', () => {
    const m = HINTON_SALAKHUTDINOV.momentum
    expect([0, 1, 2, 3, 4, 5, 6].map((e) => momentumAt(m, e))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9])
  })

  it('learning-rate schedules', () => {
    expect(learningRateAt(0.1, 7)).toBe(0.1)
    expect(learningRateAt({ schedule: 'constant', initial: 0.2 }, 9)).toBe(0.2)
    expect(learningRateAt({ schedule: 'exponential', initial: 1, decay: 0.5 }, 3)).toBe(0.125)
    expect([0, 2, 3, 6].map((e) => learningRateAt({ schedule: 'step', initial: 1, factor: 0.1, every: 3 }, e))).toEqual(
      [1, 1, 0.1, 0.1 ** 2]
    )
  })

  it('L1 and L2 act on W only, inside the momentum: ΔW ← μΔW + ε(g − λ₂W − λ₁ sign W)', () => {
    const params = { W: Float32Array.of(0.5, -0.5, 0), a: Float32Array.of(0.5), b: Float32Array.of(-0.5) }
    const velocity = { W: new Float32Array(3), a: new Float32Array(1), b: new Float32Array(1) }
    const zero = { W: new Float32Array(3), a: new Float32Array(1), b: new Float32Array(1) }
    applyUpdate(params, velocity, zero, { learningRate: 0.1, momentum: 0.5, l1: 0.2, l2: 0.4 })
    // ΔW = 0.1·(−0.4·0.5 − 0.2) = −0.04 for w = 0.5; +0.04 for −0.5; 0 for 0.
    expect(Array.from(params.W)).toEqual([0.46, -0.46, 0].map(Math.fround))
    expect(params.a[0]).toBe(0.5)
    expect(params.b[0]).toBe(-0.5)
    applyUpdate(params, velocity, zero, { learningRate: 0.1, momentum: 0.5, l1: 0.2, l2: 0.4 })
    // ΔW = 0.5·(−0.04) + 0.1·(−0.4·0.46 − 0.2) = −0.0584
    expect(params.W[0]).toBeCloseTo(0.46 - 0.0584, 6)
  })

  it('with zero gradient and momentum 0.9, a single kick decays geometrically', () => {
    const params = { W: Float32Array.of(0), a: Float32Array.of(0), b: Float32Array.of(0) }
    const velocity = { W: Float32Array.of(1), a: Float32Array.of(1), b: Float32Array.of(0) }
    const zero = { W: new Float32Array(1), a: new Float32Array(1), b: new Float32Array(1) }
    for (let t = 0; t < 3; t++) applyUpdate(params, velocity, zero, { learningRate: 1, momentum: 0.9, l1: 0, l2: 0 })
    expect(params.a[0]).toBeCloseTo(0.9 + 0.81 + 0.729, 6)
  })

  it('an L1 penalty shrinks the trained weights', () => {
    const train = (l1: number) => {
      const rng = xoshiro128ss(12)
      const s = createTrainer(
        { nv: 12, nh: 6, visibleUnits: '01', hiddenUnits: '01' },
        { ...small, epochs: 30, l1 },
        rng
      )
      for (let e = 0; e < 30; e++) trainEpoch(s, randomData(45, 12, 1), rng)
      return s.rbm.W.reduce((sum, w) => sum + Math.abs(w), 0) / s.rbm.W.length
    }
    const free = train(0)
    const penalised = train(0.05)
    expect(penalised).toBeLessThan(0.7 * free)
  })
})
