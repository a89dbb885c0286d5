import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useTrainingsStore } from '../../src-renderer/src/stores/trainings'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import TrainingView from '../../src-renderer/src/views/TrainingView.vue'
import { checkpointToArrays } from '@shared/project/trainingArrays'
import type { TrainingRecord } from '../../src-renderer/src/logic/trainingSpec'
import { checkpointTrainer, createTrainer, HINTON_SALAKHUTDINOV } from '@core/rbm/train'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import { emptyProject } from '@shared/project/model'
import type { NpyArray, ProjectDoc } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

const L = 4
const N = L * L
const n = 40
const spins = Int8Array.from({ length: n * N }, (_, k) => ((Math.floor(k / N) * 7 + (k % N)) % 5 < 2 ? 1 : -1))

function training(status: 'draft' | 'paused'): TrainingRecord {
  return {
    id: 'train1',
    name: 'RBM on the 4×4 samples',
    datasetId: 'data1',
    visibleUnits: '01',
    layers: [
      { nh: 8, hiddenUnits: '01' },
      { nh: 4, hiddenUnits: '01' }
    ],
    options: { ...HINTON_SALAKHUTDINOV, epochs: 5, batchSize: 6 },
    passUp: 'probabilities',
    seed: 3,
    status,
    createdAt: '2026-01-01T00:00:00Z',
    arrays: {},
    monitors: { logLikelihood: 'auto', physical: true }
  }
}

/** A paused 16 → 8 → 4 network in its second layer, with three epochs of monitors per layer. */
function pausedCheckpoint(): RbmTrainingCheckpoint {
  const rng = xoshiro128ss(8)
  const options = { ...HINTON_SALAKHUTDINOV, epochs: 5, batchSize: 6 }
  const first = createTrainer({ nv: N, nh: 8, visibleUnits: '01', hiddenUnits: '01' }, options, rng)
  const second = createTrainer({ nv: 8, nh: 4, visibleUnits: '01', hiddenUnits: '01' }, options, rng)
  const est = (value: number) => ({ value, error: 0.01 })
  const obs = (s: number) => ({
    e: est(-0.8 * s),
    absM: est(0.4 * s),
    c: est(0.9),
    chiAbs: est(1.5),
    samples: 400,
    groups: 10
  })
  const history = [0, 1].flatMap((layer) =>
    [1, 2, 3].map((epoch) => ({
      layer,
      epoch,
      monitors: {
        reconstructionError: 0.2 / epoch,
        pseudoLikelihood: -9 + epoch,
        logLikelihood: -10 + epoch,
        logLikelihoodHeldOut: -10.5 + epoch,
        logZ: 12,
        logZStderr: 0,
        logZMethod: 'exact' as const,
        freeEnergy: -4,
        freeEnergyGap: { train: -4, heldOut: -3.8, gap: 0.2 },
        notes: [],
        ...(layer === 0 ? { physical: { model: obs(epoch / 3), data: obs(1), zE: 0.1, zAbsM: 0.2 } } : {})
      }
    }))
  )
  return {
    version: 1,
    layer: 1,
    completed: [first.rbm],
    trainer: checkpointTrainer(second),
    passUpRngStates: [rng.getState()],
    history,
    rngState: rng.getState(),
    arithmetic: ['TypeScript', 'WebAssembly SIMD, fused multiply-add']
  }
}

function doc(status: 'draft' | 'paused'): ProjectDoc {
  const project = emptyProject('1.0.0')
  project.models.push({
    id: 'model1',
    name: '4×4',
    lattice: { kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true },
    uniform: { K: 0.4, h: 0 },
    arrays: {}
  })
  project.datasets.push({
    id: 'data1',
    name: '40 samples',
    modelId: 'model1',
    algorithm: 'wolff',
    seed: 1,
    samples: n,
    burnIn: 0,
    thin: 1,
    tauInt: null,
    acceptance: null,
    createdAt: '',
    arrays: { samples: 'data1.samples', energy: 'data1.energy', magnetisation: 'data1.magnetisation' }
  })
  const arrays: Record<string, NpyArray> = {
    'data1.samples': { dtype: '|i1', shape: [n, L, L], data: spins },
    'data1.energy': { dtype: '<f8', shape: [n], data: new Float64Array(n) },
    'data1.magnetisation': { dtype: '<f8', shape: [n], data: new Float64Array(n) }
  }
  const t = training(status)
  if (status === 'paused') {
    const cp = checkpointToArrays(pausedCheckpoint())
    for (const [role, array] of Object.entries(cp.arrays)) {
      arrays[`train1.${role}`] = array
      t.arrays[role] = `train1.${role}`
    }
    t.checkpoint = cp.scalars
    t.history = { records: pausedCheckpoint().history }
  }
  project.trainings = [t]
  return { project, arrays }
}

let fake: ReturnType<typeof createFakeApi>
let wrapper: VueWrapper | null = null
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600)
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300)
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  vi.useRealTimers()
  vi.restoreAllMocks()
  setApi(null)
  document.body.innerHTML = ''
})

async function open(status: 'draft' | 'paused') {
  const { project } = await setupProject(fake, { nativeDialogs: true })
  fake.replies.open = { status: 'opened', path: '/p/t.blockspin', name: 't.blockspin', doc: doc(status) }
  await project.open()
  wrapper = mount(TrainingView, { props: { trainingId: 'train1' }, attachTo: document.body })
  await flushPromises()
  return { project, w: wrapper }
}

/** Presses “Train again…” / “Discard progress” and answers the question with button `index`. */
async function resetAnswering(w: VueWrapper, index: number): Promise<void> {
  await w.get('[data-testid="training-reset"]').trigger('click')
  await flushPromises()
  useUiStore().answerConfirm(index)
  await flushPromises()
}

const input = (w: VueWrapper, id: string) => w.get(`[data-testid="${id}"]`).element as HTMLInputElement

describe('TrainingView', () => {
  it('explains what is wrong with the configuration and starts nothing until it is right', async () => {
    const { w, project } = await open('draft')
    expect(w.get('[data-testid="training-shape"]').text()).toBe('16 → 8 → 4')
    await w.get('[data-testid="training-layers"]').setValue('8, x')
    await w.get('[data-testid="training-batch"]').setValue('100')
    await w.get('[data-testid="training-lr"]').setValue('-1')
    const problems = w.get('[data-testid="training-problems"]').text()
    expect(problems).toContain('Layer sizes must be whole numbers ≥ 1 separated by commas')
    expect(problems).toContain('The learning rate must be a number greater than 0.')
    await w.get('[data-testid="training-start"]').trigger('click')
    await flushPromises()
    expect(fake.raw['jobs.start']).not.toHaveBeenCalled()
    expect((w.get('[data-testid="training-start"]').element as HTMLButtonElement).disabled).toBe(true)

    await w.get('[data-testid="training-layers"]').setValue('8, 4')
    await w.get('[data-testid="training-lr"]').setValue('0.05')
    expect(w.get('[data-testid="training-problems"]').text()).toContain(
      'The batch size (100) is larger than the 36 training samples.'
    )
    await w.get('[data-testid="training-batch"]').setValue('6')
    expect(w.find('[data-testid="training-problems"]').exists()).toBe(false)
    expect(project.project.trainings![0]!.options).toMatchObject({ learningRate: 0.05, batchSize: 6 })
    await w.get('[data-testid="training-start"]').trigger('click')
    await flushPromises()
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    expect(fake.raw['jobs.start'].mock.calls[0]![0]).toMatchObject({ kind: 'rbm.train', seed: 3 })
    expect(w.get('[data-testid="training-phase"]').text()).toBe('running')
  })

  it('estimates the duration before Start, and warns when it is over ten minutes', async () => {
    const { w } = await open('draft')
    await w.get('[data-testid="training-layers"]').setValue('4')
    await w.get('[data-testid="training-epochs"]').setValue('5')
    const estimate = () => w.get('[data-testid="training-estimate"]')
    expect(estimate().text()).toMatch(/^About \d+ s on this machine/)
    expect(estimate().classes()).not.toContain('warn')
    // 16 → 20000 units, 100000 epochs: ~6·10¹² multiply-adds, hours on any machine.
    await w.get('[data-testid="training-layers"]').setValue('20000')
    await w.get('[data-testid="training-epochs"]').setValue('100000')
    expect(estimate().classes()).toContain('warn')
    expect(estimate().text()).toContain('more than ten minutes')
  })

  it('fills in the paper’s settings (Hinton–Salakhutdinov defaults) with one button', async () => {
    const { w } = await open('draft')
    await w.get('[data-testid="training-epochs"]').setValue('7')
    await w.get('[data-testid="training-preset"]').trigger('click')
    expect(input(w, 'training-layers').value).toBe('400, 100, 25')
    expect(input(w, 'training-method').value).toBe('cd')
    expect(input(w, 'training-k').value).toBe('1')
    expect(input(w, 'training-epochs').value).toBe('200')
    expect(input(w, 'training-batch').value).toBe('100')
    expect(input(w, 'training-lr').value).toBe('0.1')
    expect(input(w, 'training-momentum-initial').value).toBe('0.5')
    expect(input(w, 'training-momentum-final').value).toBe('0.9')
    expect(input(w, 'training-momentum-switch').value).toBe('5')
    expect(input(w, 'training-l1').value).toBe('0.0002')
    expect(input(w, 'training-visible-units').value).toBe('01')
    expect(input(w, 'training-passup').value).toBe('probabilities')
    expect(w.findAll('[data-testid^="training-hidden-units-"]')).toHaveLength(3)
  })

  it('shows a paused training’s curves with error bars and reference lines, receptive fields and reconstructions', async () => {
    const { w } = await open('paused')
    expect(w.get('[data-testid="training-phase"]').text()).toBe('paused')
    expect(w.find('[data-testid="training-resume"]').exists()).toBe(true)
    // The arithmetic that trained it, read back from the file; resumed on other kernels, it says so.
    expect(w.get('[data-testid="training-arithmetic"]').text()).toBe(
      'TypeScript, then WebAssembly SIMD, fused multiply-add'
    )
    expect(w.get('[data-testid="training-arithmetic-note"]').text()).toContain(
      'not bit-identical to an uninterrupted run'
    )
    expect(w.get('[data-testid="chart-reconstruction"]').attributes('data-points')).toBe('6')
    for (const key of [
      'pseudo-likelihood',
      'log-likelihood',
      'free-energy-gap',
      'physical-e',
      'physical-absM',
      'physical-c',
      'physical-chiAbs'
    ]) {
      expect(w.find(`[data-testid="chart-${key}"]`).exists(), key).toBe(true)
    }
    expect(w.get('[data-testid="chart-physical-e"]').attributes('data-points')).toBe('3')
    // The monitors' susceptibility is the |m| convention, labelled χ′ with its formula (not χ).
    expect(w.get('[data-testid="chart-physical-chiAbs"]').text()).toContain('Susceptibility χ′ = N(⟨m²⟩−⟨|m|⟩²)')
    // ECharts drew something (SVG renderer here), and every chart offers its exports.
    expect(w.findAll('[data-testid^="chart-"] svg').length).toBeGreaterThan(0)
    expect(w.findAll('[data-testid^="chart-"] [data-testid="export-csv"]')).toHaveLength(8)
    expect(w.get('[data-testid="weight-convention"]').text()).toContain('ML convention W')
    expect(w.get('[data-testid="weight-convention"]').text()).toContain('w = −W')
    expect(w.findAll('[data-testid^="field-1-"]')).toHaveLength(8)
    expect(w.findAll('[data-testid^="field-2-"]')).toHaveLength(4)
    await w.get('[data-testid="field-2-1"]').trigger('click')
    expect(w.get('[data-testid="field-detail"]').text()).toContain('layer 2, unit 2')
    expect(w.findAll('[data-testid="reconstructions"] tbody tr')).toHaveLength(4)
    expect(w.findAll('[data-testid="reconstructions"] thead th')).toHaveLength(3)
  })

  it('offers a learning-rate schedule with only the fields it needs, a hint of the final rate, and saves it', async () => {
    const { w, project } = await open('draft')
    expect(input(w, 'training-lr-schedule').value).toBe('constant')
    expect(w.find('[data-testid="training-lr-decay"]').exists()).toBe(false)
    expect(w.find('[data-testid="training-lr-factor"]').exists()).toBe(false)
    expect(w.find('[data-testid="training-lr-hint"]').exists()).toBe(false)
    await w.get('[data-testid="training-epochs"]').setValue('400')
    await w.get('[data-testid="training-lr"]').setValue('0.1')
    await w.get('[data-testid="training-lr-schedule"]').setValue('step')
    expect(w.find('[data-testid="training-lr-decay"]').exists()).toBe(false)
    await w.get('[data-testid="training-lr-factor"]').setValue('0.5')
    await w.get('[data-testid="training-lr-every"]').setValue('100')
    expect(w.get('[data-testid="training-lr-hint"]').text()).toBe('ε falls from 0.1 to 0.0125 by epoch 400.')
    expect(project.project.trainings![0]!.options.learningRate).toEqual({
      schedule: 'step',
      initial: 0.1,
      factor: 0.5,
      every: 100
    })

    await w.get('[data-testid="training-lr-schedule"]').setValue('exponential')
    expect(w.find('[data-testid="training-lr-factor"]').exists()).toBe(false)
    await w.get('[data-testid="training-lr-decay"]').setValue('1.2')
    expect(w.get('[data-testid="training-problems"]').text()).toContain('The decay per epoch must be in (0, 1].')
    expect(w.find('[data-testid="training-lr-hint"]').exists()).toBe(false)
    await w.get('[data-testid="training-lr-decay"]').setValue('0.99')
    expect(w.find('[data-testid="training-problems"]').exists()).toBe(false)
    expect(project.project.trainings![0]!.options.learningRate).toEqual({
      schedule: 'exponential',
      initial: 0.1,
      decay: 0.99
    })

    await w.get('[data-testid="training-lr-schedule"]').setValue('constant')
    expect(w.find('[data-testid="training-lr-decay"]').exists()).toBe(false)
    expect(project.project.trainings![0]!.options.learningRate).toBe(0.1)
  })

  it('renames the training from its header: trimmed, empty names ignored, the project dirty', async () => {
    const { w, project } = await open('draft')
    expect(project.dirty).toBe(false)
    const name = w.get('[data-testid="training-name"]')
    expect(input(w, 'training-name').value).toBe('RBM on the 4×4 samples')
    await name.setValue('  ')
    expect(project.project.trainings![0]!.name).toBe('RBM on the 4×4 samples')
    expect(input(w, 'training-name').value).toBe('RBM on the 4×4 samples')
    expect(project.dirty).toBe(false)
    await name.setValue('  Two layers, K = 0.4 ')
    expect(project.project.trainings![0]!.name).toBe('Two layers, K = 0.4')
    expect(input(w, 'training-name').value).toBe('Two layers, K = 0.4')
    expect(project.dirty).toBe(true)
  })

  it('the summary of a started training names its learning-rate schedule', async () => {
    const { w, project } = await open('paused')
    const head = () => w.get('.head').text()
    expect(head()).toContain('· ε 0.1 ·')
    project.project.trainings![0]!.options.learningRate = { schedule: 'step', initial: 0.1, factor: 0.5, every: 20 }
    await flushPromises()
    expect(head()).toContain('· ε 0.1 × 0.5 every 20 epochs ·')
  })

  it('asks before discarding a paused training’s progress: Cancel keeps it, Discard goes back to the configuration', async () => {
    const { w, project } = await open('paused')
    const trainings = useTrainingsStore()
    const ui = useUiStore()
    const cp = trainings.of('train1').checkpoint!
    trainings.runtime = {
      ...trainings.runtime,
      train1: { ...trainings.of('train1'), checkpoint: { ...cp, trainer: { ...cp.trainer, epoch: 3 } } }
    }
    await flushPromises()
    const t = project.project.trainings![0]!
    expect(w.get('[data-testid="training-reset"]').text()).toBe('Discard progress')
    await w.get('[data-testid="training-reset"]').trigger('click')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Discard progress',
      message: 'Discard the progress of “RBM on the 4×4 samples” (layer 2, epoch 3)?',
      buttons: ['Discard', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await flushPromises()
    expect(w.get('[data-testid="training-phase"]').text()).toBe('paused')
    expect(t.status).toBe('paused')
    expect(t.checkpoint).toBeDefined()
    expect(Object.keys(t.arrays).length).toBeGreaterThan(0)
    expect(trainings.of('train1').checkpoint?.trainer.epoch).toBe(3)
    expect(w.findAll('[data-testid^="field-2-"]')).toHaveLength(4)

    await resetAnswering(w, 0)
    expect(w.get('[data-testid="training-phase"]').text()).toBe('draft')
    expect(t.status).toBe('draft')
    expect(t.checkpoint).toBeUndefined()
    expect(t.arrays).toEqual({})
    expect(trainings.of('train1').checkpoint).toBeNull()
    expect(w.find('[data-testid="receptive-fields"]').exists()).toBe(false)
    expect(input(w, 'training-layers').value).toBe('8, 4')
    expect(w.find('[data-testid="training-start"]').exists()).toBe(true)
  })

  it('asks before training a finished network again: Cancel keeps its weights, Discard drops them', async () => {
    const { w, project } = await open('paused')
    const trainings = useTrainingsStore()
    const ui = useUiStore()
    const t = project.project.trainings![0]!
    const dbn = trainings.networkOf('train1')!
    t.status = 'done'
    trainings.runtime = {
      ...trainings.runtime,
      train1: { ...trainings.of('train1'), phase: 'done', dbn, checkpoint: null }
    }
    await flushPromises()
    expect(w.get('[data-testid="training-reset"]').text()).toBe('Train again…')
    await w.get('[data-testid="training-reset"]').trigger('click')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Train again',
      message: 'Discard the trained weights of “RBM on the 4×4 samples” and edit its configuration?',
      buttons: ['Discard', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await flushPromises()
    expect(w.get('[data-testid="training-phase"]').text()).toBe('done')
    expect(t.status).toBe('done')
    expect(trainings.of('train1').dbn).toBe(dbn)
    expect(w.findAll('[data-testid^="field-1-"]')).toHaveLength(8)

    await resetAnswering(w, 0)
    expect(w.get('[data-testid="training-phase"]').text()).toBe('draft')
    expect(t.status).toBe('draft')
    expect(trainings.of('train1').dbn).toBeNull()
    expect(w.find('[data-testid="training-start"]').exists()).toBe(true)
  })

  it('while the training runs, shows a newer network at most once a second, and the latest at once on a pause', async () => {
    // The clock stands still from the start, so the first run's time is t0 however long opening
    // takes on a loaded machine (with a running clock the first interval could be over before
    // the fake timers below are installed).
    const t0 = Date.now()
    vi.useFakeTimers({ toFake: ['Date'], now: t0 })
    const { w } = await open('paused')
    const trainings = useTrainingsStore()
    const cp = trainings.of('train1').checkpoint!
    const scaled = (k: number) => ({ ...cp, trainer: { ...cp.trainer, W: cp.trainer.W.map((x) => x * k) } })
    const heading = () => w.get('[data-testid="fields-layer-2"] h4').text()
    const limit = (k: number) => {
      const dbn = trainings.networkOf('train1')!
      const W1 = dbn.layers[0]!.W
      const W2 = cp.trainer.W
      let max = 0
      for (let p = 0; p < N; p++) {
        for (let j = 0; j < 4; j++) {
          let r = 0
          for (let i = 0; i < 8; i++) r += W1[p * 8 + i]! * W2[i * 4 + j]!
          max = Math.max(max, Math.abs(k * r))
        }
      }
      return max
    }
    // The heading gives |r| ≤ max |r²| to three digits.
    const shows = (k: number) =>
      expect(Math.abs(Number(/\|r\| ≤ (\S+)/.exec(heading())![1]) / limit(k) - 1)).toBeLessThan(0.01)
    shows(1)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: t0 })
    const set = async (k: number, phase: 'running' | 'paused') => {
      trainings.runtime = { ...trainings.runtime, train1: { ...trainings.of('train1'), phase, checkpoint: scaled(k) } }
      await nextTick()
      await nextTick()
    }
    await set(2, 'running')
    shows(1)
    await set(3, 'running')
    shows(1)
    vi.advanceTimersByTime(1000)
    await nextTick()
    shows(3)
    await set(4, 'running')
    shows(3)
    await set(5, 'paused')
    shows(5)
  })

  it('says what to do when the dataset kept no configurations', async () => {
    const { project } = await setupProject(fake, { nativeDialogs: true })
    const d = doc('draft')
    delete d.arrays['data1.samples']
    d.project.datasets[0]!.arrays = { energy: 'data1.energy', magnetisation: 'data1.magnetisation' }
    fake.replies.open = { status: 'opened', path: '/p/t.blockspin', name: 't.blockspin', doc: d }
    await project.open()
    wrapper = mount(TrainingView, { props: { trainingId: 'train1' } })
    expect(wrapper.get('[data-testid="training-empty"]').text()).toContain(
      'Generate a dataset with configurations kept to train an RBM'
    )
  })
})
