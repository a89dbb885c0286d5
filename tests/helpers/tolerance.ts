import { expect } from 'vitest'

/**
 * Asserts |actual − expected| ≤ tolerance (NaN on either side fails). The failure message names
 * the quantity and gives both values, the difference and the tolerance, so a near miss is read
 * off the report without a rerun.
 */
export function expectClose(actual: number, expected: number, tolerance: number, what = 'value'): void {
  const difference = Math.abs(actual - expected)
  expect(
    difference,
    `${what}: got ${actual}, expected ${expected}, difference ${difference}, tolerance ${tolerance}`
  ).toBeLessThanOrEqual(tolerance)
}
