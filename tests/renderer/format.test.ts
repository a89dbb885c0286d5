import { describe, expect, it } from 'vitest'
import {
  formatCount,
  formatFixed,
  formatNumber,
  formatPercent,
  formatRate,
  formatWithError
} from '../../src-renderer/src/logic/format'

const NNBSP = '\u202f'

describe('formatWithError', () => {
  it('rounds the error to two significant digits and the value to match', () => {
    expect(formatWithError(0.64023, 0.00107)).toBe('0.6402 ± 0.0011')
    expect(formatWithError(-1.4142, 0.0251)).toBe('-1.414 ± 0.025')
    expect(formatWithError(0.5, 0.00996)).toBe('0.500 ± 0.010')
    expect(formatWithError(2.71828, 0.3)).toBe('2.72 ± 0.30')
  })

  it('rounds to the error digit when the error is 10 or more', () => {
    expect(formatWithError(12345.6, 123)).toBe(`12${NNBSP}350 ± 120`)
  })

  it('uses a shared power of ten for tiny values', () => {
    expect(formatWithError(6.4023e-5, 1.07e-7)).toBe('(6.402 ± 0.011)×10⁻⁵')
    expect(formatWithError(6.4023e-5, 1.07e-8)).toBe('(6.4023 ± 0.0011)×10⁻⁵')
  })

  it('falls back to the bare value without a usable error, and a dash for non-numbers', () => {
    expect(formatWithError(0.123456, 0)).toBe('0.1235')
    expect(formatWithError(0.123456, NaN)).toBe('0.1235')
    expect(formatWithError(NaN, 0.1)).toBe('—')
  })
})

describe('formatNumber and friends', () => {
  it('keeps four significant digits in fixed point in the usual range', () => {
    expect(formatNumber(0.440686793)).toBe('0.4407')
    expect(formatNumber(-1.15085489)).toBe('-1.151')
    expect(formatNumber(123.456)).toBe('123.5')
    expect(formatNumber(9.99996)).toBe('10.00')
    expect(formatNumber(0)).toBe('0')
  })

  it('switches to powers of ten outside [1e-3, 1e6)', () => {
    expect(formatNumber(1.23456e-5)).toBe('1.235×10⁻⁵')
    expect(formatNumber(2.5e7, 3)).toBe('2.50×10⁷')
  })

  it('groups digits with a narrow space and never shows -0', () => {
    expect(formatCount(1234567)).toBe(`1${NNBSP}234${NNBSP}567`)
    expect(formatCount(-1234)).toBe(`-1${NNBSP}234`)
    expect(formatFixed(-0.00001, 4)).toBe('0.0000')
    expect(formatFixed(-0.5, 2)).toBe('-0.50')
  })

  it('formats rates and percentages', () => {
    expect(formatRate(12345.6)).toBe(`12${NNBSP}346`)
    expect(formatRate(59.73)).toBe('59.7')
    expect(formatPercent(0.4321)).toBe('43.2 %')
    expect(formatPercent(Infinity)).toBe('—')
  })
})
