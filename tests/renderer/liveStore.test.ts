import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import type { ChainSpecV1 } from '@shared/project/types'
import type { IsingChainState } from '@core/ising/types'
import { packSpins } from '@core/ising/spinBits'
import { closeLiveChains, createFakeApi, makeFrame, makeState } from './fakeApi'

const SPEC: ChainSpecV1 = { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 42, start: 'hot' }

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  closeLiveChains()
  vi.useRealTimers()
})

const lastCommand = () => fake.raw['jobs.command'].mock.calls.at(-1)?.[0]
const controls = () => fake.raw['jobs.control'].mock.calls.map(([a]) => a.action)

describe('live store', () => {
  it('play starts an interactive ising.chain job with the chain’s spec at 60 fps', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    const args = fake.raw['jobs.start'].mock.calls[0][0]
    expect(args).toMatchObject({ kind: 'ising.chain', interactive: true, seed: 42 })
    expect(args.spec).toEqual({ ...SPEC, maxFps: 60 })
    expect(args.rngState).toBeUndefined()
    expect(live.chains.r1.jobId).toBe('job-1')
    expect(live.chains.r1.status).toBe('running')
  })

  it('appends only the new points of each frame, numbered by sweep, and ignores other jobs', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    const before = live.revision
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 0, 0) })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 2, 2) })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 5, 3) })
    fake.emit('jobs.frame', { jobId: 'job-99', frame: makeFrame(8, 100, 100) })
    expect(chain.sweep).toBe(5)
    expect(chain.seriesLength).toBe(5)
    expect(Array.from(chain.series.sweeps.view())).toEqual([1, 2, 3, 4, 5])
    expect(chain.series.energy.at(-1)).toBeCloseTo(-0.005)
    expect(chain.series.absM.at(0)).toBeCloseTo(0.0001)
    expect(chain.spins).toBeInstanceOf(Int8Array)
    expect(chain.spins!.length).toBe(64)
    expect(chain.acceptance).toBe(0.25)
    expect(live.revision).toBeGreaterThan(before)
  })

  it('reports the frames and sweeps per second the chain achieves, not the kernel burst speed', async () => {
    const clock = vi.spyOn(performance, 'now')
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    // Frames of 4 sweeps every 50 ms: 20 frames/s and 80 sweeps/s, whatever the kernel says (1000).
    for (let i = 0; i <= 10; i++) {
      clock.mockReturnValue(1000 + 50 * i)
      fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 4 * (i + 1), 4) })
    }
    clock.mockRestore()
    expect(chain.framesPerSecond).toBeCloseTo(20, 6)
    expect(chain.sweepsPerSecond).toBeCloseTo(80, 6)
  })

  it('sends parameter edits at once and merges a burst, the last value arriving within 30 ms', async () => {
    vi.useFakeTimers()
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    expect(live.setParams('r1', { K: 0.41 }).ok).toBe(true)
    expect(lastCommand()).toEqual({
      jobId: 'job-1',
      command: { type: 'edit', params: { K: 0.41, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2 } }
    })
    live.setParams('r1', { K: 0.42 })
    live.setParams('r1', { K: 0.43, h: 0.05 })
    expect(fake.raw['jobs.command']).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(30)
    expect(fake.raw['jobs.command']).toHaveBeenCalledTimes(2)
    expect(lastCommand()?.command).toMatchObject({ type: 'edit', params: { K: 0.43, h: 0.05 } })
    expect(live.chains.r1.params.K).toBe(0.43)
  })

  it('paints a running chain: the picture changes at once and the job gets the sites', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 2, 2) })
    const before = live.chains.r1.spins!
    await live.paint('r1', Int32Array.of(0, 9), Int8Array.of(-1, -1))
    const after = live.chains.r1.spins!
    expect(after).not.toBe(before) // a new array, so the canvas redraws
    expect(after[0]).toBe(-1)
    expect(after[9]).toBe(-1)
    expect(lastCommand()).toEqual({
      jobId: 'job-1',
      command: { type: 'paint', sites: Int32Array.of(0, 9), values: Int8Array.of(-1, -1) }
    })
  })

  it('paints an idle saved chain into the state the next Play continues from', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC, makeState(8, 5))
    await live.paint('r1', Int32Array.of(63), Int8Array.of(-1))
    expect(fake.raw['jobs.command']).not.toHaveBeenCalled()
    await live.play('r1')
    const start = fake.raw['jobs.start'].mock.calls.at(-1)![0] as {
      spec: { resume: { spins: Int8Array; sweep: number } }
    }
    expect(start.spec.resume.sweep).toBe(5)
    expect(start.spec.resume.spins[63]).toBe(-1)
    expect(start.spec.resume.spins[62]).toBe(1)
  })

  it('rejects invalid parameters with a sentence and sends nothing', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    const result = live.setParams('r1', { K: -0.2, algorithm: 'wolff' })
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/Wolff.*K ≥ 0/) })
    expect(live.setParams('r1', { sweepsPerFrame: 0 }).ok).toBe(false)
    expect(fake.raw['jobs.command']).not.toHaveBeenCalled()
    expect(live.chains.r1.params.K).toBe(0.4)
  })

  it('pauses, steps one frame and resumes the same job', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    await live.pause('r1')
    expect(live.chains.r1.status).toBe('paused')
    await live.step('r1')
    expect(lastCommand()).toEqual({ jobId: 'job-1', command: { type: 'step', count: 1 } })
    await live.play('r1')
    expect(controls()).toEqual(['pause', 'resume'])
    expect(live.chains.r1.status).toBe('running')
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
  })

  it('continues a saved run bit for bit: spec.resume and rngState from the saved state', async () => {
    const live = useLiveStore()
    const saved = makeState(8, 10)
    const chain = live.open('r1', SPEC, saved)
    expect(chain.sweep).toBe(10)
    expect(chain.seriesLength).toBe(10)
    expect(chain.series.sweeps.at(-1)).toBe(10)
    await live.play('r1')
    const args = fake.raw['jobs.start'].mock.calls[0][0]
    const spec = args.spec as { resume: unknown }
    const { params: _params, ...state } = saved
    expect(spec.resume).toEqual(state)
    expect(args.rngState).toEqual(new Uint32Array([1, 2, 3, 4]))
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 10, 0) })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 12, 2) })
    expect(Array.from(chain.series.sweeps.view().slice(-3))).toEqual([10, 11, 12])
  })

  it('snapshot asks the job when there is one, else returns the saved state', async () => {
    const live = useLiveStore()
    expect(await live.snapshot('nope')).toBeNull()
    live.open('fresh', SPEC)
    expect(await live.snapshot('fresh')).toBeNull()
    const saved = makeState(8, 4)
    live.open('r1', SPEC, saved)
    expect(await live.snapshot('r1')).toBe(saved)
    await live.play('r1')
    const fromJob = makeState(8, 30)
    fake.setSnapshot({ ok: true, data: fromJob })
    expect(await live.snapshot('r1')).toBe(fromJob)
    expect(fake.raw['jobs.snapshot']).toHaveBeenCalledWith({ jobId: 'job-1' })
  })

  it('keeps a finished job’s result as the state to continue from', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    const final = makeState(8, 6)
    fake.emit('jobs.update', { id: 'job-1', status: 'cancelled' })
    fake.emit('jobs.result', { jobId: 'job-1', result: final, cancelled: true })
    expect(live.chains.r1.status).toBe('idle')
    expect(live.chains.r1.jobId).toBeNull()
    expect(live.chains.r1.sweep).toBe(6)
    await live.play('r1')
    expect(fake.raw['jobs.start'].mock.calls[1][0].rngState).toEqual(final.rngState)
  })

  it('says why a job failed', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.play('r1')
    fake.emit('jobs.update', { id: 'job-1', status: 'failed', error: 'The worker ran out of memory.' })
    expect(live.chains.r1.status).toBe('failed')
    expect(live.chains.r1.error).toBe('The worker ran out of memory.')
  })

  it('after the worker dies, Play continues from the last frame received (its spins and generator state)', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    const rng = (w: number) => new Uint32Array([w, w + 1, w + 2, w + 3])
    fake.emit('jobs.frame', { jobId: 'job-1', frame: { ...makeFrame(8, 0, 0), rngState: rng(10) } })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: { ...makeFrame(8, 2, 2), rngState: rng(20) } })
    const spins = new Int8Array(64).fill(1)
    spins[3] = -1
    const last = { ...makeFrame(8, 5, 3), spinBits: packSpins(spins), rngState: rng(30) }
    fake.emit('jobs.frame', { jobId: 'job-1', frame: last })
    // The broker reports a worker that exited: no result follows.
    fake.emit('jobs.update', { id: 'job-1', status: 'failed', error: 'The job’s process was killed (SIGKILL).' })
    expect(chain.status).toBe('failed')
    expect(chain.error).toBe('The job’s process was killed (SIGKILL). Play continues from sweep 5.')
    expect(chain.sweep).toBe(5)

    await live.play('r1')
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(2)
    const args = fake.raw['jobs.start'].mock.calls[1][0]
    expect(Array.from(args.rngState!)).toEqual([30, 31, 32, 33])
    const resume = (args.spec as { resume: IsingChainState }).resume
    expect(resume.sweep).toBe(5)
    expect(Array.from(resume.spins)).toEqual(Array.from(spins))
    expect(Array.from(resume.rngState)).toEqual([30, 31, 32, 33])
    expect(Array.from(resume.energy)).toEqual([1, 2, 3, 4, 5].map((k) => -0.001 * k))
    expect(resume.absM).toHaveLength(5)
    expect(chain.status).toBe('running')
    expect(chain.error).toBeNull()
    expect(chain.sweep).toBe(5)
    fake.emit('jobs.frame', { jobId: 'job-2', frame: makeFrame(8, 5, 0) })
    fake.emit('jobs.frame', { jobId: 'job-2', frame: makeFrame(8, 7, 2) })
    expect(Array.from(chain.series.sweeps.view())).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('a job that dies before its first frame restarts from sweep 0', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    fake.emit('jobs.update', { id: 'job-1', status: 'failed', error: 'The job’s process was killed (SIGKILL).' })
    expect(chain.error).toBe('The job’s process was killed (SIGKILL).')
    await live.play('r1')
    expect((fake.raw['jobs.start'].mock.calls[1][0].spec as { resume?: unknown }).resume).toBeUndefined()
  })

  it('structural changes cancel the job, clear the series and restart a running chain', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 4, 4) })
    expect((await live.setStructural('r1', { L: 2000 })).ok).toBe(false)
    const result = await live.setStructural('r1', { L: 16, seed: 7 })
    expect(result).toMatchObject({ ok: true, value: { L: 16, seed: 7 } })
    expect(controls()).toContain('cancel')
    expect(chain.seriesLength).toBe(0)
    const restart = fake.raw['jobs.start'].mock.calls[1][0]
    expect(restart.spec).toMatchObject({ L: 16, seed: 7 })
    expect(restart.seed).toBe(7)
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 6, 2) })
    expect(chain.seriesLength).toBe(0)
    expect(live.specOf('r1')).toMatchObject({ L: 16, seed: 7, K: 0.4 })
  })

  it('reset asks a fresh job to restart and drops frames computed before it', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    await live.play('r1')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 4, 4) })
    await live.reset('r1')
    expect(lastCommand()).toEqual({ jobId: 'job-1', command: { type: 'reset' } })
    expect(chain.sweep).toBe(0)
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 6, 2) })
    expect(chain.seriesLength).toBe(0)
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 0, 0) })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 2, 2) })
    expect(Array.from(chain.series.sweeps.view())).toEqual([1, 2])
  })

  it('keeps frames that arrive before jobs.start answers', async () => {
    const live = useLiveStore()
    const chain = live.open('r1', SPEC)
    let release!: () => void
    fake.gateStarts(new Promise<void>((r) => (release = r)))
    const playing = live.play('r1')
    await Promise.resolve()
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 2, 2) })
    release()
    await playing
    expect(chain.seriesLength).toBe(2)
  })

  it('step on an idle chain starts it paused and steps once; close cancels', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    await live.step('r1')
    expect(live.chains.r1.status).toBe('paused')
    expect(controls()).toEqual(['pause'])
    expect(lastCommand()).toEqual({ jobId: 'job-1', command: { type: 'step', count: 1 } })
    live.close('r1')
    expect(controls()).toEqual(['pause', 'cancel'])
    expect(live.chain('r1')).toBeUndefined()
  })
})
