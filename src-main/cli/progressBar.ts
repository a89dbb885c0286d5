import { formatEta } from './format'

/** A one-line progress bar on stderr; plain lines every 10% when stderr is not a terminal. */
export class ProgressBar {
  private lastDecile = -1
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr
  ) {}

  update(done: number, total: number | null, etaSeconds: number | null, unit = '', note?: string): void {
    const fraction = total ? Math.min(1, done / total) : null
    const detail = progressDetail(done, total, unit, note)
    if (!this.stream.isTTY) {
      const decile = fraction === null ? -1 : Math.floor(fraction * 10)
      if (decile > this.lastDecile) {
        this.lastDecile = decile
        this.stream.write(
          `${this.label}: ${Math.round((fraction ?? 0) * 100)}% (${detail}) ETA ${formatEta(etaSeconds)}\n`
        )
      }
      return
    }
    const width = 28
    const filled = fraction === null ? 0 : Math.round(fraction * width)
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
    const pct = fraction === null ? '' : `${(fraction * 100).toFixed(0).padStart(3)}%`
    this.stream.write(`\r${this.label} ${bar} ${pct} ${detail}  ETA ${formatEta(etaSeconds)}   `)
  }

  finish(message: string): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K')
    this.stream.write(`${this.label}: ${message}\n`)
  }
}

/** "12/40 sweeps" (whole numbers shown whole, others to 3 significant digits), or the note for percentages. */
export function progressDetail(done: number, total: number | null, unit: string, note?: string): string {
  if (unit === '%') return note ?? `${done.toFixed(1)}%`
  const show = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(3))
  const counted = `${show(done)}/${total === null ? '?' : show(total)}${unit ? ` ${unit}` : ''}`
  return note ? `${counted}, ${note}` : counted
}
