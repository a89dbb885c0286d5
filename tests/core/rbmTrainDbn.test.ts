import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import {
  dbnReceptiveFields,
  reconstructionErrorThrough,
  reconstructThrough,
  sampleDbn,
  trainDbn,
  transformUp,
  type Dbn,
  type DbnLayerSpec
} from '@core/rbm/dbn'
import { createRbm } from '@core/rbm/rbm'
import { HINTON_SALAKHUTDINOV } from '@core/rbm/train'
import type { Batch } from '@core/rbm/types'

/** 4×4 images: noisy horizontal or vertical stripes, {0,1}. */
function stripes(rows: number, seed: number): Batch {
  const rng = xoshiro128ss(seed)
  const data = new Float32Array(rows * 16)
  for (let r = 0; r < rows; r++) {
    const vertical = rng.nextFloat() < 0.5
    const phase = rng.nextFloat() < 0.5 ? 0 : 1
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const on = ((vertical ? x : y) + phase) % 2 === 0
        data[r * 16 + y * 4 + x] = rng.nextFloat() < 0.95 === on ? 1 : 0
      }
    }
  }
  return { rows, cols: 16, data }
}

const options = { ...HINTON_SALAKHUTDINOV, epochs: 30, batchSize: 20 }
const layers: DbnLayerSpec[] = [
  { nh: 12, options },
  { nh: 8, options },
  { nh: 4, options }
]

describe('deep belief networks', () => {
  const data = stripes(200, 1)
  const dbns: Record<string, Dbn> = {}
  for (const passUp of ['probabilities', 'samples'] as const) {
    it(`stacking (${passUp} passed up): shapes chain, the choice is recorded`, () => {
      const epochsSeen: number[] = [0, 0, 0]
      const dbn = trainDbn(data, layers, { passUp, onEpoch: (l) => epochsSeen[l]++ }, xoshiro128ss(2))
      dbns[passUp] = dbn
      expect(dbn.passUp).toBe(passUp)
      expect(epochsSeen).toEqual([30, 30, 30])
      expect(dbn.layers.map((r) => [r.nv, r.nh])).toEqual([
        [16, 12],
        [12, 8],
        [8, 4]
      ])
      for (let depth = 0; depth <= 3; depth++) {
        const up = transformUp(dbn, data, depth, 'probabilities')
        expect([up.rows, up.cols]).toEqual([200, [16, 12, 8, 4][depth]])
        expect(up.data.every((x) => x >= 0 && x <= 1)).toBe(true)
      }
      const sampled = transformUp(dbn, data, 2, 'samples', xoshiro128ss(3))
      expect(sampled.data.every((x) => x === 0 || x === 1)).toBe(true)
    })
  }

  it('reconstructions through 1, 2, 3 layers beat random weights of the same scale', () => {
    const dbn = dbns.probabilities
    const rng = xoshiro128ss(4)
    const random: Dbn = {
      passUp: 'probabilities',
      layers: dbn.layers.map((r) =>
        createRbm({
          nv: r.nv,
          nh: r.nh,
          visibleUnits: '01',
          hiddenUnits: '01',
          init: { kind: 'normal', scale: 0.1 },
          rng
        })
      )
    }
    for (let depth = 1; depth <= 3; depth++) {
      const trained = reconstructionErrorThrough(dbn, data, depth)
      const baseline = reconstructionErrorThrough(random, data, depth)
      expect(trained, `depth ${depth}`).toBeLessThan(0.6 * baseline)
      const r = reconstructThrough(dbn, data, depth)
      expect([r.rows, r.cols]).toEqual([200, 16])
    }
    expect(reconstructionErrorThrough(dbn, data, 1)).toBeLessThan(0.1)
  })

  it('top-down samples and receptive fields', () => {
    const dbn = dbns.probabilities
    const { visible, top } = sampleDbn(dbn, { rng: xoshiro128ss(5), samples: 50, gibbsSteps: 200 })
    expect([visible.rows, visible.cols, top.cols]).toEqual([50, 16, 8])
    expect(visible.data.every((x) => x === 0 || x === 1)).toBe(true)
    // Samples look like stripes: along one axis neighbours agree (random images: half of them).
    let striped = 0
    for (let r = 0; r < 50; r++) {
      let agreeX = 0
      let agreeY = 0
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < 3; x++) {
          agreeX += visible.data[r * 16 + y * 4 + x] === visible.data[r * 16 + y * 4 + x + 1] ? 1 : 0
          agreeY += visible.data[r * 16 + x * 4 + y] === visible.data[r * 16 + (x + 1) * 4 + y] ? 1 : 0
        }
      }
      striped += Math.max(agreeX, agreeY) / 12
    }
    expect(striped / 50).toBeGreaterThan(0.8)
    const probabilities = sampleDbn(dbn, {
      rng: xoshiro128ss(5),
      samples: 5,
      gibbsSteps: 10,
      down: 'probabilities',
      start: transformUp(dbn, data, 2)
    })
    expect(probabilities.visible.data.every((x) => x >= 0 && x <= 1)).toBe(true)
    for (let depth = 1; depth <= 3; depth++) {
      const fields = dbnReceptiveFields(dbn, depth, 4, 4)
      expect(fields.images).toHaveLength([12, 8, 4][depth - 1])
      expect(fields.images[0]).toHaveLength(16)
    }
  })
})
