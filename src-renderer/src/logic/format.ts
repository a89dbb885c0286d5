/**
 * Number formatting for readouts: sensible precision, an uncertainty in the conventional form
 * ("0.6402 ± 0.0011": the error to two significant digits, the value to the same decimal
 * place), and digit grouping that stays readable from the back of a room. Minus signs are ASCII
 * so shown values can be copied into other tools.
 */

const DASH = '—'
/** Narrow no-break space, the SI digit-group separator. */
const GROUP = '\u202f'
const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹'
}

function superscript(exponent: number): string {
  return String(exponent).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])
}

/** "×10⁻⁵" style power of ten. */
export function powerOfTen(exponent: number): string {
  return `×10${superscript(exponent)}`
}

/** Groups the integer digits of a plain decimal string: "1234567.5" → "1 234 567.5". */
function groupDigits(text: string): string {
  const [int, frac] = text.split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP)
  return frac === undefined ? grouped : `${grouped}.${frac}`
}

/**
 * `sig` significant digits, fixed-point between 1e-3 and 1e6, otherwise "1.234×10⁻⁵".
 * Non-finite values show as a dash.
 */
export function formatNumber(value: number, sig = 4): string {
  if (!Number.isFinite(value)) return DASH
  if (value === 0) return '0'
  const rounded = Number(value.toPrecision(sig))
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)))
  if (magnitude >= 6 || magnitude < -3) {
    const [mantissa, exp] = rounded.toExponential(sig - 1).split('e')
    return `${mantissa}${powerOfTen(Number(exp))}`
  }
  const decimals = Math.max(0, sig - 1 - magnitude)
  return groupDigits(rounded.toFixed(decimals))
}

/** Fixed number of decimals (for values with a known scale, such as e and |m|). */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return DASH
  const text = value.toFixed(decimals)
  // Avoid "-0.0000" for values that round to zero.
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text
}

/** An integer count with digit groups: 1234567 → "1 234 567". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return DASH
  return groupDigits(Math.round(value).toFixed(0))
}

/** A rate: whole numbers with groups above 100, three significant digits below. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return DASH
  return Math.abs(value) >= 100 ? formatCount(value) : formatNumber(value, 3)
}

/** A fraction in [0, 1] as a percentage with one decimal: 0.4321 → "43.2 %". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return DASH
  return `${(fraction * 100).toFixed(1)} %`
}

/**
 * A value with its standard error: the error rounded to `errorDigits` significant digits and the
 * value to the same decimal place. formatWithError(0.64023, 0.00107) → "0.6402 ± 0.0011".
 * Very large or small values use a shared power of ten: "(6.402 ± 0.011)×10⁻⁵".
 */
export function formatWithError(value: number, error: number, errorDigits = 2): string {
  if (!Number.isFinite(value)) return DASH
  if (!Number.isFinite(error) || error <= 0) return formatNumber(value)
  const err = Number(error.toPrecision(errorDigits))
  const errMagnitude = Math.floor(Math.log10(err))
  const decimals = errorDigits - 1 - errMagnitude
  const valueMagnitude = value === 0 ? errMagnitude : Math.floor(Math.log10(Math.abs(value)))
  const scientific = valueMagnitude >= 6 || decimals > 8 || (valueMagnitude < -3 && Math.abs(value) > err)
  if (scientific) {
    const exp = Math.max(valueMagnitude, errMagnitude)
    const scale = 10 ** exp
    const d = Math.max(0, decimals + exp)
    return `(${formatFixed(value / scale, d)} ± ${(err / scale).toFixed(d)})${powerOfTen(exp)}`
  }
  if (decimals >= 0) return `${groupDigits(formatFixed(value, decimals))} ± ${groupDigits(err.toFixed(decimals))}`
  // Error of 10 or more: round both to the error's last significant digit.
  const unit = 10 ** -decimals
  return `${formatCount(Math.round(value / unit) * unit)} ± ${formatCount(err)}`
}
