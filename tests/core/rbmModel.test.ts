import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { gemmNTTs, gemmTNTs, gemmTs, tsDenseKernels } from '@core/rbm/kernelsTs'
import { assertValidRbm, cloneRbm, createRbm, fromPaperConvention, paperConvention, rbmProblems } from '@core/rbm/rbm'
import { batchTo01, batchToPm1, rbmTo01, rbmToPm1, rbmToUnits } from '@core/rbm/unitConversion'
import type { Rbm } from '@core/rbm/types'
import { UNIT_PAIRS, bruteForce, configuration, expectClose, randomRbm } from './reference/rbmReference'

describe('reference dense kernels', () => {
  // A = [[1,2,3],[4,5,6]] (2×3), B = [[7,8],[9,10],[11,12]] (3×2): AB = [[58,64],[139,154]].
  const A = Float32Array.of(1, 2, 3, 4, 5, 6)
  const B = Float32Array.of(7, 8, 9, 10, 11, 12)
  it('gemm: C = A·B, and accumulates when asked', () => {
    const C = new Float32Array(4)
    gemmTs(2, 2, 3, A, B, C)
    expect([...C]).toEqual([58, 64, 139, 154])
    gemmTs(2, 2, 3, A, B, C, true)
    expect([...C]).toEqual([116, 128, 278, 308])
  })
  it('gemmTN: C = Aᵀ·B with A stored k×m', () => {
    // Aᵀ of the 3×2 matrix B is [[7,9,11],[8,10,12]]; (Bᵀ)·B = [[251, 278], [278, 308]].
    const C = new Float32Array(4)
    gemmTNTs(2, 2, 3, B, B, C)
    expect([...C]).toEqual([251, 278, 278, 308])
  })
  it('gemmNT: C = A·Bᵀ with B stored n×k', () => {
    // A·Aᵀ = [[14, 32], [32, 77]].
    const C = new Float32Array(4)
    gemmNTTs(2, 2, 3, A, A, C)
    expect([...C]).toEqual([14, 32, 32, 77])
    tsDenseKernels.gemmNT(2, 2, 3, A, A, C, true)
    expect([...C]).toEqual([28, 64, 64, 154])
  })
  it('rejects buffers that are too short, naming them', () => {
    expect(() => gemmTs(2, 2, 3, A, B, new Float32Array(3))).toThrow(/C has 3 entries/)
    expect(() => gemmTs(2, 2, 4, A, B, new Float32Array(4))).toThrow(/A has 6 entries/)
  })
})

describe('createRbm', () => {
  it('zero init needs no rng and gives zeros of the right shapes', () => {
    const rbm = createRbm({ nv: 5, nh: 3, visibleUnits: 'pm1', hiddenUnits: '01', init: { kind: 'zero' } })
    expect([rbm.W.length, rbm.a.length, rbm.b.length]).toEqual([15, 5, 3])
    expect(rbm.W.every((x) => x === 0)).toBe(true)
    expect(rbmProblems(rbm)).toEqual([])
  })
  it('normal init has the requested scale (n·σ bounds) and is reproducible', () => {
    const rbm = createRbm({
      nv: 100,
      nh: 100,
      visibleUnits: '01',
      hiddenUnits: '01',
      init: { kind: 'normal', scale: 0.1 },
      rng: xoshiro128ss(5)
    })
    const n = rbm.W.length
    const mean = rbm.W.reduce((s, x) => s + x, 0) / n
    const variance = rbm.W.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)
    // mean ~ N(0, 0.01/n); sample variance of a normal has sd σ²·√(2/(n−1)).
    expectClose(mean, 0, 5 * Math.sqrt(0.01 / n), 'mean weight')
    expectClose(variance, 0.01, 5 * 0.01 * Math.sqrt(2 / (n - 1)), 'weight variance')
    const again = createRbm({
      nv: 100,
      nh: 100,
      visibleUnits: '01',
      hiddenUnits: '01',
      init: { kind: 'normal', scale: 0.1 },
      rng: xoshiro128ss(5)
    })
    expect(again.W).toEqual(rbm.W)
    expect(rbm.a.every((x) => x === 0) && rbm.b.every((x) => x === 0)).toBe(true)
  })
  it('xavier init lies within ±√(6/(nv+nh)) and fills that range', () => {
    const rbm = createRbm({
      nv: 40,
      nh: 20,
      visibleUnits: '01',
      hiddenUnits: '01',
      init: { kind: 'xavier' },
      rng: xoshiro128ss(1)
    })
    const r = Math.sqrt(6 / 60)
    expect(Math.max(...rbm.W)).toBeLessThanOrEqual(r)
    expect(Math.min(...rbm.W)).toBeGreaterThanOrEqual(-r)
    expect(Math.max(...rbm.W)).toBeGreaterThan(0.95 * r)
  })
  it('refuses bad arguments with sentences', () => {
    expect(() => createRbm({ nv: 0, nh: 3, visibleUnits: '01', hiddenUnits: '01' })).toThrow(
      /visible units nv must be an integer/
    )
    expect(() => createRbm({ nv: 2, nh: 3, visibleUnits: '01', hiddenUnits: '01' })).toThrow(/needs an rng/)
    expect(() =>
      createRbm({ nv: 2, nh: 3, visibleUnits: 'x' as '01', hiddenUnits: '01', init: { kind: 'zero' } })
    ).toThrow(/visibleUnits must be/)
  })
  it('rbmProblems lists every problem; assertValidRbm throws them', () => {
    const bad: Rbm = {
      nv: 2,
      nh: 2,
      visibleUnits: '01',
      hiddenUnits: 'pm1',
      W: new Float32Array(3),
      a: Float32Array.of(0, NaN),
      b: new Float32Array(2)
    }
    const problems = rbmProblems(bad)
    expect(problems).toEqual([
      'The weight matrix W has 3 entries but needs 4 for nv=2, nh=2.',
      'The visible biases a has a non-finite entry NaN at index 1.'
    ])
    expect(() => assertValidRbm(bad)).toThrow(/weight matrix W has 3 entries/)
  })
  it('cloneRbm copies the arrays', () => {
    const rbm = randomRbm(3, 2, '01', '01', 1)
    const copy = cloneRbm(rbm)
    copy.W[0] += 1
    expect(copy.W[0]).not.toBe(rbm.W[0])
    expect(copy.a).toEqual(rbm.a)
  })
})

describe('paper convention (Eq. 10: w = −W, b_paper = −b, c = −a)', () => {
  it('the paper energy of the converted parameters equals the stored energy at every (v, h)', () => {
    const rbm = randomRbm(3, 2, 'pm1', 'pm1', 7)
    const p = paperConvention(rbm)
    const brute = bruteForce(rbm)
    for (let x = 0; x < 8; x++) {
      for (let y = 0; y < 4; y++) {
        const v = configuration(x, 3, 'pm1')
        const h = configuration(y, 2, 'pm1')
        // Eq. 10 written out: E = Σ_j b_j h_j + Σ_ij v_i w_ij h_j + Σ_i c_i v_i.
        let e = 0
        for (let j = 0; j < 2; j++) e += p.b[j] * h[j]
        for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) e += v[i] * p.w[i * 2 + j] * h[j]
        for (let i = 0; i < 3; i++) e += p.c[i] * v[i]
        expectClose(-e - brute.logZ, brute.logJoint[x * 4 + y], 1e-12, `ln p(v=${x}, h=${y})`)
      }
    }
  })
  it('round trip is exact and leaves p(v) unchanged', () => {
    const rbm = randomRbm(4, 3, '01', 'pm1', 8)
    const back = fromPaperConvention(paperConvention(rbm))
    expect(back.W).toEqual(rbm.W)
    expect(back.a).toEqual(rbm.a)
    expect(back.b).toEqual(rbm.b)
    expect(bruteForce(back).pV).toEqual(bruteForce(rbm).pV)
  })
})

describe('unit conversion', () => {
  it('batches: s = 2u − 1 and back, means included; out-of-range values are refused', () => {
    const b01 = { rows: 1, cols: 4, data: Float32Array.of(0, 1, 0.25, 1) }
    const pm = batchToPm1(b01)
    expect([...pm.data]).toEqual([-1, 1, -0.5, 1])
    expect([...batchTo01(pm).data]).toEqual([...b01.data])
    expect(() => batchToPm1(pm)).toThrow(/entry 0 .* is -1, outside \[0, 1\]/)
  })
  for (const [vu, hu] of UNIT_PAIRS) {
    for (const [tv, th] of UNIT_PAIRS) {
      it(`RBM ${vu}/${hu} → ${tv}/${th}: p(v, h) unchanged, ln Z shifted by −C`, () => {
        const rbm = randomRbm(4, 3, vu, hu, 11)
        const { rbm: converted, energyOffset } = rbmToUnits(rbm, tv, th)
        const before = bruteForce(rbm)
        const after = bruteForce(converted)
        // Configuration index k means the same on/off pattern in either unit type.
        for (let k = 0; k < before.logJoint.length; k++)
          expectClose(after.logJoint[k], before.logJoint[k], 2e-5, `ln p at ${k}`)
        expectClose(after.logZ, before.logZ - energyOffset, 2e-5, 'ln Z_new')
      })
    }
  }
  it('01 → pm1 → 01 recovers the parameters to fp32 rounding; shortcuts agree', () => {
    const rbm = randomRbm(5, 4, '01', '01', 12)
    const pm = rbmToPm1(rbm)
    expect(pm.rbm.W).toEqual(rbmToUnits(rbm, 'pm1', 'pm1').rbm.W)
    const back = rbmTo01(pm.rbm)
    for (let k = 0; k < rbm.W.length; k++) expectClose(back.rbm.W[k], rbm.W[k], 1e-6, `W[${k}]`)
    for (let i = 0; i < 5; i++) expectClose(back.rbm.a[i], rbm.a[i], 1e-5, `a[${i}]`)
    expectClose(back.energyOffset, -pm.energyOffset, 1e-5, 'offsets cancel')
  })
})
