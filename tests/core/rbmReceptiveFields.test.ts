import { describe, expect, it } from 'vitest'
import { receptiveFieldImages, receptiveFieldMatrices, receptiveFields } from '@core/rbm/receptiveFields'
import { expectClose, randomRbm } from './reference/rbmReference'

/** Plain double-precision product of row-major matrices, independent of the kernels. */
function multiply(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) C[i * n + j] += A[i * k + p] * B[p * n + j]
  return C
}

describe('receptive fields r¹ = W¹, rˡ = rˡ⁻¹ Wˡ', () => {
  const layer1 = randomRbm(16, 6, '01', '01', 81)
  const layer2 = randomRbm(6, 3, '01', '01', 82)
  const layer3 = randomRbm(3, 2, '01', '01', 83)

  it('a 2-layer stack gives W¹ and W¹W²; a third layer W¹W²W³', () => {
    const [r1, r2, r3] = receptiveFieldMatrices([layer1, layer2, layer3])
    expect(r1).toEqual(layer1.W)
    const expected2 = multiply(layer1.W, layer2.W, 16, 6, 3)
    for (let k = 0; k < 48; k++) expectClose(r2[k], expected2[k], 1e-5 * (1 + Math.abs(expected2[k])), `r²[${k}]`)
    const expected3 = multiply(expected2, layer3.W, 16, 3, 2)
    for (let k = 0; k < 32; k++) expectClose(r3[k], expected3[k], 1e-5 * (1 + Math.abs(expected3[k])), `r³[${k}]`)
  })
  it("the paper's sign (w = −W) flips odd depths only", () => {
    const [r1, r2] = receptiveFieldMatrices([layer1, layer2], { convention: 'paper' })
    const [m1, m2] = receptiveFieldMatrices([layer1, layer2])
    expect(r1).toEqual(m1.map((x) => -x))
    expect(r2).toEqual(m2)
  })
  it('column j reshaped to the 4×4 lattice, pixel (x, y) = unit y·Lx + x, with its range', () => {
    const fields = receptiveFields([layer1, layer2], 2, 4, 4)
    const r2 = multiply(layer1.W, layer2.W, 16, 6, 3)
    expect(fields.images.length).toBe(3)
    for (let j = 0; j < 3; j++) {
      const column = Array.from({ length: 16 }, (_, p) => r2[p * 3 + j])
      fields.images[j].forEach((value, p) => expectClose(value, column[p], 1e-5, `image ${j} pixel ${p}`))
      expectClose(fields.min[j], Math.min(...column), 1e-5, `min ${j}`)
      expectClose(fields.max[j], Math.max(...column), 1e-5, `max ${j}`)
    }
    expect(fields.globalMax).toBe(Math.max(...fields.max))
    expect(fields.globalMin).toBe(Math.min(...fields.min))
  })
  it('a non-square lattice: 2 × 3 images of a 6 × 2 matrix', () => {
    const r = Float32Array.from({ length: 12 }, (_, k) => k)
    const { images } = receptiveFieldImages(r, 2, 2, 3)
    expect([...images[0]]).toEqual([0, 2, 4, 6, 8, 10])
    expect([...images[1]]).toEqual([1, 3, 5, 7, 9, 11])
  })
  it('refuses stacks that do not chain and lattices that do not fit', () => {
    expect(() => receptiveFieldMatrices([layer1, layer3])).toThrow(
      /layer 2 has 3 visible units but layer 1 has 6 hidden units/
    )
    expect(() => receptiveFields([layer1], 1, 3, 5)).toThrow(/16 visible units do not fill a 3×5 lattice/)
    expect(() => receptiveFields([layer1], 2, 4, 4)).toThrow(/depth must be an integer in \[1, 1\]/)
  })
})
