import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useDataStore } from '../../src-renderer/src/stores/data'
import { useModelsStore } from '../../src-renderer/src/stores/models'
import { PAPER_DATASET, useProjectItems, type DatasetOptions } from '../../src-renderer/src/stores/projectItems'
import { useProjectRemovals } from '../../src-renderer/src/stores/projectRemovals'
import { useTrainingsStore } from '../../src-renderer/src/stores/trainings'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import type { TrainingRecord } from '../../src-renderer/src/logic/trainingSpec'
import { HINTON_SALAKHUTDINOV } from '@core/rbm/optimizer'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { DatasetSpec } from '@core/jobs/isingDataset'
import { presetModel, PRESETS } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { ProjectModel } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { datasetResult } from './generalFixtures'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  setApi(null)
  vi.useRealTimers()
})

async function setup() {
  const stores = await setupProject(fake)
  return {
    ...stores,
    items: useProjectItems(),
    removals: useProjectRemovals(),
    models: useModelsStore(),
    data: useDataStore()
  }
}
const OPTS: DatasetOptions = {
  algorithm: 'heatbath',
  samples: 1000,
  burnIn: 300,
  thin: 4,
  seed: 4242,
  keepSamples: false
}
const started = (call = 0) => fake.raw['jobs.start'].mock.calls[call]![0]
const specOf = (call = 0) => started(call).spec as DatasetSpec

describe('addModel', () => {
  it('adds every preset under a unique id with a name; random presets record their seed', async () => {
    const { project, items } = await setup()
    const ids = PRESETS.map((p) => items.addModel(p.name, { seed: 7 }))
    expect(ids).toEqual(['model2', 'model3', 'model4', 'model5', 'model6', 'model7', 'model8'])
    expect(project.project.models.map((m) => m.name)).toEqual([
      'Square lattice',
      'Ferromagnet 16×16',
      'Antiferromagnet 16×16',
      'Anisotropic 16×16',
      'Next-nearest neighbours 16×16',
      'Spin glass (±K) 16×16',
      'Random field 16×16',
      'The paper’s 40×40'
    ])
    const byPreset: Record<string, ProjectModel> = Object.fromEntries(
      project.project.models.slice(1).map((m) => [m.preset, m])
    )
    expect(byPreset['spin-glass']!.presetSeed).toBe(7)
    expect(byPreset['random-field']!.presetSeed).toBe(7)
    expect(Object.values(byPreset).filter((m) => m.presetSeed !== undefined)).toHaveLength(2)
    expect(byPreset['antiferromagnet']!.uniform).toEqual({ K: -0.4, h: 0 })
    expect(byPreset['anisotropic']!.uniform).toEqual({ K: 0.4, Ky: 0.2, h: 0 })
    expect(byPreset['paper-40x40']).toMatchObject({
      lattice: { kind: 'square', Lx: 40, Ly: 40 },
      uniform: { K: 0.408, h: 0 }
    })
    expect(project.tabs.at(-1)).toBe('model8')
    expect(project.selectedId).toBe('model8')
    expect(project.dirty).toBe(true)
  })

  it('a random preset’s seed reproduces the same couplings, in the editor and in the saved arrays', async () => {
    const { project, items, models } = await setup()
    const id = items.addModel('spin-glass', { L: 6, K: 0.5, seed: 1234 })
    const expected = presetModel('spin-glass', { L: 6, K: 0.5, rng: xoshiro128ss(1234) }).couplings
    expect(Array.from(models.docs[id]!.model.couplings)).toEqual(Array.from(expected))
    expect(new Set(expected)).toEqual(new Set([0.5, -0.5]))
    const other = presetModel('spin-glass', { L: 6, K: 0.5, rng: xoshiro128ss(1235) }).couplings
    expect(Array.from(other)).not.toEqual(Array.from(expected))
    const record = project.project.models.find((m) => m.id === id)!
    expect(record.presetSeed).toBe(1234)
    const saved = models.collect([record])
    expect(Array.from(saved.arrays[`${id}.couplings`]!.data)).toEqual(Array.from(expected))
    const field = items.addModel('random-field', { L: 4, h: 0.25, seed: 99 })
    expect(Array.from(models.dataOf(project.project.models.find((m) => m.id === field)!).fields!)).toEqual(
      Array.from(presetModel('random-field', { L: 4, h: 0.25, rng: xoshiro128ss(99) }).fields)
    )
  })
})

describe('removeModel', () => {
  it('asks first and removes nothing on Cancel; on Delete takes its runs and datasets along', async () => {
    const { project, items, models, data, ui, live, removals } = await setup()
    models.docFor(project.project.models[0]!)
    await items.generateDataset('model1', OPTS)
    fake.emit('jobs.result', {
      jobId: data.pending[0]!.jobId,
      result: datasetResult(128 * 128, 2, false),
      cancelled: false
    })
    const other = items.addModel('ferromagnet', { L: 4 })
    expect(project.project.datasets.map((d) => d.id)).toEqual(['data1'])

    const asking = removals.removeModel('model1')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Delete model',
      message: 'Delete “Square lattice” with its 1 run and 1 dataset?',
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await asking
    expect(project.project.models.map((m) => m.id)).toEqual(['model1', other])
    expect(project.project.runs).toHaveLength(1)
    expect(project.project.datasets).toHaveLength(1)
    expect(Object.keys(data.arrays)).toHaveLength(2)

    const deleting = removals.removeModel('model1')
    await flushPromises()
    ui.answerConfirm(0)
    await deleting
    expect(project.project.models.map((m) => m.id)).toEqual([other])
    expect(project.project.runs).toEqual([])
    expect(project.project.datasets).toEqual([])
    expect(data.arrays).toEqual({})
    expect(live.chains['run1']).toBeUndefined()
    expect(models.docs['model1']).toBeUndefined()
    expect(project.tabs).not.toContain('model1')
  })

  it('names no runs or datasets when there are none', async () => {
    const { project, items, ui, removals } = await setup()
    const id = items.addModel('ferromagnet', { L: 4 })
    const deleting = removals.removeModel(id)
    await flushPromises()
    expect(ui.confirmState?.message).toBe('Delete “Ferromagnet 4×4”?')
    ui.answerConfirm(0)
    await deleting
    expect(project.project.models.map((m) => m.id)).toEqual(['model1'])
  })
})

describe('jobs from models', () => {
  it('generateDataset sends the edited model and the options', async () => {
    const { items, models, project, data } = await setup()
    const id = items.addModel('ferromagnet', { L: 4, K: 0.3 })
    const doc = models.docFor(project.project.models.find((m) => m.id === id)!)
    const couplings = Float64Array.from(doc.model.couplings)
    couplings[3] = 0.9
    models.update(id, { model: { ...doc.model, couplings }, spins: doc.spins })
    await items.generateDataset(id, OPTS)
    expect(started()).toMatchObject({
      kind: 'ising.dataset',
      title: '1,000 samples of Ferromagnet 4×4',
      interactive: false,
      seed: 4242
    })
    const spec = specOf()
    expect(spec).toMatchObject({
      algorithm: 'heatbath',
      samples: 1000,
      burnIn: 300,
      thin: 4,
      start: 'random',
      keepSamples: false
    })
    expect(spec.model.lattice).toEqual({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true })
    expect(spec.model.uniform).toEqual({ K: 0.3, h: 0 })
    expect(spec.model.fields).toBeUndefined()
    expect(Array.from(spec.model.couplings!)).toEqual(Array.from({ length: 32 }, (_, b) => (b === 3 ? 0.9 : 0.3)))
    expect(data.pending).toMatchObject([{ kind: 'dataset', id: 'data1', sourceId: id }])
  })

  it('sends plain data that survives structured cloning (no reactive proxies)', async () => {
    const { items, project, models } = await setup()
    await items.generateDataset('model1', OPTS)
    await items.solveExactly('model1')
    models.docFor(project.project.models[0]!)
    await items.generateDataset('model1', OPTS)
    for (const [args] of fake.raw['jobs.start'].mock.calls) expect(() => structuredClone(args)).not.toThrow()
    expect(specOf(0).model.lattice).toEqual({ kind: 'square', Lx: 128, Ly: 128, periodicX: true, periodicY: true })
  })

  it('a damaged model shows an error and starts nothing', async () => {
    const { items, project, ui } = await setup()
    project.project.models.push({
      id: 'bad',
      name: 'Bad',
      lattice: { kind: 'chain', N: 4, periodic: true },
      uniform: { K: 1, h: 0 },
      arrays: { fields: 'bad.h' }
    })
    await items.generateDataset('bad', OPTS)
    expect(ui.errorMessage).toEqual({
      title: 'The dataset was not started',
      message: 'the fields of model “Bad” are missing or not float64'
    })
    await items.solveExactly('bad')
    expect(ui.errorMessage?.title).toBe('The model could not be solved')
    expect(fake.raw['jobs.start']).not.toHaveBeenCalled()
  })

  it('paperDataset adds the 40×40 model at K = 0.408 once and asks for 20,000 samples', async () => {
    const { items, project, data } = await setup()
    await items.paperDataset()
    // A second press asks first: the paper's seed again would give the very same samples.
    const second = items.paperDataset()
    await flushPromises()
    const ui = useUiStore()
    expect(ui.confirmState?.message).toContain('the same seed gives the same samples')
    ui.answerConfirm(0)
    await second
    const paper = project.project.models.filter((m) => m.preset === 'paper-40x40')
    expect(paper.map((m) => m.id)).toEqual(['model2'])
    expect(project.project.models).toHaveLength(2)
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(2)
    expect(started(0)).toMatchObject({
      kind: 'ising.dataset',
      seed: 1410,
      title: '20,000 samples of The paper’s 40×40'
    })
    const seed = started(1).seed
    expect(seed).not.toBe(1410)
    expect(started(1).title).toBe(`20,000 samples of The paper’s 40×40, seed ${seed}`)
    expect(ui.notice).toContain(`seed ${seed} instead of 1410`)
    for (const call of [0, 1]) {
      expect(specOf(call)).toMatchObject({
        algorithm: 'wolff',
        samples: 20_000,
        burnIn: 2000,
        thin: 'auto',
        keepSamples: true
      })
      expect(specOf(call).model).toEqual({
        lattice: { kind: 'square', Lx: 40, Ly: 40, periodicX: true, periodicY: true },
        uniform: { K: 0.408, h: 0 }
      })
    }
    expect(PAPER_DATASET.samples).toBe(20_000)
    expect(data.pending.map((p) => [p.id, p.sourceId])).toEqual([
      ['data1', 'model2'],
      ['data2', 'model2']
    ])
    // Cancel starts nothing.
    const third = items.paperDataset()
    await flushPromises()
    ui.answerConfirm(1)
    await third
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(2)
  })

  it('solveExactly sends ising.exact with the model; runSweep sends ising.sweep', async () => {
    const { items, data } = await setup()
    const id = items.addModel('anisotropic', { L: 3 })
    await items.solveExactly(id)
    expect(started()).toEqual({
      kind: 'ising.exact',
      title: 'Exact solution of Anisotropic 3×3',
      interactive: false,
      seed: 0,
      spec: {
        model: {
          lattice: { kind: 'square', Lx: 3, Ly: 3, periodicX: true, periodicY: true },
          uniform: { K: 0.4, Ky: 0.2, h: 0 }
        }
      }
    })
    const sweep = {
      Ls: [8, 16],
      Ks: [0.4, 0.42, 0.44],
      h: 0,
      algorithm: 'wolff' as const,
      burnIn: 100,
      sweeps: 1000,
      start: 'random' as const
    }
    await items.runSweep(sweep, 31)
    expect(started(1)).toEqual({
      kind: 'ising.sweep',
      title: 'Sweep K 0.4…0.44, L = 8, 16',
      interactive: false,
      spec: sweep,
      seed: 31
    })
    expect(data.pending.map((p) => [p.kind, p.id])).toEqual([
      ['exact', 'exact1'],
      ['sweep', 'sweep1']
    ])
  })
})

describe('removing datasets and analyses', () => {
  it('drops the record, its arrays and its tab', async () => {
    const { items, project, data, ui, removals } = await setup()
    await items.generateDataset('model1', OPTS)
    await items.runSweep({ Ls: [4], Ks: [0.4], h: 0, algorithm: 'wolff', burnIn: 0, sweeps: 10, start: 'up' }, 1)
    fake.emit('jobs.result', {
      jobId: data.pending[0]!.jobId,
      result: datasetResult(128 * 128, 2, false),
      cancelled: false
    })
    fake.emit('jobs.result', { jobId: data.pending[0]!.jobId, result: { points: [] }, cancelled: false })
    expect(project.tabs).toEqual(['run1', 'data1', 'sweep1'])
    await nextTick()
    // Without trainings it goes at once, without asking.
    void removals.removeDataset('data1')
    removals.removeAnalysis('sweep1')
    expect(ui.confirmState).toBeNull()
    expect(project.project.datasets).toEqual([])
    expect(project.project.analyses).toEqual([])
    expect(data.arrays).toEqual({})
    expect(project.tabs).toEqual(['run1'])
  })
})

/** A training record of `datasetId` with two layers (the options are not read here). */
function trainingRecord(
  id: string,
  name: string,
  status: TrainingRecord['status'],
  datasetId = 'data1'
): TrainingRecord {
  return {
    id,
    name,
    datasetId,
    visibleUnits: '01',
    layers: [
      { nh: 8, hiddenUnits: '01' },
      { nh: 4, hiddenUnits: '01' }
    ],
    options: { ...HINTON_SALAKHUTDINOV },
    passUp: 'probabilities',
    seed: 1,
    status,
    createdAt: '2026-01-01T00:00:00Z',
    arrays: {}
  }
}

/** The stores with these trainings in the project and in the trainings store. */
async function withTrainings(records: TrainingRecord[]) {
  const stores = await setup()
  stores.project.project.trainings = records
  useTrainingsStore().load(records, {})
  return { ...stores, trainings: useTrainingsStore() }
}

/** Removes a training, expecting the question `message`, and answers it (0: Delete, 1: Cancel). */
async function removeAnswering(id: string, message: string, answer: 0 | 1): Promise<void> {
  const removing = useProjectRemovals().removeTraining(id)
  await flushPromises()
  expect(useUiStore().confirmState?.message).toBe(message)
  useUiStore().answerConfirm(answer)
  await removing
}

describe('renameTraining', () => {
  it('renames a training with the name trimmed, ignores empty names and marks the project dirty', async () => {
    const { project, items } = await setup()
    project.project.trainings = [trainingRecord('train1', 'RBM 1', 'draft')]
    expect(project.dirty).toBe(false)
    items.renameTraining('train1', '   ')
    items.renameTraining('train1', '')
    items.renameTraining('train1', 'RBM 1')
    expect(project.project.trainings[0]!.name).toBe('RBM 1')
    expect(project.dirty).toBe(false)
    items.renameTraining('train1', '  Deep net at K = 0.44  ')
    expect(project.project.trainings[0]!.name).toBe('Deep net at K = 0.44')
    expect(project.dirty).toBe(true)
    items.renameTraining('nope', 'Other')
    expect(project.project.trainings.map((t) => t.name)).toEqual(['Deep net at K = 0.44'])
  })
})

describe('training records', () => {
  it('change as their trainings are reset and finish, through the project store’s actions, and mark the project dirty', async () => {
    const record = trainingRecord('train1', 'RBM 1', 'draft')
    const { project, trainings } = await withTrainings([record])
    project.project.trainings![0]!.status = 'done' // as saved: reset to a draft below
    trainings.discard(project.project.trainings![0]!)
    const t = project.project.trainings![0]!
    expect(t).toMatchObject({ status: 'draft', arrays: {} })
    expect('history' in t || 'checkpoint' in t).toBe(false)
    await nextTick()
    expect(project.dirty).toBe(true)

    // A job's result: the record in the project follows.
    const samples = { dtype: '|i1' as const, shape: [10, 4], data: new Int8Array(40).fill(1) }
    await trainings.start(t, { samples })
    const jobId = trainings.of('train1').jobId!
    const dbn = { layers: [], passUp: 'probabilities' }
    fake.emit('jobs.result', {
      jobId,
      result: { dbn, history: [], checkpoint: null, complete: true, arithmetic: [] },
      cancelled: false
    })
    expect(trainings.of('train1').phase).toBe('done')
    expect(project.project.trainings![0]!.status).toBe('done')
  })
})

describe('removeTraining', () => {
  it('deletes a draft without asking', async () => {
    const { project, ui, removals } = await withTrainings([
      trainingRecord('train1', 'RBM 1', 'draft'),
      trainingRecord('train2', 'RBM 2', 'draft')
    ])
    project.openTab('train1')
    await removals.removeTraining('train1')
    expect(ui.confirmState).toBeNull()
    expect(project.project.trainings!.map((t) => t.id)).toEqual(['train2'])
    expect(project.tabs).not.toContain('train1')
    expect(project.dirty).toBe(true)
  })

  it('asks before deleting a done training; Cancel keeps it, Delete removes it', async () => {
    const { project, ui, trainings, removals } = await withTrainings([trainingRecord('train1', 'RBM 1', 'done')])
    const asking = removals.removeTraining('train1')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Delete training',
      message: 'Delete “RBM 1” and its trained weights?',
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await asking
    expect(project.project.trainings!.map((t) => t.id)).toEqual(['train1'])

    trainings.runtime = { train1: { ...trainings.of('train1'), phase: 'done', dbn: {} as Dbn } }
    await removeAnswering('train1', 'Delete “RBM 1” and its trained weights?', 0)
    expect(project.project.trainings).toEqual([])
    expect(trainings.runtime['train1']).toBeUndefined()
  })

  it('names the epoch a paused training reached, and asks about a draft whose job is running', async () => {
    const { project, trainings } = await withTrainings([
      trainingRecord('train1', 'RBM 1', 'paused'),
      trainingRecord('train2', 'RBM 2', 'draft')
    ])
    await removeAnswering('train1', 'Delete “RBM 1” and its progress?', 1)

    const checkpoint = { layer: 1, trainer: { epoch: 3 } } as unknown as RbmTrainingCheckpoint
    trainings.runtime = {
      ...trainings.runtime,
      train1: { ...trainings.of('train1'), checkpoint },
      train2: { ...trainings.of('train2'), phase: 'running', jobId: 'job-9' }
    }
    await removeAnswering('train1', 'Delete “RBM 1” and its progress (layer 2, epoch 3)?', 0)
    await removeAnswering('train2', 'Delete “RBM 2” and its progress?', 0)
    expect(project.project.trainings).toEqual([])
  })

  it('asks before deleting a dataset with trainings: Cancel keeps it, Delete takes its trainings along', async () => {
    const { items, project, data, ui, removals } = await setup()
    await items.generateDataset('model1', OPTS)
    fake.emit('jobs.result', {
      jobId: data.pending[0]!.jobId,
      result: datasetResult(128 * 128, 2, false),
      cancelled: false
    })
    project.project.trainings = [
      trainingRecord('train1', 'RBM 1', 'done'),
      trainingRecord('train2', 'RBM 2', 'draft', 'data9'),
      trainingRecord('train3', 'RBM 3', 'draft')
    ]
    const name = project.project.datasets[0]!.name
    const asking = removals.removeDataset('data1')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Delete dataset',
      message: `Delete “${name}” with its 2 trainings?`,
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await asking
    expect(project.project.datasets.map((d) => d.id)).toEqual(['data1'])
    expect(project.project.trainings.map((t) => t.id)).toEqual(['train1', 'train2', 'train3'])
    expect(Object.keys(data.arrays).length).toBeGreaterThan(0)

    project.project.trainings = project.project.trainings.filter((t) => t.id !== 'train3')
    const deleting = removals.removeDataset('data1')
    await flushPromises()
    expect(ui.confirmState?.message).toBe(`Delete “${name}” with its 1 training?`)
    ui.answerConfirm(0)
    await deleting
    expect(ui.confirmState).toBeNull()
    expect(project.project.datasets).toEqual([])
    expect(project.project.trainings.map((t) => t.id)).toEqual(['train2'])
    expect(data.arrays).toEqual({})
  })

  it('deleting a model names the trainings of its datasets and asks only once', async () => {
    const { items, project, data, ui, models, removals } = await setup()
    models.docFor(project.project.models[0]!)
    await items.generateDataset('model1', OPTS)
    fake.emit('jobs.result', {
      jobId: data.pending[0]!.jobId,
      result: datasetResult(128 * 128, 2, false),
      cancelled: false
    })
    project.project.trainings = [
      trainingRecord('train1', 'RBM 1', 'done'),
      trainingRecord('train2', 'RBM 2', 'draft'),
      trainingRecord('train3', 'RBM 3', 'draft', 'data9')
    ]
    const deleting = removals.removeModel('model1')
    await flushPromises()
    expect(ui.confirmState?.message).toBe('Delete “Square lattice” with its 1 run, 1 dataset and 2 trainings?')
    ui.answerConfirm(0)
    await flushPromises()
    await deleting
    expect(ui.confirmState).toBeNull()
    expect(project.project.models).toEqual([])
    expect(project.project.datasets).toEqual([])
    expect(project.project.trainings.map((t) => t.id)).toEqual(['train3'])
  })
})
