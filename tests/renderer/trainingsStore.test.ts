import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import { useTrainingsStore, type TrainingRecordActions } from '../../src-renderer/src/stores/trainings'
import { applyConfig, type TrainingRecord } from '../../src-renderer/src/logic/trainingSpec'
import { defaultConfig } from '../../src-renderer/src/logic/trainingForm'
import type { RbmTrainingFrame, RbmTrainingSpec } from '@core/jobs/rbmTrain'
import type { MonitorRecord, RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import { checkpointTrainer, createTrainer, HINTON_SALAKHUTDINOV, type TrainingOptions } from '@core/rbm/train'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { emptyProject } from '@shared/project/model'
import type { ModelV2, NpyArray } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { FakeJobHost } from '../core/fakeJobHost'
import { runRbmTraining, type RbmTrainingResult } from '@core/jobs/rbmTrain'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
  owned.clear()
  useTrainingsStore().setRecordActions(recordActions)
})
afterEach(() => setApi(null))

/** The records of a test, changed as the project store changes its own (the store asks by id). */
const owned = new Map<string, TrainingRecord>()
const own = (t: TrainingRecord): TrainingRecord => (owned.set(t.id, t), t)
const recordActions: TrainingRecordActions = {
  setStatus: (id, status) => void (owned.get(id)!.status = status),
  resetToDraft: (id) =>
    void Object.assign(owned.get(id)!, { status: 'draft', arrays: {}, checkpoint: undefined, history: undefined })
}

const L = 4
const N = L * L
const n = 40
/** 40 configurations of a 4×4 lattice: row r has spin +1 where (r + i) % 3 === 0. */
const spins = Int8Array.from({ length: n * N }, (_, k) => ((Math.floor(k / N) + (k % N)) % 3 === 0 ? 1 : -1))
const samples: NpyArray = { dtype: '|i1', shape: [n, L, L], data: spins }
const model: ModelV2 = {
  id: 'model1',
  name: '4×4',
  lattice: { kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true },
  uniform: { K: 0.4, h: 0 },
  arrays: {}
}
const options: TrainingOptions = { ...HINTON_SALAKHUTDINOV, epochs: 3, batchSize: 10 }

function record(units: '01' | 'pm1' = '01'): TrainingRecord {
  const t: TrainingRecord = {
    id: 'train1',
    name: 'RBM',
    datasetId: 'data1',
    visibleUnits: '01',
    layers: [],
    options,
    passUp: 'probabilities',
    seed: 99,
    status: 'draft',
    createdAt: '2026-01-01T00:00:00Z',
    arrays: {}
  }
  applyConfig(t, {
    ...defaultConfig(N, 99, true),
    visibleUnits: units,
    layers: [
      { nh: 8, hiddenUnits: '01' },
      { nh: 4, hiddenUnits: '01' }
    ],
    options
  })
  return own(t)
}

/** A real checkpoint of the 16 → 8 → 4 network in its second layer. */
function checkpoint(history: MonitorRecord[]): RbmTrainingCheckpoint {
  const rng = xoshiro128ss(3)
  const first = createTrainer({ nv: N, nh: 8, visibleUnits: '01', hiddenUnits: '01' }, options, rng)
  const passUp = rng.getState()
  const second = createTrainer(
    { nv: 8, nh: 4, visibleUnits: '01', hiddenUnits: '01' },
    { ...options, method: 'pcd' },
    rng
  )
  second.persistent = Float32Array.from({ length: 10 * 8 }, (_, k) => k % 2)
  second.permutation = Int32Array.from({ length: 36 }, (_, k) => 35 - k)
  second.epoch = 1
  second.batchIndex = 2
  second.rngState = rng.getState()
  return {
    version: 1,
    layer: 1,
    completed: [first.rbm],
    trainer: checkpointTrainer(second),
    passUpRngStates: [passUp],
    history,
    rngState: rng.getState(),
    arithmetic: ['WebAssembly SIMD']
  }
}

const monitors = (e: number) => ({ reconstructionError: 0.3 / e, pseudoLikelihood: -10 + e, freeEnergy: -3, notes: [] })
const frame = (layer: number, epoch: number, cp: RbmTrainingCheckpoint | undefined): RbmTrainingFrame =>
  ({ layer, epoch, monitors: monitors(epoch), checkpoint: cp }) as RbmTrainingFrame
const startCall = (i = 0) =>
  fake.raw['jobs.start'].mock.calls[i]![0] as {
    kind: string
    spec: RbmTrainingSpec
    seed: number
    rngState?: Uint32Array
    title: string
  }

/** A started 16 → 8 → 4 training, its job, and a checkpoint and network its result may carry. */
async function started() {
  const store = useTrainingsStore()
  const t = record()
  await store.start(t, { samples, model })
  const cp = checkpoint([])
  return {
    store,
    t,
    jobId: store.of('train1').jobId!,
    cp,
    dbn: { layers: [...cp.completed, { ...cp.trainer }], passUp: 'probabilities' }
  }
}

describe('trainings store', () => {
  it('starts an rbm.train job with the samples converted explicitly to {0,1}, a held-out tenth and the lattice', async () => {
    const store = useTrainingsStore()
    const t = record()
    store.load([t], {})
    await store.start(t, { samples, model })
    const call = startCall()
    expect(call.kind).toBe('rbm.train')
    expect(call.seed).toBe(99)
    expect(call.rngState).toBeUndefined()
    const { spec } = call
    expect(spec.data.rows).toBe(36)
    expect(spec.data.cols).toBe(N)
    expect(spec.heldOut!.rows).toBe(4)
    expect(spec.dataUnits).toBe('01')
    expect(Array.from(spec.data.data)).toEqual(Array.from(spins.subarray(0, 36 * N), (v) => (v + 1) / 2))
    expect(Array.from(spec.heldOut!.data)).toEqual(Array.from(spins.subarray(36 * N), (v) => (v + 1) / 2))
    expect(spec.layers).toEqual([
      { nh: 8, hiddenUnits: '01' },
      { nh: 4, hiddenUnits: '01' }
    ])
    expect(spec.options).toEqual({ training: options, passUp: 'probabilities', visibleUnits: '01' })
    expect(spec.lattice).toEqual({ Lx: L, Ly: L, K: 0.4 })
    expect(spec.monitors.physical).toBeTruthy()
    expect(spec.resume).toBeUndefined()
    expect(store.of('train1').phase).toBe('running')
  })

  it('a training renamed while its job runs, or after, retitles the job in the jobs strip', async () => {
    const { store, t, jobId, cp, dbn } = await started()
    const jobs = useJobsStore()
    await jobs.init()
    expect(startCall().title).toBe('RBM (16 → 8 → 4)')
    fake.emit('jobs.update', { id: jobId, kind: 'rbm.train', title: startCall().title, status: 'running', queuedAt: 1 })
    t.name = 'Deep net'
    store.renamed(t)
    expect(jobs.list.find((j) => j.id === jobId)!.title).toBe('Deep net (16 → 8 → 4)')
    // Later updates from the job keep the new title; dismissing forgets it.
    fake.emit('jobs.update', { id: jobId, kind: 'rbm.train', title: startCall().title, status: 'done', queuedAt: 1 })
    expect(jobs.list[0]!.title).toBe('Deep net (16 → 8 → 4)')
    // Renamed again after it finished: the job still listed follows.
    fake.emit('jobs.result', { jobId, result: { dbn, history: [], checkpoint: cp, complete: true }, cancelled: false })
    expect(store.of('train1').phase).toBe('done')
    t.name = 'Deeper net'
    store.renamed(t)
    expect(jobs.list[0]!.title).toBe('Deeper net (16 → 8 → 4)')
    await jobs.dismiss(jobId)
    expect(jobs.list).toHaveLength(0)
  })

  it('passes ±1 spins unchanged for ±1 units and leaves the physical monitors off off a uniform square', async () => {
    const store = useTrainingsStore()
    const t = record('pm1')
    await store.start(t, { samples, model: { ...model, uniform: { K: 0.4, h: 0.2 } } })
    const { spec } = startCall()
    expect(Array.from(spec.data.data)).toEqual(Array.from(spins.subarray(0, 36 * N)))
    expect(spec.options.visibleUnits).toBe('pm1')
    expect(spec.lattice).toBeUndefined()
    expect(spec.monitors.physical).toBe(false)
  })

  it('changes a record only through the actions of the project that owns it', async () => {
    const store = useTrainingsStore()
    store.setRecordActions(null)
    const t = record()
    const before = JSON.stringify(t)
    await store.start(t, { samples, model })
    const cp = checkpoint([])
    const dbn = { layers: [...cp.completed, { ...cp.trainer }], passUp: 'probabilities' }
    fake.emit('jobs.result', {
      jobId: store.of('train1').jobId!,
      result: { dbn, history: [], checkpoint: cp, complete: true },
      cancelled: false
    })
    expect(store.of('train1').phase).toBe('done')
    const finished = store.revision
    expect(finished).toBeGreaterThan(0) // the project hears of it and marks itself dirty
    store.discard(t)
    expect(store.of('train1').phase).toBe('draft')
    expect(store.revision).toBeGreaterThan(finished)
    expect(JSON.stringify(t)).toBe(before)
  })

  it('builds the history from frames, also when frames were merged', async () => {
    const store = useTrainingsStore()
    const t = record()
    await store.start(t, { samples, model })
    const jobId = store.of('train1').jobId!
    fake.emit('jobs.frame', { jobId, frame: frame(0, 1, undefined) })
    fake.emit('jobs.frame', { jobId, frame: frame(0, 2, undefined) })
    // Shown at most every 250 ms: the second frame waits for the next flush.
    expect(store.of('train1').history.map((h) => h.epoch)).toEqual([1])
    store.flushFrames()
    expect(store.of('train1').history.map((h) => h.epoch)).toEqual([1, 2])
    // A merged frame carries the newest record; its checkpoint holds the whole history.
    const all = [1, 2, 3].map((e) => ({ layer: 0, epoch: e, monitors: monitors(e) }))
    fake.emit('jobs.frame', { jobId, frame: frame(0, 3, checkpoint(all)) })
    store.flushFrames()
    expect(store.of('train1').history.map((h) => h.monitors.reconstructionError)).toEqual([1, 2, 3].map((e) => 0.3 / e))
    expect(store.of('train1').checkpoint?.layer).toBe(1)
  })

  it('saves a paused training with a fresh checkpoint and its arrays; reopened, Resume continues from it bit for bit', async () => {
    const store = useTrainingsStore()
    const t = record()
    await store.start(t, { samples, model })
    const jobId = store.of('train1').jobId!
    const history = [1, 2, 3].map((e) => ({ layer: 0, epoch: e, monitors: monitors(e) }))
    const cp = checkpoint(history)
    fake.emit('jobs.frame', { jobId, frame: frame(0, 3, cp) })
    await store.pause(t)
    expect(fake.raw['jobs.control']).toHaveBeenCalledWith({ jobId, action: 'pause' })
    expect(t.status).toBe('paused')
    fake.setSnapshot({ ok: true, data: cp })

    const saved = await store.collect([t])
    expect(fake.raw['jobs.snapshot']).toHaveBeenCalledWith({ jobId })
    const s = saved.trainings[0]!
    expect(s.status).toBe('paused')
    expect(s.checkpoint).toMatchObject({ version: 1, layer: 1, epoch: 1, batchIndex: 2 })
    expect(Object.keys(s.arrays).sort()).toEqual(
      [
        'W1',
        'W2',
        'a1',
        'a2',
        'b1',
        'b2',
        'passUpRng1',
        'permutation',
        'persistent',
        'rng',
        'trainerRng',
        'vW',
        'va',
        'vb'
      ].sort()
    )
    expect(saved.arrays['train1.W1']).toMatchObject({ dtype: '<f4', shape: [N, 8] })
    expect(saved.arrays['train1.W2']).toMatchObject({ dtype: '<f4', shape: [8, 4] })
    expect(saved.arrays['train1.rng']!.dtype).toBe('<u4')
    expect(saved.arrays['train1.permutation']!.dtype).toBe('<i4')
    expect(s.history).toEqual({ records: history })

    // Through the real project file.
    const doc = { project: emptyProject('1.0.0'), arrays: saved.arrays }
    doc.project.models.push(model)
    doc.project.datasets.push({
      id: 'data1',
      name: 'D',
      modelId: 'model1',
      algorithm: 'wolff',
      seed: 1,
      samples: n,
      burnIn: 0,
      thin: 1,
      tauInt: null,
      acceptance: null,
      createdAt: '',
      arrays: {}
    })
    doc.project.trainings = JSON.parse(JSON.stringify(saved.trainings))
    const decoded = decodeProject(encodeProject(doc, '1.0.0'))
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))

    setActivePinia(createPinia())
    const reopened = useTrainingsStore()
    const back = decoded.doc.project.trainings![0]! as TrainingRecord
    reopened.load([back], decoded.doc.arrays)
    expect(reopened.of('train1').phase).toBe('paused')
    await reopened.resume(back, { samples, model })
    await flushPromises()
    const call = startCall(1)
    expect(call.spec.resume).toEqual(cp)
    expect(call.rngState).toEqual(cp.rngState)
    expect(call.seed).toBe(99)
    // The rest of the spec is the original job's.
    const { resume: _, ...rest } = call.spec
    expect(rest).toEqual(startCall(0).spec)
  })

  it('a finished training is done and saved with its weights only; a stopped one stays resumable', async () => {
    const { store, t, jobId, cp, dbn } = await started()
    fake.emit('jobs.result', {
      jobId,
      result: { dbn, history: [], checkpoint: cp, complete: true, arithmetic: ['WebAssembly SIMD'] },
      cancelled: false
    })
    expect(t.status).toBe('done')
    const saved = await store.collect([t])
    expect(Object.keys(saved.trainings[0]!.arrays).sort()).toEqual(['W1', 'W2', 'a1', 'a2', 'b1', 'b2'])
    expect(saved.trainings[0]!.checkpoint).toBeUndefined()
    // The arithmetic that trained it is kept with the history, and read back.
    expect(saved.trainings[0]!.history).toEqual({ records: [], arithmetic: ['WebAssembly SIMD'] })
    setActivePinia(createPinia())
    const reopened = useTrainingsStore()
    reopened.load(saved.trainings, saved.arrays)
    expect(reopened.of('train1').arithmetic).toEqual(['WebAssembly SIMD'])

    const u = own({ ...record(), id: 'train2' })
    await store.start(u, { samples, model })
    const second = store.of('train2').jobId!
    await store.cancel(u)
    expect(fake.raw['jobs.control']).toHaveBeenCalledWith({ jobId: second, action: 'cancel' })
    fake.emit('jobs.result', {
      jobId: second,
      result: { dbn, history: [], checkpoint: cp, complete: false },
      cancelled: true
    })
    expect(u.status).toBe('paused')
    expect(store.of('train2').checkpoint).toBe(cp)
  })

  it('a Pause that reaches a job that has just finished leaves the training done, and it is saved with its weights', async () => {
    const { store, t, jobId, cp, dbn } = await started()
    // The result overtakes the click: the broker no longer knows a running job to pause.
    fake.raw['jobs.control'].mockImplementationOnce(async () => {
      fake.emit('jobs.result', {
        jobId,
        result: { dbn, history: [], checkpoint: cp, complete: true },
        cancelled: false
      })
      return { ok: false }
    })
    await store.pause(t)
    expect(store.of('train1').phase).toBe('done')
    expect(t.status).toBe('done')
    const saved = await store.collect([t])
    expect(saved.trainings[0]!.status).toBe('done')
    expect(Object.keys(saved.trainings[0]!.arrays).sort()).toEqual(['W1', 'W2', 'a1', 'a2', 'b1', 'b2'])
  })

  it('a training paused, saved through the project file and resumed ends with the same weights, bit for bit', async () => {
    const store = useTrainingsStore()
    const t = record()
    t.options = { ...options, epochs: 3, batchSize: 6, shuffle: true }
    t.layers = [
      { nh: 6, hiddenUnits: '01' },
      { nh: 3, hiddenUnits: '01' }
    ]
    t.monitors = { logLikelihood: 'auto', physical: true }
    await store.start(t, { samples, model })
    const { spec, seed } = startCall()
    spec.monitors.physical = { chains: 2, burnIn: 3, samplesPerChain: 3, dataGroups: 2 }
    spec.options.frameIntervalMs = 0 // a frame per epoch, to pick the one to pause at
    const run = async (s: RbmTrainingSpec, rng: ReturnType<typeof xoshiro128ss>) => {
      const host = new FakeJobHost<RbmTrainingFrame>()
      return { host, result: (await runRbmTraining(s, rng, host.sink, host.signal)) as RbmTrainingResult }
    }
    const straight = await run(spec, xoshiro128ss(seed))
    const bits = (r: RbmTrainingResult) => r.dbn.layers.map((l) => Array.from(new Uint32Array(l.W.slice().buffer)))

    // Paused after layer 2's first epoch, saved with that frame's checkpoint.
    const jobId = store.of('train1').jobId!
    const at = straight.host.frames[3]!
    fake.emit('jobs.frame', { jobId, frame: at })
    await store.pause(t)
    const saved = await store.collect([t])
    const project = emptyProject('1.0.0')
    project.models.push(model)
    project.datasets.push({
      id: 'data1',
      name: 'D',
      modelId: 'model1',
      algorithm: 'wolff',
      seed: 1,
      samples: n,
      burnIn: 0,
      thin: 1,
      tauInt: null,
      acceptance: null,
      createdAt: '',
      arrays: {}
    })
    project.trainings = JSON.parse(JSON.stringify(saved.trainings))
    const decoded = decodeProject(encodeProject({ project, arrays: saved.arrays }, '1.0.0'))
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))

    setActivePinia(createPinia())
    const reopened = useTrainingsStore()
    const back = decoded.doc.project.trainings![0]! as TrainingRecord
    reopened.load([back], decoded.doc.arrays)
    await reopened.resume(back, { samples, model })
    const call = startCall(1)
    call.spec.monitors.physical = spec.monitors.physical
    call.spec.options.frameIntervalMs = 0
    const resumed = await run(call.spec, xoshiro128ssFromState(call.rngState!))
    expect(resumed.result.complete).toBe(true)
    expect(bits(resumed.result)).toEqual(bits(straight.result))
    expect(resumed.result.history).toEqual(straight.result.history)
  })
})
