import { describe, expect, it } from 'vitest'
import { splitSamples } from '@shared/project/trainingData'

describe('training data from a coarse dataset of block averages', () => {
  it('is refused with a sentence that says what to train on instead', () => {
    const samples = { dtype: '<f4' as const, shape: [4, 2, 2], data: new Float32Array(16) }
    expect(() => splitSamples(samples, '01')).toThrow(
      /block averages, not ±1 spins: train on a majority or decimation level/
    )
  })
})
