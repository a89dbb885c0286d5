import { describe, expect, it } from 'vitest'
import { changedParams, mergeParams, parseNumberField, RULES } from '../../src-renderer/src/logic/liveParams'
import { packRgba, paintSpins, parseCssColor } from '../../src-renderer/src/logic/colors'
import { csvText, dataUrlToBlob, fileStem } from '../../src-renderer/src/logic/download'
import {
  appendFrame,
  buildJobSpec,
  isChainResult,
  loadState,
  newChain,
  paramSpans,
  setupFromSpec,
  sweepsEndingAt
} from '../../src-renderer/src/logic/liveChain'
import { makeFrame, makeState } from './fakeApi'
import type { IsingChainResult, IsingParams } from '@core/ising/types'

const params: IsingParams = { K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 1 }

describe('number fields', () => {
  it('accepts decimal text, including a typographic minus', () => {
    expect(parseNumberField(' 0.4407 ', RULES.K)).toEqual({ ok: true, value: 0.4407 })
    expect(parseNumberField('−0.25', RULES.h)).toEqual({ ok: true, value: -0.25 })
    expect(parseNumberField('1e-3', RULES.K)).toEqual({ ok: true, value: 0.001 })
  })

  it('explains what is wrong, in a sentence', () => {
    expect(parseNumberField('abc', RULES.K)).toEqual({ ok: false, error: '“abc” is not a number.' })
    expect(parseNumberField('', RULES.L)).toEqual({ ok: false, error: 'Enter a value for L.' })
    expect(parseNumberField('NaN', RULES.L).ok).toBe(false)
    expect(parseNumberField('0x10', RULES.L).ok).toBe(false)
    expect(parseNumberField('2000', RULES.L)).toEqual({ ok: false, error: 'L must be between 4 and 1024.' })
    expect(parseNumberField('3', RULES.L).ok).toBe(false)
    expect(parseNumberField('64.5', RULES.L)).toEqual({ ok: false, error: 'L must be a whole number.' })
    expect(parseNumberField('0', RULES.sweepsPerFrame).ok).toBe(false)
    expect(parseNumberField('4294967296', RULES.seed).ok).toBe(false)
  })
})

describe('parameter edits', () => {
  it('merges valid edits and rejects invalid ones whole', () => {
    expect(mergeParams(params, { K: 0.5, h: 0.1 })).toEqual({ ok: true, value: { ...params, K: 0.5, h: 0.1 } })
    expect(mergeParams(params, { K: NaN }).ok).toBe(false)
    expect(mergeParams(params, { sweepsPerFrame: 1001 }).ok).toBe(false)
    expect(mergeParams(params, { algorithm: 'heatbath' as never }).ok).toBe(false)
  })

  it('refuses Wolff with K < 0 either way round', () => {
    expect(mergeParams({ ...params, K: -0.2 }, { algorithm: 'wolff' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Wolff')
    })
    expect(mergeParams({ ...params, algorithm: 'wolff' }, { K: -0.1 }).ok).toBe(false)
  })

  it('lists changed keys only', () => {
    expect(changedParams(params, { ...params, h: 0.2 })).toEqual({ h: 0.2 })
  })
})

describe('chain helpers', () => {
  it('builds a live job spec at 60 fps, with resume only when continuing', () => {
    const setup = setupFromSpec({ L: 8, K: 0.4, h: 0, algorithm: 'wolff', sweepsPerFrame: 5, seed: 7, start: 'cold' })
    expect(buildJobSpec(setup, null)).toEqual({
      L: 8,
      K: 0.4,
      h: 0,
      algorithm: 'wolff',
      sweepsPerFrame: 5,
      seed: 7,
      start: 'cold',
      maxFps: 60
    })
    const state = {
      L: 8,
      sweep: 2,
      spins: new Int8Array(64).fill(1),
      energy: new Float64Array(2),
      absM: new Float64Array(2),
      rngState: new Uint32Array(4)
    }
    const result: IsingChainResult = { ...state, params }
    // The result's own params are not part of the resume state (the setup's params win).
    expect(buildJobSpec(setup, result).resume).toEqual(state)
    expect(isChainResult({ ...state, params })).toBe(true)
    expect(isChainResult({ ...state, spins: new Int8Array(3) })).toBe(false)
  })

  it('numbers series points by sweep, the last at the current sweep', () => {
    expect(Array.from(sweepsEndingAt(10, 3))).toEqual([8, 9, 10])
  })
})

describe('colours and files', () => {
  it('parses the colour forms a canvas normalises to', () => {
    expect(parseCssColor('#1f3b63')).toEqual([31, 59, 99, 255])
    expect(parseCssColor('#fff')).toEqual([255, 255, 255, 255])
    expect(parseCssColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30, 128])
    expect(parseCssColor('rgb(10 20 30 / 50%)')).toEqual([10, 20, 30, 128])
    expect(parseCssColor('oklch(0.5 0.1 200)')).toBeNull()
  })

  it('packs RGBA in memory order and paints spins', () => {
    const rgba = [1, 2, 3, 255] as [number, number, number, number]
    const pixels = new Uint32Array(4)
    paintSpins(new Int8Array([1, -1, -1, 1]), pixels, packRgba(rgba), packRgba([9, 9, 9, 255]))
    const bytes = new Uint8Array(pixels.buffer)
    expect(Array.from(bytes.slice(0, 4))).toEqual([1, 2, 3, 255])
    expect(Array.from(bytes.slice(4, 8))).toEqual([9, 9, 9, 255])
    expect(Array.from(bytes.slice(12, 16))).toEqual([1, 2, 3, 255])
  })

  it('writes RFC 4180 CSV and decodes data URLs', async () => {
    expect(
      csvText({
        header: ['sweep', 'e, per spin'],
        rows: [
          [1, -0.5],
          [2, NaN]
        ]
      })
    ).toBe('sweep,"e, per spin"\r\n1,-0.5\r\n2,\r\n')
    const blob = dataUrlToBlob('data:image/png;base64,AAEC')
    expect(blob.type).toBe('image/png')
    expect(Array.from(new Uint8Array(await blob.arrayBuffer()))).toEqual([0, 1, 2])
    expect(fileStem('|m| per spin')).toBe('m-per-spin')
  })
})

describe('parameter history of a chain', () => {
  it('records from which sweep the frames ran at a new K or h, and gives the spans the charts draw', () => {
    const c = newChain(
      'r1',
      setupFromSpec({ L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 1, start: 'hot' })
    )
    appendFrame(c, makeFrame(8, 0, 0))
    appendFrame(c, makeFrame(8, 2, 2))
    appendFrame(c, makeFrame(8, 4, 2, { ...params, K: 0.4 }))
    appendFrame(c, makeFrame(8, 6, 2, { ...params, K: 0.6 }))
    appendFrame(c, makeFrame(8, 8, 2, { ...params, K: 0.6, h: 0.1 }))
    expect(c.paramChanges).toEqual([
      { from: 1, K: 0.4, h: 0 },
      { from: 5, K: 0.6, h: 0 },
      { from: 7, K: 0.6, h: 0.1 }
    ])
    expect(paramSpans(c.paramChanges, c.sweep)).toEqual([
      { from: 1, to: 4, K: 0.4, h: 0 },
      { from: 5, to: 6, K: 0.6, h: 0 },
      { from: 7, to: 8, K: 0.6, h: 0.1 }
    ])
    // A saved state has no history: one span at its parameters.
    loadState(c, makeState(8, 10, { ...params, K: 0.5 }), false)
    expect(c.paramChanges).toEqual([{ from: 1, K: 0.5, h: 0 }])
  })
})
