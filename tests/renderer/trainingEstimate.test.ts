import { describe, expect, it } from 'vitest'
import { calibrateRate, estimateSeconds, trainingWork } from '../../src-renderer/src/logic/trainingEstimate'
import { paperConfig } from '../../src-renderer/src/logic/trainingForm'

describe('training duration estimate', () => {
  it('counts nv·nh·(2k + 3) multiply-adds per sample, layer and epoch', () => {
    const config = paperConfig(1, false)
    // 1600 → 400 → 100 → 25, CD-1, 200 epochs: (1600·400 + 400·100 + 100·25)·5 per sample and epoch.
    const perSampleEpoch = (1600 * 400 + 400 * 100 + 100 * 25) * 5
    expect(trainingWork(config, 1600, 18_000)).toBe(perSampleEpoch * 18_000 * config.options.epochs)
    const k5 = { ...config, options: { ...config.options, k: 5 } }
    expect(trainingWork(k5, 1600, 1) / trainingWork(config, 1600, 1)).toBeCloseTo(13 / 5, 12)
  })

  it('divides by a rate measured with the clock given', () => {
    let t = 0
    // Each reading advances the fake clock by 1 ms: the loop stops after 30 readings.
    const rate = calibrateRate(() => (t += 1))
    expect(rate).toBeGreaterThan(0)
    expect(estimateSeconds(2e9, 1e9)).toBe(2)
    expect(estimateSeconds(1, 0)).toBeNaN()
  })
})
