import { describe, expect, it } from 'vitest'
import { formatDuration } from '../../src-renderer/src/logic/duration'

describe('formatDuration', () => {
  it('is a dash when the duration is unknown or meaningless', () => {
    for (const v of [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -0.001]) {
      expect(formatDuration(v), String(v)).toBe('—')
    }
  })

  it('rounds seconds up below a minute (an ETA never promises too little)', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(0.01)).toBe('1 s')
    expect(formatDuration(1)).toBe('1 s')
    expect(formatDuration(41.2)).toBe('42 s')
    expect(formatDuration(59)).toBe('59 s')
  })

  it('shows minutes and zero-padded seconds below an hour', () => {
    expect(formatDuration(60)).toBe('1 min 00 s')
    expect(formatDuration(125)).toBe('2 min 05 s')
    expect(formatDuration(185.4)).toBe('3 min 05 s')
    expect(formatDuration(185.6)).toBe('3 min 06 s')
    expect(formatDuration(3599)).toBe('59 min 59 s')
  })

  it('shows hours and zero-padded minutes from an hour on', () => {
    expect(formatDuration(3599.6)).toBe('1 h 00 min')
    expect(formatDuration(3600)).toBe('1 h 00 min')
    expect(formatDuration(7620)).toBe('2 h 07 min')
    expect(formatDuration(7679)).toBe('2 h 07 min')
    expect(formatDuration(36000 + 59 * 60)).toBe('10 h 59 min')
    expect(formatDuration(100 * 3600)).toBe('100 h 00 min')
  })
})
