/** Building and saving exported files (CSV text, images) in the browser. */

export interface CsvTable {
  header: string[]
  rows: number[][]
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** RFC 4180 CSV: a header line, then one line per row; numbers at full precision. */
export function csvText(table: CsvTable): string {
  const lines = [table.header.map(csvCell).join(',')]
  for (const row of table.rows) lines.push(row.map(csvCell).join(','))
  return lines.join('\r\n') + '\r\n'
}

/** Decodes a base64 `data:` URL (what ECharts' getDataURL returns) into a Blob. */
export function dataUrlToBlob(url: string): Blob {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(url)
  if (!match) throw new Error(`dataUrlToBlob: not a data URL: ${url.slice(0, 40)}…`)
  const [, type, base64, payload] = match
  if (!base64) return new Blob([decodeURIComponent(payload)], { type })
  const binary = atob(payload)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new Blob([bytes], { type })
}

/** A file name from a title: "Energy per spin" → "energy-per-spin". */
export function fileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return stem || 'chart'
}

/** Saves a Blob through a temporary <a download> (works in Electron and browsers). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
