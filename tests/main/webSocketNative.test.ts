import { describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'

/**
 * Every message a page sends is masked (RFC 6455 §5.3), so the web host unmasks a project save
 * byte by byte: 40 MB took ~140 ms in ws's JavaScript fallback. ws uses bufferutil's native
 * unmask when it can load it from where ws itself lives; this checks that it can.
 */
describe('the web host’s WebSocket', () => {
  it('unmasks messages with native code (bufferutil beside ws)', () => {
    const fromWs = createRequire(createRequire(import.meta.url).resolve('ws'))
    const native = fromWs('bufferutil') as { mask: unknown; unmask: (buffer: Buffer, mask: Buffer) => void }
    expect(String(native.unmask)).toContain('[native code]')
    expect(String(native.mask)).toContain('[native code]')
    const data = Buffer.from([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
      32, 33
    ])
    const mask = Buffer.from([0xff, 0x0f, 0xf0, 0x00])
    native.unmask(data, mask)
    expect(data[0]).toBe(1 ^ 0xff)
    expect(data[32]).toBe(33 ^ 0xff)
    expect(data[3]).toBe(4)
  })
})
