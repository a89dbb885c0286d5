import { describe, expect, it } from 'vitest'
import { progressDetail } from '../../src-main/cli/progressBar'

describe('the CLI progress line', () => {
  it('shows whole counts whole and fractional ones to three digits', () => {
    expect(progressDetail(67404, 83000, 'sweeps')).toBe('67404/83000 sweeps')
    expect(progressDetail(1.5777777777777777, 15, 'epochs')).toBe('1.58/15 epochs')
    expect(progressDetail(3, null, '')).toBe('3/?')
  })
  it('shows the note for percentages (a training says its layer and epoch)', () => {
    expect(progressDetail(46.9, 100, '%', 'layer 1/3, epoch 93/200')).toBe('layer 1/3, epoch 93/200')
    expect(progressDetail(46.9, 100, '%')).toBe('46.9%')
    expect(progressDetail(2, 4, 'stages', 'training')).toBe('2/4 stages, training')
  })
})
