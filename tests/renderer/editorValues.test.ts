import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { presetModel, uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import {
  colorBarGradient,
  divergingColor,
  DIVERGING_STOPS,
  modelColorLimit,
  niceLimit,
  SPIN_FALLBACK,
  spinColors,
  type Rgb
} from '../../src-renderer/src/logic/editor/colorScale'
import {
  describeBond,
  describeSite,
  formatCoupling,
  keyAction,
  parseBrushSize,
  parseCouplingValue,
  parseWholeNumber
} from '../../src-renderer/src/logic/editor/values'
import {
  checkCouplingForm,
  checkLatticeForm,
  checkPresetForm,
  formFromModel,
  type LatticeForm
} from '../../src-renderer/src/logic/editor/modelForm'

/** CIE L* of an sRGB colour (D65). */
function lightness([r, g, b]: Rgb): number {
  const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  const Y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
  return 116 * Math.cbrt(Y) - 16
}

describe('diverging colour scale', () => {
  it('puts zero in the middle and the end colours at ±limit, clamping beyond', () => {
    expect(divergingColor(0, 2)).toEqual(DIVERGING_STOPS[5])
    expect(divergingColor(2, 2)).toEqual(DIVERGING_STOPS[10])
    expect(divergingColor(-2, 2)).toEqual(DIVERGING_STOPS[0])
    expect(divergingColor(7, 2)).toEqual(DIVERGING_STOPS[10])
    expect(divergingColor(NaN, 2)).toEqual(DIVERGING_STOPS[5])
    expect(() => divergingColor(1, 0)).toThrow(/limit/)
  })

  it('is symmetric in lightness about zero and darkens monotonically with |v|', () => {
    const side = (sign: number) => Array.from({ length: 51 }, (_, k) => lightness(divergingColor((sign * k) / 50, 1)))
    const [plus, minus] = [side(1), side(-1)]
    for (let k = 0; k <= 50; k++) {
      expect(Math.abs(plus[k] - minus[k]), `v = ±${k / 50}`).toBeLessThan(5)
      if (k > 0) expect(plus[k]).toBeLessThan(plus[k - 1])
      if (k > 0) expect(minus[k]).toBeLessThan(minus[k - 1])
    }
    // Positive is red (ferromagnetic), negative blue.
    const [r, , b] = divergingColor(1, 1)
    const [r2, , b2] = divergingColor(-1, 1)
    expect(r > b && b2 > r2).toBe(true)
  })

  it('chooses round symmetric limits covering every field and coupling', () => {
    expect([
      niceLimit(0.4),
      niceLimit(0.5),
      niceLimit(0.51),
      niceLimit(3),
      niceLimit(10),
      niceLimit(0),
      niceLimit(0.013)
    ]).toEqual([0.5, 0.5, 1, 5, 10, 1, 0.02])
    const model = uniformModel(buildLattice({ kind: 'chain', N: 5, periodic: false }), { K: 0.3, h: -1.7 })
    expect(modelColorLimit(model.fields, model.couplings)).toBe(2)
    expect(colorBarGradient()).toMatch(
      /^linear-gradient\(to right, rgb\(5, 48, 97\) 0\.0%.*rgb\(103, 0, 31\) 100\.0%\)$/
    )
  })

  it('reads spin colours from CSS variables, with fallbacks', () => {
    const vars: Record<string, string> = { '--spin-up': ' #ffffff ', '--spin-down': 'rgb(31, 59, 99)' }
    expect(spinColors((n) => vars[n] ?? '')).toEqual({ up: [255, 255, 255, 255], down: [31, 59, 99, 255] })
    expect(spinColors(() => '')).toEqual(SPIN_FALLBACK)
    expect(
      spinColors(
        (n) => (n === '--spin-up' ? 'white' : ''),
        (c) => (c === 'white' ? '#fefefe' : c)
      ).up
    ).toEqual([254, 254, 254, 255])
    expect(spinColors(() => 'nonsense').down).toEqual(SPIN_FALLBACK.down)
  })
})

describe('typed values', () => {
  it('accepts couplings in [−10, 10], with a real minus sign too', () => {
    expect(parseCouplingValue(' 0.408 ')).toEqual({ ok: true, value: 0.408 })
    expect(parseCouplingValue('\u22122.5')).toEqual({ ok: true, value: -2.5 })
    expect(parseCouplingValue('-10')).toEqual({ ok: true, value: -10 })
    expect(parseCouplingValue('1e-3')).toEqual({ ok: true, value: 0.001 })
    expect(Object.is((parseCouplingValue('-0') as { value: number }).value, 0)).toBe(true)
  })

  it('explains bad input in a sentence', () => {
    expect(parseCouplingValue('')).toEqual({ ok: false, error: 'Enter a number between −10 and 10.' })
    expect(parseCouplingValue('10.01')).toEqual({ ok: false, error: 'Enter a number between −10 and 10.' })
    expect(parseCouplingValue('1e400')).toEqual({ ok: false, error: 'Enter a number between −10 and 10.' })
    expect(parseCouplingValue('abc')).toEqual({
      ok: false,
      error: '“abc” is not a number. Enter a number between −10 and 10.'
    })
    expect(parseCouplingValue('0x10').ok).toBe(false)
    expect(parseCouplingValue('Infinity').ok).toBe(false)
    expect(parseBrushSize('0')).toEqual({ ok: false, error: 'Brush size must be a whole number from 1 to 32.' })
    expect(parseBrushSize('2.5').ok).toBe(false)
    expect(parseWholeNumber('12', 'Lx', 3, 1024)).toEqual({ ok: true, value: 12 })
  })

  it('maps undo/redo shortcuts', () => {
    const k = (
      key: string,
      mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}
    ) => keyAction({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods })
    expect(k('z', { ctrlKey: true })).toBe('undo')
    expect(k('z', { metaKey: true })).toBe('undo')
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo')
    expect(k('y', { ctrlKey: true })).toBe('redo')
    expect(k('z')).toBeNull()
    expect(k('z', { ctrlKey: true, altKey: true })).toBeNull()
    expect(k('s', { ctrlKey: true })).toBeNull()
  })

  it('describes the hovered site and bond', () => {
    const model = uniformModel(buildLattice({ kind: 'square', Lx: 4, Ly: 3, periodicX: true, periodicY: false }), {
      K: 0.4,
      h: -0.125
    })
    const spins = new Int8Array(12).fill(1)
    spins[6] = -1
    expect(describeSite(model, spins, 6)).toBe('site 6 (x 2, y 1) · spin ↓ −1 · K_i = −0.125')
    expect(describeBond(model, 0)).toBe('bond 0: 0–1 · K_ij = 0.4')
    expect(formatCoupling(1 / 3)).toBe('0.3333')
  })
})

describe('model form', () => {
  const form = (over: Partial<LatticeForm>): LatticeForm => ({
    kind: 'square',
    N: '16',
    Lx: '8',
    Ly: '6',
    periodicX: true,
    periodicY: false,
    diagonals: true,
    ...over
  })

  it('turns valid fields into a lattice spec buildLattice accepts', () => {
    const spec = checkLatticeForm(form({}))
    expect(spec).toEqual({
      ok: true,
      value: { kind: 'square', Lx: 8, Ly: 6, periodicX: true, periodicY: false, diagonals: true }
    })
    if (!spec.ok) throw new Error('expected a valid spec')
    expect(buildLattice(spec.value).N).toBe(48)
    expect(checkLatticeForm(form({ kind: 'chain', N: '2', periodicX: false }))).toEqual({
      ok: true,
      value: { kind: 'chain', N: 2, periodic: false }
    })
    expect(checkLatticeForm(form({ kind: 'triangular', periodicX: false }))).toEqual({
      ok: true,
      value: { kind: 'triangular', Lx: 8, Ly: 6 }
    })
  })

  it('reports each bad field in a sentence, with the minimum set by the boundary', () => {
    expect(checkLatticeForm(form({ Lx: '2', Ly: 'x' }))).toEqual({
      ok: false,
      errors: { Lx: 'Lx must be a whole number from 3 to 1024.', Ly: 'Ly must be a whole number from 1 to 1024.' }
    })
    expect(checkLatticeForm(form({ periodicX: false, Lx: '2' })).ok).toBe(true)
    expect(checkLatticeForm(form({ kind: 'chain', N: '2', periodicX: true }))).toEqual({
      ok: false,
      errors: { N: 'N must be a whole number from 3 to 1048576.' }
    })
    expect(checkLatticeForm(form({ kind: 'triangular', Ly: '2', periodicY: false })).ok).toBe(false)
  })

  it('checks uniform couplings: blanks mean “same as K” and h = 0', () => {
    expect(checkCouplingForm({ K: '0.4', Kx: '', Ky: '0.2', Kd: ' ', h: '' })).toEqual({
      ok: true,
      value: { K: 0.4, Ky: 0.2 }
    })
    expect(checkCouplingForm({ K: '', Kx: '11', Ky: '', Kd: '', h: 'q' })).toEqual({
      ok: false,
      errors: {
        K: 'Enter a number between −10 and 10.',
        Kx: 'Enter a number between −10 and 10.',
        h: '“q” is not a number. Enter a number between −10 and 10.'
      }
    })
    expect(checkPresetForm({ L: '2', seed: '-1' }).ok).toBe(false)
    expect(checkPresetForm({ L: '40', seed: '7' })).toEqual({ ok: true, value: { L: 40, seed: 7 } })
  })

  it('reads the form back from a model', () => {
    const model = presetModel('anisotropic', { L: 6, K: 0.5 })
    expect(formFromModel(model)).toEqual({
      lattice: { kind: 'square', N: '16', Lx: '6', Ly: '6', periodicX: true, periodicY: true, diagonals: false },
      couplings: { K: '0.5', Kx: '', Ky: '0.25', Kd: '', h: '0' }
    })
    const glass = presetModel('next-nearest-neighbour', { L: 4, rng: xoshiro128ss(1) })
    expect(formFromModel(glass).couplings.Kd).toBe('0.1')
    const chain = uniformModel(buildLattice({ kind: 'chain', N: 9, periodic: true }), { K: 1, h: 0.5 })
    expect(formFromModel(chain).lattice).toMatchObject({ kind: 'chain', N: '9', periodicX: true })
  })
})
