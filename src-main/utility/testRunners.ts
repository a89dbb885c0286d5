import type { JobRunner } from '../../src-core/jobs/types'

/**
 * Job kinds that exist only to test the job system end to end through real processes. They
 * are registered only when BLOCKSPIN_TEST_RUNNERS=1 (see runners.ts).
 */

export interface TestCountSpec {
  /** Count from 0 to n. An 'edit' command with params.n changes the target on the fly. */
  n: number
  /** Pause between steps in milliseconds (0 = only yield to the event loop). */
  delayMs?: number
  /** Send a frame every this many steps (0 or absent = no frames). */
  frameEvery?: number
}

export interface TestCountResult {
  count: number
  n: number
  /** Every 'edit' command's params, in the order received. */
  edits: Record<string, unknown>[]
  /** The first draw of the job's generator (checks seeding through the host). */
  firstDraw: number
}

/** Counts to n with progress; obeys cancel, pause, 'edit' (params.n) and 'snapshot'. */
export const testCount: JobRunner<TestCountSpec, TestCountResult> = async (spec, rng, sink, signal) => {
  let n = spec.n
  const edits: Record<string, unknown>[] = []
  const firstDraw = rng.nextUint32()
  let count = 0
  sink.progress({ done: 0, total: n, unit: 'steps' })
  while (count < n) {
    for (const command of await signal.next()) {
      if (command.type === 'edit') {
        edits.push(command.params)
        if (typeof command.params.n === 'number') n = command.params.n
      } else if (command.type === 'snapshot') {
        sink.reply(command.requestId, { count, n, edits: edits.length })
      }
    }
    if (signal.cancelled) break
    if (count >= n) break
    count += 1
    sink.progress({ done: count, total: n, unit: 'steps' })
    if (spec.frameEvery && count % spec.frameEvery === 0) {
      sink.frame({ count, series: { count: Float64Array.of(count), half: Float64Array.of(count / 2) } })
    }
    if (spec.delayMs) await signal.sleep(spec.delayMs)
  }
  return { count, n, edits, firstDraw }
}

export const testThrow: JobRunner<{ message?: string }> = async (spec) => {
  await Promise.resolve()
  throw new Error(spec?.message ?? 'test.throw was asked to fail')
}

export const testExit: JobRunner = async (_spec, _rng, sink) => {
  sink.log('test.exit is about to exit with code 3')
  // Let the log line leave before the process goes.
  await new Promise((resolve) => setTimeout(resolve, 20))
  process.exit(3)
}

/** Allocates JS-heap arrays until V8 gives up (run with a small --max-old-space-size). */
export const testOom: JobRunner = async () => {
  const hoard: number[][] = []
  for (;;) hoard.push(new Array<number>(1 << 20).fill(1.5))
}

export const testEcho: JobRunner = async (spec) => spec

export const testRunners: Record<string, JobRunner> = {
  'test.count': testCount as JobRunner,
  'test.throw': testThrow as JobRunner,
  'test.exit': testExit,
  'test.oom': testOom,
  'test.echo': testEcho
}
