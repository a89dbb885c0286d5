/** One row of `npm run bench`'s table and of reports/bench.json. */
export interface Row {
  name: string
  value: number | null
  unit: string
  reference?: number | null
  ratio?: number | null
  note?: string
  /** Machine-readable details of the row (cluster rows, dataset rows). */
  extra?: Record<string, number | string | null>
}

/** About how many seconds each rate measurement lasts (BENCH_SECONDS, default 3). */
export const BENCH_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3)
