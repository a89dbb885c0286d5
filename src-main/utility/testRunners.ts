import type { JobRunner } from '@core/jobs/types'
import type { JobRunnerRegistry, TestCountFrame, TestCountResult, TestCountSpec, TestJobKind } from '@shared/jobKinds'

export type { TestCountResult, TestCountSpec } from '@shared/jobKinds'

/**
 * Job kinds that exist only to test the job system end to end through real processes. They
 * are registered only when BLOCKSPIN_TEST_RUNNERS=1 (see runners.ts).
 */

/** Counts to n with progress; obeys cancel, pause, 'edit' (params.n) and 'snapshot'. */
export const testCount: JobRunner<TestCountSpec, TestCountResult, TestCountFrame> = async (spec, rng, sink, signal) => {
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

export const testThrow: JobRunner<{ message?: string } | null | undefined, never> = async (spec) => {
  await Promise.resolve()
  throw new Error(spec?.message ?? 'test.throw was asked to fail')
}

export const testExit: JobRunner<unknown, never> = async (_spec, _rng, sink) => {
  sink.log('test.exit is about to exit with code 3')
  // Let the log line leave before the process goes.
  await new Promise((resolve) => setTimeout(resolve, 20))
  process.exit(3)
}

/** Allocates JS-heap arrays until V8 gives up (run with a small --max-old-space-size). */
export const testOom: JobRunner<unknown, never> = async () => {
  const hoard: number[][] = []
  for (;;) hoard.push(new Array<number>(1 << 20).fill(1.5))
}

export const testEcho: JobRunner = async (spec) => spec

/** Busy for spec.ms (default 60 s) without ever yielding: no message, no event is handled meanwhile. */
export const testBlock: JobRunner<{ ms?: number } | null | undefined, { blockedMs: number }> = async (
  spec,
  _rng,
  sink
) => {
  sink.progress({ done: 0, total: 1, unit: 'blocks' })
  const ms = spec?.ms ?? 60_000
  const start = Date.now()
  while (Date.now() - start < ms) {
    // spin
  }
  return { blockedMs: Date.now() - start }
}

export const testRunners: Pick<JobRunnerRegistry, TestJobKind> = {
  'test.count': testCount,
  'test.throw': testThrow,
  'test.exit': testExit,
  'test.oom': testOom,
  'test.echo': testEcho,
  'test.block': testBlock
}
