import { describe, expect, it } from 'vitest'
import {
  defaultConfig,
  describeLearningRate,
  formFromConfig,
  learningRateHint,
  readForm,
  type TrainingConfig,
  type TrainingFormState
} from '../../src-renderer/src/logic/trainingForm'
import { learningRateAt, trainingOptionsProblems } from '@core/rbm/optimizer'

/** The form of a 16-spin dataset's default configuration, with some fields changed. */
const form = (change: Partial<TrainingFormState> = {}): TrainingFormState => ({
  ...formFromConfig(defaultConfig(16, 5, false)),
  ...change
})
const read = (f: TrainingFormState) => readForm(f, 16, 1000, false)

describe('learning-rate schedule in the training form', () => {
  it('a constant schedule reads to a plain number, as before schedules', () => {
    const f = form({ learningRate: '0.05' })
    expect(f.lrSchedule).toBe('constant')
    const { config, problems } = read(f)
    expect(problems).toEqual([])
    expect(config!.options.learningRate).toBe(0.05)
  })

  it('exponential and step schedules read to schedule objects with the typed values', () => {
    const exponential = read(form({ learningRate: '0.1', lrSchedule: 'exponential', lrDecay: ' 0.98 ' }))
    expect(exponential.problems).toEqual([])
    expect(exponential.config!.options.learningRate).toEqual({ schedule: 'exponential', initial: 0.1, decay: 0.98 })
    const step = read(form({ learningRate: '0.2', lrSchedule: 'step', lrFactor: '0.25', lrEvery: '7' }))
    expect(step.problems).toEqual([])
    expect(step.config!.options.learningRate).toEqual({ schedule: 'step', initial: 0.2, factor: 0.25, every: 7 })
    expect(trainingOptionsProblems(step.config!.options)).toEqual([])
    // Fields of the schedules not chosen are not read.
    expect(read(form({ lrSchedule: 'constant', lrDecay: 'x', lrFactor: '2', lrEvery: '0' })).problems).toEqual([])
  })

  it('explains a bad decay, factor or step length', () => {
    for (const decay of ['0', '1.01', '-0.5', 'x', '']) {
      const { config, problems } = read(form({ lrSchedule: 'exponential', lrDecay: decay }))
      expect(config, decay).toBeNull()
      expect(problems, decay).toEqual(['The decay per epoch must be in (0, 1].'])
    }
    expect(read(form({ lrSchedule: 'exponential', lrDecay: '1' })).problems).toEqual([])
    expect(read(form({ lrSchedule: 'step', lrFactor: '0', lrEvery: '0' })).problems).toEqual([
      'The step factor must be in (0, 1].',
      'The number of epochs per step must be a whole number from 1 to 100,000.'
    ])
    expect(read(form({ lrSchedule: 'step', lrFactor: '1.5', lrEvery: '2.5' })).problems).toEqual([
      'The step factor must be in (0, 1].',
      'The number of epochs per step must be a whole number from 1 to 100,000.'
    ])
    expect(read(form({ lrSchedule: 'step', learningRate: '0' })).problems).toEqual([
      'The learning rate must be a number greater than 0.'
    ])
  })

  it('formFromConfig reads every schedule back (round trip)', () => {
    const cases: Partial<TrainingFormState>[] = [
      { learningRate: '0.07', lrSchedule: 'constant' },
      { learningRate: '0.1', lrSchedule: 'exponential', lrDecay: '0.995' },
      { learningRate: '0.3', lrSchedule: 'step', lrFactor: '0.5', lrEvery: '40' }
    ]
    for (const change of cases) {
      const config = read(form(change)).config as TrainingConfig
      const back = formFromConfig(config)
      expect(back, change.lrSchedule).toMatchObject(change)
      expect(read(back).config, change.lrSchedule).toEqual(config)
    }
    // A saved { schedule: 'constant' } object shows as a constant rate and saves as a number.
    const saved = defaultConfig(16, 5, false)
    saved.options = { ...saved.options, learningRate: { schedule: 'constant', initial: 0.02 } }
    const shown = formFromConfig(saved)
    expect(shown).toMatchObject({ lrSchedule: 'constant', learningRate: '0.02' })
    expect(read(shown).config!.options.learningRate).toBe(0.02)
  })

  it('the hint names the rate of the last epoch', () => {
    // 400 epochs, halved every 100: epochs 300…399 (from 0) run at 0.1 · 0.5³.
    const step = form({ epochs: '400', learningRate: '0.1', lrSchedule: 'step', lrFactor: '0.5', lrEvery: '100' })
    expect(learningRateHint(step)).toBe('ε falls from 0.1 to 0.0125 by epoch 400.')
    expect(learningRateHint({ ...step, lrFactor: '0.3' })).toBe('ε falls from 0.1 to 0.0027 by epoch 400.')
    expect(learningRateHint({ ...step, epochs: '100' })).toBe('ε stays at 0.1 through epoch 100.')
    expect(learningRateHint({ ...step, epochs: '101' })).toBe('ε falls from 0.1 to 0.05 by epoch 101.')
    const exponential = form({ epochs: '400', learningRate: '0.1', lrSchedule: 'exponential', lrDecay: '0.99' })
    const last = learningRateAt({ schedule: 'exponential', initial: 0.1, decay: 0.99 }, 399)
    expect(last).toBeCloseTo(0.00181, 5)
    expect(learningRateHint(exponential)).toBe('ε falls from 0.1 to 0.00181 by epoch 400.')
    expect(learningRateHint({ ...exponential, lrDecay: '0.9' })).toBe('ε falls from 0.1 to 5.53×10⁻²⁰ by epoch 400.')
    expect(learningRateHint(form({ lrSchedule: 'constant' }))).toBe('')
    expect(learningRateHint({ ...step, lrEvery: '0' })).toBe('')
    expect(learningRateHint({ ...step, epochs: '' })).toBe('')
  })

  it('describes a schedule for the training summary', () => {
    expect(describeLearningRate(0.1)).toBe('0.1')
    expect(describeLearningRate({ schedule: 'constant', initial: 0.2 })).toBe('0.2')
    expect(describeLearningRate({ schedule: 'exponential', initial: 0.1, decay: 0.99 })).toBe('0.1 × 0.99 per epoch')
    expect(describeLearningRate({ schedule: 'step', initial: 0.1, factor: 0.5, every: 100 })).toBe(
      '0.1 × 0.5 every 100 epochs'
    )
    expect(describeLearningRate({ schedule: 'step', initial: 0.1, factor: 0.5, every: 1 })).toBe(
      '0.1 × 0.5 every epoch'
    )
  })
})
