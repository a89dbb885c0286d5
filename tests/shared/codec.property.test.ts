import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { decodeNpy, encodeNpy, NPY_DTYPES } from '@shared/project/npy'
import type { NpyArray, NpyData, NpyDtype } from '@shared/project/types'
import { sampleDoc } from './projectTestUtils'

/**
 * Property tests: any array the codec accepts comes back with the same dtype, shape and bits
 * (NaN payloads, −0 and infinities included), alone as .npy and inside a whole project file.
 */

const bytesOf = (data: NpyData): number[] => [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]

const shapeArb = fc.array(fc.nat(4), { minLength: 0, maxLength: 3 })

/** An array of `dtype` with a random shape and any values of that type (every bit pattern). */
function npyArb(dtype: NpyDtype): fc.Arbitrary<NpyArray> {
  return shapeArb.chain((shape) => {
    const n = shape.reduce((p, d) => p * d, 1)
    const data = (): fc.Arbitrary<NpyData> => {
      switch (dtype) {
        case '|i1':
          return fc.int8Array({ minLength: n, maxLength: n })
        case '|u1':
          return fc.uint8Array({ minLength: n, maxLength: n })
        case '<i4':
          return fc.int32Array({ minLength: n, maxLength: n })
        case '<u4':
          return fc.uint32Array({ minLength: n, maxLength: n })
        case '<f4':
          // Raw bit patterns: every float32, NaNs with payloads among them.
          return fc.uint32Array({ minLength: n, maxLength: n }).map((u) => new Float32Array(u.buffer))
        case '<f8':
          return fc.float64Array({ minLength: n, maxLength: n })
      }
    }
    return data().map((values) => ({ dtype, shape, data: values }))
  })
}

const anyNpy = fc.constantFrom(...NPY_DTYPES).chain(npyArb)

function expectSameArray(actual: NpyArray | undefined, expected: NpyArray): void {
  expect(actual?.dtype).toBe(expected.dtype)
  expect(actual?.shape).toEqual(expected.shape)
  expect(actual?.data.constructor).toBe(expected.data.constructor)
  expect(bytesOf(actual!.data)).toEqual(bytesOf(expected.data))
}

describe('.npy codec (property)', () => {
  it('decodeNpy(encodeNpy(a)) has the dtype, shape and bits of a', () => {
    fc.assert(
      fc.property(anyNpy, (array) => {
        const decoded = decodeNpy(encodeNpy(array))
        expect(decoded.ok, decoded.ok ? '' : decoded.detail).toBe(true)
        if (decoded.ok) expectSameArray(decoded.array, array)
      }),
      { numRuns: 300 }
    )
  })

  it('the data starts at a multiple of 64 bytes (NumPy ≥ 1.16 alignment)', () => {
    fc.assert(
      fc.property(anyNpy, (array) => {
        const bytes = encodeNpy(array)
        const headerLength = bytes[8]! | (bytes[9]! << 8)
        expect((10 + headerLength) % 64).toBe(0)
        expect(bytes.length - 10 - headerLength).toBe(array.data.byteLength)
      })
    )
  })
})

const arrayIdArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((id) => !id.startsWith('r1.'))

describe('project codec (property)', () => {
  it('decodeProject(encodeProject(doc)) gives back every array bit for bit, and the text fields', () => {
    fc.assert(
      fc.property(
        fc.dictionary(arrayIdArb, anyNpy, { maxKeys: 4 }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        (extra, name, notes) => {
          const doc = sampleDoc()
          doc.project.name = name
          doc.project.notes = notes
          Object.assign(doc.arrays, extra)
          const decoded = decodeProject(encodeProject(doc, '9.9.9'))
          expect(decoded.ok, decoded.ok ? '' : JSON.stringify(decoded.error)).toBe(true)
          if (!decoded.ok) return
          expect(decoded.doc.project.name).toBe(name)
          expect(decoded.doc.project.notes).toBe(notes)
          expect(decoded.doc.project.appVersion).toBe('9.9.9')
          expect(Object.keys(decoded.doc.arrays).sort()).toEqual(Object.keys(doc.arrays).sort())
          for (const [id, array] of Object.entries(doc.arrays)) expectSameArray(decoded.doc.arrays[id], array)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('encoding is deterministic: the same document gives the same bytes', () => {
    fc.assert(
      fc.property(fc.dictionary(arrayIdArb, anyNpy, { maxKeys: 3 }), (extra) => {
        const doc = sampleDoc()
        Object.assign(doc.arrays, extra)
        expect(encodeProject(doc, '1.0.0')).toEqual(encodeProject(doc, '1.0.0'))
      }),
      { numRuns: 30 }
    )
  })
})
