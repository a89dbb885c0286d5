import { describe, expect, it } from 'vitest'
import { asClientMessage, asServerMessage, callIdOf, decodeMessage, encodeMessage } from '@shared/wire'

const roundTrip = (value: unknown): unknown => decodeMessage(encodeMessage(value))

/** Builds a valid message, then lets a test rewrite its JSON part. */
function withJson(value: unknown, edit: (json: string) => string): Uint8Array {
  const bytes = encodeMessage(value)
  const length = new DataView(bytes.buffer).getUint32(4, true)
  const json = new TextEncoder().encode(edit(new TextDecoder().decode(bytes.subarray(8, 8 + length))))
  const start = (8 + length + 7) & ~7
  const out = new Uint8Array(((8 + json.length + 7) & ~7) + bytes.length - start)
  out.set(bytes.subarray(0, 4))
  new DataView(out.buffer).setUint32(4, json.length, true)
  out.set(json, 8)
  out.set(bytes.subarray(start), (8 + json.length + 7) & ~7)
  return out
}

describe('wire codec', () => {
  it('gives views of a message it owns when asked (alias), copies otherwise and of a shared buffer', () => {
    const value = { w: Float64Array.from([1.5, -2]), s: Int8Array.from([1, -1, 1]) }
    const bytes = encodeMessage(value)
    const viewed = decodeMessage(bytes, { alias: true }) as typeof value
    expect(viewed).toEqual(value)
    expect(viewed.w.buffer).toBe(bytes.buffer)
    expect(viewed.s.buffer).toBe(bytes.buffer)
    const copied = decodeMessage(bytes) as typeof value
    expect(copied.w.buffer).not.toBe(bytes.buffer)
    // A message that is a slice of a larger buffer (a pool) is never aliased.
    const pool = new Uint8Array(bytes.length + 64)
    pool.set(bytes, 8)
    const sliced = decodeMessage(pool.subarray(8, 8 + bytes.length), { alias: true }) as typeof value
    expect(sliced).toEqual(value)
    expect(sliced.w.buffer).not.toBe(pool.buffer)
  })

  it('round-trips nested structures with every typed array kind as the same class', () => {
    const value = {
      t: 'event',
      name: 'jobs.frame',
      payload: {
        jobId: 'j1',
        frame: {
          spins: Int8Array.from([1, -1, 1, -1, -1]),
          bytes: Uint8Array.from([0, 255, 7]),
          clamped: Uint8ClampedArray.from([0, 128, 255]),
          shorts: Int16Array.from([-32768, 5]),
          ushorts: Uint16Array.from([65535, 1]),
          ints: Int32Array.from([-2147483648, 2147483647, 0]),
          state: Uint32Array.from([0xffffffff, 1, 2, 3]),
          floats: Float32Array.from([1.5, -0.25]),
          series: { energy: Float64Array.from([Math.PI, -1e300, 2 ** -1074]), m: new Float64Array(0) },
          raw: Uint8Array.from([9, 8, 7]).buffer,
          list: [Float64Array.from([1]), [Int8Array.from([3])], 'text', true, null, 0, -12.5]
        }
      }
    }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    const frame = back.payload.frame
    expect(frame.spins).toBeInstanceOf(Int8Array)
    expect(frame.bytes).toBeInstanceOf(Uint8Array)
    expect(frame.clamped).toBeInstanceOf(Uint8ClampedArray)
    expect(frame.state).toBeInstanceOf(Uint32Array)
    expect(frame.floats).toBeInstanceOf(Float32Array)
    expect(frame.series.energy).toBeInstanceOf(Float64Array)
    expect(frame.series.m).toBeInstanceOf(Float64Array)
    expect(frame.series.m.length).toBe(0)
    expect(frame.raw).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(frame.raw)]).toEqual([9, 8, 7])
    expect(frame.list[1]).toEqual([Int8Array.from([3])])
  })

  it('copies views with offsets and never aliases the message bytes', () => {
    const backing = new Float64Array([0, 1, 2, 3, 4, 5])
    const view = backing.subarray(2, 5)
    const bytes = encodeMessage({ view })
    const back = decodeMessage(bytes) as { view: Float64Array }
    expect([...back.view]).toEqual([2, 3, 4])
    bytes.fill(0)
    expect([...back.view]).toEqual([2, 3, 4])
  })

  it('decodes from an unaligned view of a larger buffer', () => {
    const bytes = encodeMessage({ a: Float64Array.from([1.25, 2.5]), b: Int32Array.from([7]) })
    const big = new Uint8Array(bytes.length + 3)
    big.set(bytes, 3)
    expect(decodeMessage(big.subarray(3))).toEqual({ a: Float64Array.from([1.25, 2.5]), b: Int32Array.from([7]) })
  })

  it('places every binary block at an 8-byte boundary', () => {
    const bytes = encodeMessage({ a: Int8Array.from([1, 2, 3]), b: Float64Array.from([1]), c: Uint8Array.from([1]) })
    const length = new DataView(bytes.buffer).getUint32(4, true)
    const tree = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)))
    for (const key of ['a', 'b', 'c']) expect(tree[key].o % 8).toBe(0)
  })

  it('keeps NaN, ±Infinity, −0 and undefined (in objects and arrays)', () => {
    const back = roundTrip({
      n: NaN,
      p: Infinity,
      m: -Infinity,
      z: -0,
      u: undefined,
      list: [undefined, NaN, 1]
    }) as Record<string, unknown>
    expect(back.n).toBeNaN()
    expect(back.p).toBe(Infinity)
    expect(back.m).toBe(-Infinity)
    expect(Object.is(back.z, -0)).toBe(true)
    expect('u' in back).toBe(true)
    expect(back.u).toBeUndefined()
    expect(back.list).toEqual([undefined, NaN, 1])
    expect(roundTrip(undefined)).toBeUndefined()
    expect(roundTrip(NaN)).toBeNaN()
  })

  it('handles empty values and top-level scalars', () => {
    for (const v of [{}, [], '', 0, null, true, 'ünïcødé ✓', new Int8Array(0), new ArrayBuffer(0)]) {
      expect(roundTrip(v)).toEqual(v)
    }
    expect(roundTrip(new Date('2024-05-01T00:00:00Z'))).toEqual(new Date('2024-05-01T00:00:00Z'))
  })

  it('does not confuse user objects with its own tags, nor let "__proto__" set a prototype', () => {
    const tricky = { $: 'Float64Array', o: 0, n: 1000, inner: { $: 'u', x: [{ $: 'f', v: 'NaN' }] } }
    expect(roundTrip(tricky)).toEqual(tricky)
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')
    const back = roundTrip(proto) as Record<string, unknown>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toEqual(['__proto__', 'a'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses values it cannot carry, with a message naming where', () => {
    expect(() => encodeMessage({ a: [1, () => 1] })).toThrow(/function \(at \.a\[1\]\)/)
    expect(() => encodeMessage({ m: new Map() })).toThrow(/Map \(at \.m\)/)
    expect(() => encodeMessage({ b: 1n })).toThrow(/bigint/)
    expect(() => encodeMessage(new BigInt64Array(1))).toThrow(/BigInt64Array/)
    expect(() => encodeMessage(new DataView(new ArrayBuffer(2)))).toThrow(/DataView/)
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(() => encodeMessage(loop)).toThrow(/contains itself/)
    const shared = Float64Array.from([1])
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: shared, b: shared })
  })

  it('rejects malformed input with clear errors', () => {
    const good = encodeMessage({ a: Float64Array.from([1, 2]) })
    expect(() => decodeMessage(new Uint8Array(0))).toThrow(/Malformed message: not a Blockspin message/)
    expect(() => decodeMessage(new TextEncoder().encode('{"t":"call"}'))).toThrow(/not a Blockspin message/)
    expect(() => decodeMessage('x' as unknown as Uint8Array)).toThrow(/expected bytes/)
    const cut = good.slice()
    new DataView(cut.buffer).setUint32(4, 1 << 30, true)
    expect(() => decodeMessage(cut)).toThrow(/cut short/)
    expect(() => decodeMessage(good.subarray(0, good.length - 8))).toThrow(/Float64Array lies outside/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":'))).toThrow(/not valid JSON/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":{"$":"Nope"}}'))).toThrow(/unknown tag "Nope"/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":{"$":"f","v":"constructor"}}'))).toThrow(/special number/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":{"$":"Int8Array","o":-8,"n":1}}'))).toThrow(
      /invalid offset/
    )
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":{"$":"Int8Array","o":3,"n":1}}'))).toThrow(/outside/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '{"a":{"$":"o","e":[[1,2]]}}'))).toThrow(/escaped object entry/)
    expect(() => decodeMessage(withJson({ a: 1 }, () => '['.repeat(2000) + ']'.repeat(2000)))).toThrow(/nested/)
  })

  it('checks message envelopes', () => {
    expect(asClientMessage({ t: 'call', id: 3, channel: 'app.info', args: [] }).id).toBe(3)
    expect(() => asClientMessage({ t: 'call', id: -1, channel: 'x', args: [] })).toThrow(/valid id/)
    expect(() => asClientMessage({ t: 'call', id: 1, channel: 'x', args: {} })).toThrow(/not a list/)
    expect(() => asClientMessage([1])).toThrow(/expected a call/)
    expect(asServerMessage({ t: 'result', id: 1, ok: false, error: 'no' }).t).toBe('result')
    expect(() => asServerMessage({ t: 'result', id: 1, ok: false })).toThrow(/error text/)
    expect(() => asServerMessage({ t: 'other' })).toThrow(/result or an event/)
    expect(callIdOf({ id: 4, channel: 5 })).toBe(4)
    expect(callIdOf({ id: 'x' })).toBeNull()
  })

  it('carries a 256×256 frame compactly', () => {
    const spins = new Int8Array(256 * 256).fill(1)
    const bytes = encodeMessage({ t: 'event', name: 'jobs.frame', payload: { jobId: 'j', frame: { spins } } })
    expect(bytes.length).toBeLessThan(spins.length + 200)
  })
})
