import { describe, expect, it } from 'vitest'
import { inflateRawSync } from 'node:zlib'
import { decodeProject, encodeProject, encodeProjectAsync } from '@shared/project/codec'
import { pureEngine } from '@shared/project/engine'
import { DEFLATE_PIECE, nodeCodecEngine } from '../../src-main/services/nodeCodecEngine'
import { tenMegabyteDoc } from '../helpers/projectHost'

/** Node's zlib and crypto under the project codec: the same files as the pure engine reads. */
describe('nodeCodecEngine', () => {
  it('deflates large data in pieces in parallel into one stream any inflater reads', async () => {
    const data = new Uint8Array(2.5 * DEFLATE_PIECE)
    for (let i = 0, s = 1; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 28 < 2 ? 255 : 1
    const packed = await nodeCodecEngine.deflateRawAsync(data, 1)
    expect(Buffer.from(inflateRawSync(packed)).equals(Buffer.from(data))).toBe(true)
    const viaFflate = pureEngine.inflateRaw(packed, data.length)
    expect(viaFflate).not.toBe('overflow')
    expect(Buffer.from(viaFflate as Uint8Array).equals(Buffer.from(data))).toBe(true)
  })

  it('writes projects the pure engine opens, and opens the pure engine’s', async () => {
    const doc = tenMegabyteDoc(3000, 1600)
    for (const bytes of [await encodeProjectAsync(doc, '0.0.0', nodeCodecEngine), encodeProject(doc, '0.0.0')]) {
      for (const engine of [pureEngine, nodeCodecEngine]) {
        const read = decodeProject(bytes, {}, engine)
        expect(read.ok).toBe(true)
        if (!read.ok) continue
        for (const [id, array] of Object.entries(doc.arrays)) {
          const got = read.doc.arrays[id]!
          expect([got.dtype, got.shape]).toEqual([array.dtype, array.shape])
          expect(
            Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(
              Buffer.from(array.data.buffer)
            )
          ).toBe(true)
        }
      }
    }
  })

  it('stops at the limit on data that unpacks to more, holding no more than the limit', () => {
    const bomb = nodeCodecEngine.deflateRaw(new Uint8Array(64 * 1024 ** 2), 9)
    expect(bomb.length).toBeLessThan(128 * 1024)
    expect(nodeCodecEngine.inflateRaw(bomb, 1024 ** 2)).toBe('overflow')
    expect(() => nodeCodecEngine.inflateRaw(Uint8Array.of(0xff, 0xff, 0xff), 100)).toThrow()
  })
})
