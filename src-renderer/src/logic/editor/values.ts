import { COUPLING_LIMIT } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'

/** What a person types into the editor, checked; every failure is a sentence to show as typed. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string }

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const RANGE_SENTENCE = `Enter a number between −${COUPLING_LIMIT} and ${COUPLING_LIMIT}.`

/** Reads decimal text ("−" accepted for minus); NaN when it is not a plain decimal number. */
export function readDecimal(text: string): number {
  const t = text.trim().replace(/\u2212/g, '-')
  return DECIMAL.test(t) ? Number(t) : NaN
}

/**
 * The sentence for a number typed with a decimal comma ("0,45"), showing the form to use; ''
 * for anything else. Refused rather than read, because a comma also separates list values.
 */
export function decimalCommaHint(text: string): string {
  const t = text.trim().replace(/\u2212/g, '-')
  return /^[+-]?\d*,\d+$/.test(t) ? `Write decimals with a point: ${t.replace(',', '.')}, not ${t}.` : ''
}

/** A coupling or field value: finite, |v| ≤ COUPLING_LIMIT. */
export function parseCouplingValue(text: string): Checked<number> {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, error: RANGE_SENTENCE }
  const v = readDecimal(trimmed)
  if (Number.isNaN(v))
    return { ok: false, error: decimalCommaHint(trimmed) || `“${trimmed}” is not a number. ${RANGE_SENTENCE}` }
  if (!Number.isFinite(v) || Math.abs(v) > COUPLING_LIMIT) return { ok: false, error: RANGE_SENTENCE }
  return { ok: true, value: v === 0 ? 0 : v } // no −0 in a model
}

/** A whole number in [min, max], named in the sentence ("Lx must be a whole number from 3 to 1024."). */
export function parseWholeNumber(text: string, label: string, min: number, max: number): Checked<number> {
  const sentence = `${label} must be a whole number from ${min} to ${max}.`
  const v = readDecimal(text)
  if (!Number.isInteger(v) || v < min || v > max) return { ok: false, error: sentence }
  return { ok: true, value: v }
}

export const MAX_BRUSH = 32

/** Brush size: 1 (one site) to MAX_BRUSH. */
export const parseBrushSize = (text: string): Checked<number> => parseWholeNumber(text, 'Brush size', 1, MAX_BRUSH)

export type KeyAction = 'undo' | 'redo' | null

/** Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo. */
export function keyAction(e: {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey?: boolean
}): KeyAction {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const key = e.key.toLowerCase()
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !e.shiftKey) return 'redo'
  return null
}

/** Up to 4 significant decimals, trailing zeros dropped, a real minus sign. */
export function formatCoupling(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const s = Number(v.toFixed(4)).toString()
  return s.startsWith('-') ? `−${s.slice(1)}` : s
}

/** The hover readout: site index, position, spin and field; bond ends and K_ij. */
export function describeSite(model: IsingModel, spins: Int8Array, i: number): string {
  const { lattice } = model
  const grid = lattice.spec.kind === 'square' || lattice.spec.kind === 'triangular'
  const where = grid ? ` (x ${i % lattice.Lx}, y ${Math.floor(i / lattice.Lx)})` : ''
  const spin = spins[i] > 0 ? '↑ +1' : '↓ −1'
  return `site ${i}${where} · spin ${spin} · K_i = ${formatCoupling(model.fields[i])}`
}

export function describeBond(model: IsingModel, b: number): string {
  const { bondI, bondJ } = model.lattice
  return `bond ${b}: ${bondI[b]}–${bondJ[b]} · K_ij = ${formatCoupling(model.couplings[b])}`
}
