import type { JobCommand, JobFrame, JobProgress, JobSignal, JobSink } from '@core/jobs/types'

/** Runs at every `signal.next()`; may return commands and flip `host.paused` / `host.cancelled`. */
export type FakeHostScript = (call: number, host: FakeHostControls) => JobCommand[] | void

export interface FakeHostControls {
  cancelled: boolean
  paused: boolean
}

/**
 * In-memory host for job runners: records everything the runner sends and feeds it commands
 * from a script. Time is simulated: each `now()` advances the clock by `msPerNow`, and
 * `sleep(ms)` advances it by ms.
 */
export class FakeJobHost<Frame extends JobFrame> implements FakeHostControls {
  readonly frames: Frame[] = []
  readonly progressReports: JobProgress[] = []
  readonly replies = new Map<string, unknown>()
  readonly logs: string[] = []
  readonly sleeps: number[] = []
  cancelled = false
  paused = false
  clock = 0
  nextCalls = 0
  readonly sink: JobSink<Frame>
  readonly signal: JobSignal

  constructor(script: FakeHostScript = () => undefined, msPerNow = 1) {
    // The signal's getters need the host, not the object literal they sit on.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this
    this.sink = {
      progress: (progress) => void self.progressReports.push(progress),
      frame: (frame) => void self.frames.push(frame),
      reply: (requestId, data) => void self.replies.set(requestId, data),
      log: (message) => void self.logs.push(message)
    }
    this.signal = {
      get cancelled() {
        return self.cancelled
      },
      get paused() {
        return self.paused
      },
      async next() {
        // A real host blocks while paused until something happens; here the script is asked
        // again (simulated time passing). A script that never acts would hang a real host.
        for (let idle = 0; idle < 10_000; idle++) {
          const commands = script(self.nextCalls++, self) ?? []
          if (commands.length > 0 || !self.paused || self.cancelled) return commands
        }
        throw new Error('fake host: paused with no commands for 10000 calls; the runner would hang')
      },
      async sleep(ms) {
        self.sleeps.push(ms)
        self.clock += ms
      },
      now: () => (self.clock += msPerNow)
    }
  }
}
