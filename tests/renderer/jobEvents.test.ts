import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import type { IsingChainResult, IsingFrame } from '@core/ising/types'
import type { RbmTrainingFrame } from '@core/jobs/rbmTrain'
import type { JobInfo } from '@shared/protocol'
import { setApi } from '../../src-renderer/src/api'
import { useJobEvents } from '../../src-renderer/src/composables/useJobEvents'
import { createJobEvents } from '../../src-renderer/src/logic/jobEvents'
import { createFakeApi, makeFrame, makeState } from './fakeApi'

const chainSpec = { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 1, seed: 1, start: 'hot' } as const
const request = { kind: 'ising.chain', title: 'chain', interactive: true, spec: chainSpec, seed: 1 } as const
const info = (id: string, status: JobInfo['status']) => ({ id, kind: 'ising.chain', status }) as JobInfo

/** A dispatcher over a fake API, and handlers that record what they get. */
function setup() {
  const fake = createFakeApi()
  const events = createJobEvents(fake.api)
  const got: string[] = []
  const handlers = {
    frame: (f: IsingFrame) => got.push(`frame ${f.sweep}`),
    update: (i: JobInfo) => got.push(`update ${i.status}`),
    result: (r: IsingChainResult | null, cancelled: boolean) =>
      got.push(`result ${r?.sweep ?? null}${cancelled ? ' cancelled' : ''}`)
  }
  return { fake, events, got, handlers }
}

describe('the job-event dispatcher', () => {
  afterEach(() => setApi(null))

  it('keeps events that arrive before the start reply and delivers them, in order, once the job is watched', async () => {
    const { fake, events, got, handlers } = setup()
    let open!: () => void
    fake.gateStarts(new Promise<void>((resolve) => (open = resolve)))
    const started = events.start(request, () => handlers)
    await Promise.resolve()
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 1, 1) })
    fake.emit('jobs.update', info('job-1', 'running'))
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 2, 1) })
    expect(got).toEqual([])
    open()
    expect(await started).toBe('job-1')
    expect(got).toEqual(['frame 1', 'update running', 'frame 2'])
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 3, 1) })
    expect(got.at(-1)).toBe('frame 3')
  })

  it('drops events of jobs nobody watches when no start is in flight, and early events of jobs not wanted', async () => {
    const { fake, events, got, handlers } = setup()
    fake.emit('jobs.frame', { jobId: 'job-9', frame: makeFrame(8, 1, 1) })
    fake.emit('jobs.result', { jobId: 'job-9', result: makeState(8, 1), cancelled: false })
    events.watch('job-9', 'ising.chain', handlers)
    expect(got).toEqual([])

    // A start whose job is no longer wanted: its early events go nowhere, not to a later watcher.
    let open!: () => void
    fake.gateStarts(new Promise<void>((resolve) => (open = resolve)))
    const started = events.start(request, () => null)
    await Promise.resolve()
    fake.emit('jobs.frame', { jobId: 'job-9', frame: makeFrame(8, 4, 1) })
    expect(got).toEqual(['frame 4']) // job-9 is watched now
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 5, 1) })
    open()
    expect(await started).toBe('job-1')
    events.watch('job-1', 'ising.chain', handlers)
    expect(got).toEqual(['frame 4'])
    expect(events.watched()).toEqual(['job-9', 'job-1'])
  })

  it('removes a job’s handlers after its result, or after the update saying it failed', async () => {
    const { fake, events, got, handlers } = setup()
    await events.start(request, () => handlers)
    await events.start(request, () => handlers)
    expect(events.watched()).toEqual(['job-1', 'job-2'])
    fake.emit('jobs.result', { jobId: 'job-1', result: makeState(8, 7), cancelled: false })
    fake.emit('jobs.update', info('job-1', 'done'))
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 8, 1) })
    fake.emit('jobs.update', info('job-2', 'failed'))
    fake.emit('jobs.result', { jobId: 'job-2', result: null, cancelled: true })
    expect(got).toEqual(['result 7', 'update failed'])
    expect(events.watched()).toEqual([])
  })

  it('stops delivering when a watch is ended or the job is unwatched', async () => {
    const { fake, events, got, handlers } = setup()
    const stop = events.watch('job-1', 'ising.chain', handlers)
    events.watch('job-2', 'ising.chain', handlers)
    stop()
    events.unwatch('job-2')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 1, 1) })
    fake.emit('jobs.frame', { jobId: 'job-2', frame: makeFrame(8, 1, 1) })
    expect(got).toEqual([])
  })

  it('forgets early events when the start fails, and keeps no more than a thousand', async () => {
    const { fake, events, got, handlers } = setup()
    let fail!: (e: Error) => void
    fake.raw['jobs.start'].mockImplementationOnce(() => new Promise((_, reject) => (fail = reject)))
    const started = events.start(request, () => handlers)
    for (let k = 0; k < 1500; k++) fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, k, 1) })
    fail(new Error('no service'))
    await expect(started).rejects.toThrow('no service')
    events.watch('job-1', 'ising.chain', handlers)
    expect(got).toEqual([])
  })

  it('keeps at most a thousand early events (a runaway job must not fill memory)', async () => {
    const { fake, events, got, handlers } = setup()
    let open!: () => void
    fake.gateStarts(new Promise<void>((resolve) => (open = resolve)))
    const started = events.start(request, () => handlers)
    await Promise.resolve()
    for (let k = 0; k < 1500; k++) fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, k, 1) })
    open()
    await started
    expect(got).toHaveLength(1000)
    expect(got.at(-1)).toBe('frame 999')
  })

  it('gives every job’s status updates to those who list them all, watched or not', async () => {
    const { fake, events, got, handlers } = setup()
    const listed: string[] = []
    const stop = events.everyUpdate((i) => listed.push(`${i.id} ${i.status}`))
    await events.start(request, () => handlers)
    fake.emit('jobs.update', info('job-1', 'running'))
    fake.emit('jobs.update', info('job-7', 'queued'))
    stop()
    fake.emit('jobs.update', info('job-7', 'running'))
    expect(listed).toEqual(['job-1 running', 'job-7 queued'])
    expect(got).toEqual(['update running'])
  })

  it('is one dispatcher per API, listening once', () => {
    const fake = createFakeApi()
    const on = vi.spyOn(fake.raw, 'on')
    setApi(fake.api)
    const first = useJobEvents()
    expect(useJobEvents()).toBe(first)
    expect(on.mock.calls.map(([event]) => event).sort()).toEqual(['jobs.frame', 'jobs.result', 'jobs.update'])
    setApi(createFakeApi().api)
    expect(useJobEvents()).not.toBe(first)
  })

  it('answers a snapshot with the kind’s state, or null when the job could not answer', async () => {
    const { fake, events } = setup()
    const state = makeState(8, 3)
    fake.setSnapshot({ ok: true, data: state })
    const answer = await events.snapshot('job-1', 'ising.chain')
    expectTypeOf(answer).toEqualTypeOf<IsingChainResult | null>()
    expect(answer).toBe(state)
    expect(fake.raw['jobs.snapshot']).toHaveBeenCalledWith({ jobId: 'job-1' })
    fake.setSnapshot({ ok: false, error: 'Job job-1 ended before answering the snapshot request.' })
    expect(await events.snapshot('job-1', 'ising.chain')).toBeNull()
  })

  it('types handlers by job kind', () => {
    const { events } = setup()
    events.watch('job-9', 'rbm.train', {
      frame: (frame) => expectTypeOf(frame).toEqualTypeOf<RbmTrainingFrame>(),
      result: (result) => expectTypeOf(result?.complete).toEqualTypeOf<boolean | undefined>()
    })
    // @ts-expect-error a dataset job is started with a dataset spec
    void events.start({ ...request, kind: 'ising.dataset' }, () => null).catch(() => undefined)
  })
})
