import { describe, expect, expectTypeOf, it } from 'vitest'
import type { IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import type { RbmTrainingFrame } from '@core/jobs/rbmTrain'
import { dataFromModel } from '@core/lattice/data'
import { presetModel } from '@core/lattice/model'
import {
  isKnownJobKind,
  jobSpecProblem,
  jobSpecSchemas,
  type FrameOf,
  type KnownJobKind,
  type ResultOf,
  type SpecOf
} from '@shared/jobKinds'
import { JobBroker } from '../../src-main/services/jobBroker'
import { checkpointTrainer, createTrainer, HINTON_SALAKHUTDINOV } from '@core/rbm/train'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { checkpointFromArrays, checkpointToArrays } from '@shared/project/trainingArrays'
import type { ProjectTraining } from '@shared/project/types'

const model = dataFromModel(presetModel('ferromagnet', { L: 8, K: 0.4 }), { K: 0.4, h: 0 })
const training = {
  method: 'cd',
  k: 1,
  epochs: 2,
  batchSize: 2,
  learningRate: 0.1,
  momentum: { initial: 0.5, final: 0.9, switchEpoch: 5 },
  l1: 0,
  l2: 0.0002,
  shuffle: true
} as const

/** A real checkpoint of a 3 → 2 → 1 network in its second layer, as a training's frames carry it. */
function checkpoint() {
  const rng = xoshiro128ss(5)
  const first = createTrainer({ nv: 3, nh: 2, visibleUnits: '01', hiddenUnits: '01' }, HINTON_SALAKHUTDINOV, rng)
  const passUp = rng.getState()
  const second = createTrainer({ nv: 2, nh: 1, visibleUnits: '01', hiddenUnits: '01' }, HINTON_SALAKHUTDINOV, rng)
  const history = [{ layer: 0, epoch: 1, monitors: { reconstructionError: 0.2, notes: [] } }]
  return {
    version: 1 as const,
    layer: 1,
    completed: [first.rbm],
    trainer: checkpointTrainer(second),
    passUpRngStates: [passUp],
    history,
    rngState: rng.getState()
  }
}
const resume = checkpoint()
const rngState = new Uint32Array([1, 2, 3, 4])
const spins = new Int8Array(256).fill(-1)

/** One well-formed spec per kind, as the app and the CLI build them. */
const WELL_FORMED: { [K in KnownJobKind]: SpecOf<K> } = {
  'ising.chain': {
    L: 16,
    K: 0.44,
    h: 0,
    algorithm: 'metropolis',
    sweepsPerFrame: 2,
    seed: 7,
    start: 'hot',
    maxFps: 60
  },
  'ising.dataset': {
    model,
    algorithm: 'wolff',
    samples: 100,
    burnIn: 50,
    thin: 'auto',
    start: 'random',
    keepSamples: true
  },
  'ising.datasetShard': {
    model,
    algorithm: 'wolff',
    samples: 100,
    burnIn: 50,
    thin: 2,
    start: 'random',
    keepSamples: true,
    checkpointMs: 1000,
    resume: {
      ...{ version: 1, done: 60, burnIn: 50, thin: 2, thinning: null, sampled: 10, stored: 5 },
      chain: { spins: new Int8Array(64).fill(1), rngState, counters: { clusterUpdates: 3, ghostClusters: 0 } },
      samples: new Int8Array(5 * 64),
      energy: new Float64Array(5),
      magnetisation: new Float64Array(5),
      measurements: null
    }
  },
  'ising.sweep': { Ls: [8, 16], Ks: [0.4, 0.44], h: 0, algorithm: 'heatbath', burnIn: 100, sweeps: 1000, start: 'up' },
  'ising.sweepPoint': {
    L: 4,
    K: 0.4,
    h: 0,
    algorithm: 'wolff',
    burnIn: 10,
    sweeps: 100,
    start: 'random',
    startSpins: new Int8Array(16).fill(1)
  },
  'ising.exact': { model, method: 'enumeration' },
  'rbm.train': {
    data: { rows: 4, cols: 3, data: new Int8Array(12).fill(1) },
    heldOut: { rows: 1, cols: 3, data: new Float32Array(3) },
    dataUnits: 'pm1',
    layers: [
      { nh: 2, hiddenUnits: '01' },
      { nh: 1, options: { epochs: 1 } }
    ],
    options: { training, passUp: 'probabilities', visibleUnits: '01' },
    monitors: { reconstruction: true, physical: false },
    lattice: { Lx: 3, Ly: 1, K: 0.4 },
    resume
  },
  'rg.cascade': {
    samples: new Int8Array(2 * 16),
    count: 2,
    Lx: 4,
    Ly: 4,
    rule: 'majority',
    b: 2,
    levels: 1,
    couplings: ['nearest']
  },
  'rg.mcrg': { L: 32, K: 0.44, count: 100, between: 2, burnIn: 10, rule: 'majority', b: 2, levels: 2 },
  'rg.mcrgSums': {
    ...{ L: 16, K: 0.44, count: 10, between: 1, burnIn: 10, rule: 'majority', b: 2, levels: 2 },
    resume: {
      version: 1,
      done: 12,
      taken: 2,
      samples: new Int8Array(2 * 256),
      chain: { spins, rngState, counters: {} }
    },
    checkpointMs: 0
  },
  'rg.flow': {
    L: 16,
    Ks: [0.4, 0.45],
    rule: 'decimation',
    b: 2,
    levels: 1,
    count: 50,
    between: 1,
    burnIn: 10,
    couplings: ['nearest', 'diagonal']
  },
  'mapping.exact': { preset: 'kernel', model, kernel: 'kadanoff', lambda: 1, b: 2, lambdas: [0, 1] },
  'compare.rgDbn': {
    samples: new Int8Array(2 * 16),
    count: 2,
    Lx: 4,
    Ly: 4,
    rule: 'majority',
    b: 2,
    couplings: ['nearest'],
    dbn: {
      layers: [
        {
          nv: 16,
          nh: 4,
          visibleUnits: 'pm1',
          hiddenUnits: 'pm1',
          W: new Float32Array(64),
          a: new Float32Array(16),
          b: new Float32Array(4)
        }
      ],
      passUp: 'probabilities'
    }
  },
  'test.count': { n: 5, delayMs: 1, frameEvery: 1 },
  'test.throw': { message: 'asked' },
  'test.exit': undefined,
  'test.oom': {},
  'test.echo': { anything: [1, 2] },
  'test.block': { ms: 10 }
}

/** A malformed spec per kind (test kinds that ignore their spec have none), and the field the sentence must name. */
const MALFORMED: { [K in KnownJobKind]?: Array<[spec: unknown, field: string]> } = {
  'ising.chain': [
    [{ ...WELL_FORMED['ising.chain'], L: 2.5 }, 'L'],
    [{ ...WELL_FORMED['ising.chain'], algorithm: 'glauber' }, 'algorithm'],
    [{ ...WELL_FORMED['ising.chain'], start: 'painted', startSpins: [1, -1] }, 'startSpins'],
    [
      {
        ...WELL_FORMED['ising.chain'],
        resume: {
          L: 16,
          sweep: 2,
          spins: new Int8Array(256),
          energy: new Float64Array(1),
          absM: new Float64Array(2),
          rngState: new Uint32Array(4)
        }
      },
      'resume.energy'
    ],
    [{ ...WELL_FORMED['ising.chain'], model: { ...model, fields: new Float32Array(64) } }, 'model.fields'],
    [null, '']
  ],
  'ising.dataset': [
    [{ ...WELL_FORMED['ising.dataset'], thin: 0 }, 'thin'],
    [
      { ...WELL_FORMED['ising.dataset'], model: { lattice: { kind: 'hexagonal' }, uniform: { K: 0.4, h: 0 } } },
      'model.lattice.kind'
    ]
  ],
  'ising.sweep': [[{ ...WELL_FORMED['ising.sweep'], Ks: [] }, 'Ks']],
  'ising.exact': [[{ model, method: 'guess' }, 'method']],
  'rbm.train': [
    [{ ...WELL_FORMED['rbm.train'], data: { rows: 4, cols: 3, data: new Int8Array(11) } }, 'data.data'],
    [{ ...WELL_FORMED['rbm.train'], data: { rows: 4, cols: 3, data: new Float64Array(12) } }, 'data.data'],
    [{ ...WELL_FORMED['rbm.train'], layers: [] }, 'layers'],
    [
      {
        ...WELL_FORMED['rbm.train'],
        options: { ...WELL_FORMED['rbm.train'].options, training: { ...training, shuffle: 'yes' } }
      },
      'options.training.shuffle'
    ],
    [{ ...WELL_FORMED['rbm.train'], resume: { ...resume, rngState: [1, 2, 3, 4] } }, 'resume.rngState'],
    [
      {
        ...WELL_FORMED['rbm.train'],
        resume: { ...resume, completed: [{ ...resume.completed[0]!, W: new Float32Array(5) }] }
      },
      'resume.completed.0.W'
    ],
    [
      {
        ...WELL_FORMED['rbm.train'],
        resume: { ...resume, trainer: { ...resume.trainer, velocityB: new Float32Array(3) } }
      },
      'resume.trainer.velocityW'
    ],
    [
      { ...WELL_FORMED['rbm.train'], resume: { ...resume, trainer: { ...resume.trainer, permutation: [0, 1] } } },
      'resume.trainer.permutation'
    ]
  ],
  'rg.cascade': [
    [{ ...WELL_FORMED['rg.cascade'], samples: new Int8Array(31) }, 'samples'],
    [{ ...WELL_FORMED['rg.cascade'], rule: 'median' }, 'rule']
  ],
  'rg.mcrg': [[{ ...WELL_FORMED['rg.mcrg'], K: -0.4 }, 'K']],
  'rg.flow': [[{ ...WELL_FORMED['rg.flow'], Ks: [] }, 'Ks']],
  'mapping.exact': [
    [{ preset: 'decimation-1d', K: 'big', h: 0 }, 'K'],
    [{ preset: 'guess' }, 'preset']
  ],
  'compare.rgDbn': [[{ ...WELL_FORMED['compare.rgDbn'], samples: new Int8Array(5) }, 'samples']],
  'test.count': [[{ n: -1 }, 'n']],
  'test.throw': [[{ message: 3 }, 'message']]
}

describe('job kinds at the boundary', () => {
  it('names the same kinds in the map of schemas and the map of types', () => {
    expect(Object.keys(jobSpecSchemas).sort()).toEqual(Object.keys(WELL_FORMED).sort())
    expect(isKnownJobKind('rbm.train')).toBe(true)
    for (const bad of ['toString', '__proto__', 'ising', '', 3]) expect(isKnownJobKind(bad)).toBe(false)
  })

  it.each(Object.keys(WELL_FORMED) as KnownJobKind[])('passes a well-formed %s spec', (kind) => {
    expect(jobSpecProblem(kind, WELL_FORMED[kind])).toBeNull()
  })

  it.each(Object.keys(MALFORMED) as KnownJobKind[])(
    'refuses a malformed %s spec with one sentence naming the field',
    (kind) => {
      for (const [spec, field] of MALFORMED[kind]!) {
        const problem = jobSpecProblem(kind, spec)
        expect(problem, JSON.stringify(spec)?.slice(0, 100)).not.toBeNull()
        expect(
          problem!.startsWith(`The ${kind} job was not started: its spec is not valid (${field ? `${field}: ` : ''}`),
          problem!
        ).toBe(true)
        expect(problem).toMatch(/\)\.$/)
      }
    }
  )

  it('passes a training checkpoint as a saved project gives it back', () => {
    const { arrays, scalars } = checkpointToArrays(resume)
    const training = {
      id: 'train1',
      name: 'RBM',
      datasetId: 'data1',
      visibleUnits: '01',
      passUp: 'probabilities',
      seed: 1,
      status: 'paused',
      layers: [
        { nh: 2, hiddenUnits: '01' },
        { nh: 1, hiddenUnits: '01' }
      ],
      options: HINTON_SALAKHUTDINOV,
      createdAt: '',
      arrays: {},
      checkpoint: scalars,
      history: { records: resume.history }
    } as ProjectTraining
    const back = checkpointFromArrays(training, arrays)
    expect(jobSpecProblem('rbm.train', { ...WELL_FORMED['rbm.train'], resume: back })).toBeNull()
  })

  it('lets kinds outside the map through (the worker refuses them by name)', () => {
    expect(jobSpecProblem('no.such.kind', { whatever: true })).toBeNull()
  })

  it('checks big typed arrays by class and length only', () => {
    const rows = 20_000
    const cols = 1600
    const data = new Int8Array(rows * cols).fill(7) // values outside ±1 are the trainer's to refuse
    const spec = { ...WELL_FORMED['rbm.train'], data: { rows, cols, data }, heldOut: undefined, lattice: undefined }
    expect(jobSpecProblem('rbm.train', spec)).toBeNull()
  })

  it('refuses a malformed spec in the broker before a worker is spawned', () => {
    let spawned = 0
    const broker = new JobBroker({
      spawn: () => {
        spawned++
        throw new Error('not reached')
      },
      maxBatchJobs: 1
    })
    expect(() =>
      broker.start({ kind: 'ising.sweep', title: 't', interactive: false, spec: { Ls: [8] }, seed: 1 })
    ).toThrow(/^The ising\.sweep job was not started: its spec is not valid \(Ks: .*\)\.$/)
    expect(spawned).toBe(0)
    expect(broker.list()).toEqual([])
  })

  it('types specs, frames and results by kind', () => {
    expectTypeOf<SpecOf<'ising.chain'>>().toEqualTypeOf<IsingChainSpec>()
    expectTypeOf<FrameOf<'ising.chain'>>().toEqualTypeOf<IsingFrame>()
    expectTypeOf<ResultOf<'ising.chain'>>().toEqualTypeOf<IsingChainResult>()
    expectTypeOf<FrameOf<'rbm.train'>>().toEqualTypeOf<RbmTrainingFrame>()
    // @ts-expect-error a dataset spec is not a chain spec
    const wrong: SpecOf<'ising.chain'> = WELL_FORMED['ising.dataset']
    void wrong
  })
})
