import { describe, expect, it } from 'vitest'
import { HINTON_SALAKHUTDINOV } from '@core/rbm/optimizer'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import { formatZodIssue } from '@shared/project/migrations'
import { emptyProject } from '@shared/project/model'
import { trainingArrayDtype } from '@shared/project/trainingArrays'
import { heldOutRows, physicalLattice, splitSamples } from '@shared/project/trainingData'
import {
  recordsFromSeries,
  trainingHistory,
  trainingHistorySchema,
  trainingOptionsSchema
} from '@shared/project/trainings'
import type { ModelV2, ProjectDoc, TrainingV2 } from '@shared/project/types'

/** Trainings in format 2: optional, validated, their weight arrays kept exactly. */
function docWithTraining(datasetId: string): ProjectDoc {
  const project = emptyProject('0.2.0', new Date('2026-11-27T00:00:00Z'))
  project.models.push({
    id: 'm1',
    name: 'M',
    lattice: { kind: 'chain', N: 4, periodic: true },
    uniform: { K: 0.5, h: 0 },
    arrays: {}
  })
  project.datasets.push({
    id: 'd1',
    name: 'D',
    modelId: 'm1',
    algorithm: 'metropolis',
    seed: 1,
    samples: 2,
    burnIn: 0,
    thin: 1,
    tauInt: null,
    acceptance: null,
    createdAt: '2026-11-27T00:00:00Z',
    arrays: {}
  })
  const training: TrainingV2 = {
    id: 't1',
    name: 'RBM 4→3',
    datasetId,
    visibleUnits: '01',
    layers: [{ nh: 3, hiddenUnits: '01' }],
    options: { ...HINTON_SALAKHUTDINOV, epochs: 5 },
    passUp: 'probabilities',
    seed: 7,
    status: 'paused',
    createdAt: '2026-11-27T00:00:00Z',
    arrays: { W1: 't1.W1', a1: 't1.a1', b1: 't1.b1' },
    history: {
      records: [1, 2].map((epoch) => ({
        layer: 0,
        epoch,
        monitors: { reconstructionError: 0.4 - epoch / 10, notes: [] }
      }))
    },
    checkpoint: {
      version: 1,
      layer: 0,
      epoch: 2,
      batchIndex: 0,
      options: { ...HINTON_SALAKHUTDINOV, epochs: 5 },
      units: [['01', '01']]
    }
  }
  project.trainings = [training]
  return {
    project,
    arrays: {
      't1.W1': { dtype: '<f4', shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, k) => k / 8 - 0.5) },
      't1.a1': { dtype: '<f4', shape: [4], data: Float32Array.of(0.5, -0.25, 0, 1) },
      't1.b1': { dtype: '<f4', shape: [3], data: Float32Array.of(-1, 0.125, 2) }
    }
  }
}

describe('trainings in the project file', () => {
  it('round trip with their weights, history and checkpoint', () => {
    const decoded = decodeProject(encodeProject(docWithTraining('d1'), '0.2.0'))
    if (!decoded.ok) throw new Error(describeProjectError(decoded.error))
    const t = decoded.doc.project.trainings![0]!
    expect(t).toMatchObject({
      id: 't1',
      status: 'paused',
      layers: [{ nh: 3, hiddenUnits: '01' }],
      checkpoint: { epoch: 2, layer: 0 }
    })
    expect(t.history).toEqual(docWithTraining('d1').project.trainings![0]!.history)
    expect(t.options).toEqual({ ...HINTON_SALAKHUTDINOV, epochs: 5 })
    expect(Array.from(decoded.doc.arrays['t1.W1']!.data)).toEqual(Array.from({ length: 12 }, (_, k) => k / 8 - 0.5))
    expect(decoded.doc.arrays['t1.b1']!.shape).toEqual([3])
  })

  it('keep options of the shapes the trainer accepts: k = 0 (the exact gradient), learning-rate schedules', () => {
    expect(trainingOptionsSchema.safeParse({ ...HINTON_SALAKHUTDINOV, method: 'exact', k: 0 }).success).toBe(true)
    const step = { schedule: 'step', initial: 0.1, factor: 0.5, every: 10 }
    expect(trainingOptionsSchema.safeParse({ ...HINTON_SALAKHUTDINOV, learningRate: step }).success).toBe(true)
    expect(
      trainingOptionsSchema.safeParse({ ...HINTON_SALAKHUTDINOV, learningRate: { ...step, every: 0 } }).success
    ).toBe(false)
    expect(trainingOptionsSchema.safeParse({ ...HINTON_SALAKHUTDINOV, k: 1.5 }).success).toBe(false)
  })

  it('are refused when they point at a dataset that is not there', () => {
    const decoded = decodeProject(encodeProject(docWithTraining('nope'), '0.2.0'))
    expect(decoded.ok).toBe(false)
    if (!decoded.ok)
      expect(describeProjectError(decoded.error)).toMatch(/trainings\[0\]\.datasetId: no dataset has id "nope"/)
  })

  it('may be absent (files written before trainings existed)', () => {
    const doc = docWithTraining('d1')
    delete doc.project.trainings
    doc.arrays = {}
    const decoded = decodeProject(encodeProject(doc, '0.2.0'))
    expect(decoded.ok).toBe(true)
  })
})

describe('a training’s history', () => {
  const parse = (history: unknown) => trainingHistorySchema.parse(history)

  it('is read as records; NaN, written by JSON as null, comes back as NaN', () => {
    const records = [{ layer: 0, epoch: 1, monitors: { reconstructionError: null, logZ: 3, notes: ['x'] } }]
    const h = parse(JSON.parse(JSON.stringify({ records, arithmetic: ['a'] })))
    expect(h.records[0]!.monitors.reconstructionError).toBeNaN()
    expect(h.records[0]!.monitors).toMatchObject({ logZ: 3, notes: ['x'] })
    expect(h.arithmetic).toEqual(['a'])
    // A history still in memory (NaN, not yet null) reads the same.
    expect(
      parse({ records: [{ layer: 0, epoch: 1, monitors: { kl: NaN, notes: [] } }] }).records[0]!.monitors.kl
    ).toBeNaN()
  })

  it('saved before χ′ had its own name reads the physical monitors’ chi as chiAbs, its meaning', () => {
    const est = (value: number) => ({ value, error: 0.05 })
    const obs = (chi: number) => ({
      e: est(-1.1),
      absM: est(0.6),
      c: est(0.8),
      chi: est(chi),
      samples: 400,
      groups: 20
    })
    const physical = { model: obs(1.25), data: obs(1.5), zE: 0.3, zAbsM: -0.2 }
    const doc = docWithTraining('d1')
    doc.project.trainings![0]!.history = {
      records: [{ layer: 0, epoch: 1, monitors: { physical, notes: [] } }]
    } as unknown as TrainingV2['history']
    const decoded = decodeProject(encodeProject(doc, '0.2.0'))
    if (!decoded.ok) throw new Error(describeProjectError(decoded.error))
    const read = decoded.doc.project.trainings![0]!.history!.records[0]!.monitors.physical!
    expect(read.model.chiAbs).toEqual(est(1.25))
    expect(read.data.chiAbs).toEqual(est(1.5))
    expect(read.model).not.toHaveProperty('chi')
    // Records written now keep chiAbs as it is.
    const now = {
      ...physical,
      model: { e: est(-1.1), absM: est(0.6), c: est(0.8), chiAbs: est(2), samples: 400, groups: 20 }
    }
    expect(
      parse({ records: [{ layer: 0, epoch: 1, monitors: { physical: now, notes: [] } }] }).records[0]!.monitors
        .physical!.model.chiAbs
    ).toEqual(est(2))
  })

  it('written by the command line as per-layer series, is read as the same records', () => {
    const h = parse({
      'layer1:reconstructionError': [0.3, 0.2],
      'layer1:logZ': [5, null],
      'layer2:freeEnergy': [-1, -2, -3]
    })
    expect(h.arithmetic).toBeUndefined()
    expect(h.records.map((r) => [r.layer, r.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [1, 3]
    ])
    expect(h.records[0]!.monitors).toEqual({ reconstructionError: 0.3, logZ: 5, notes: [] })
    expect(h.records[1]!.monitors.logZ).toBeNaN()
    expect(h.records[4]!.monitors).toEqual({ freeEnergy: -3, notes: [] })
    // Job frames' series carry their epochs.
    expect(recordsFromSeries({ 'layer1:epoch': [4, 5], 'layer1:kl': [0.5, 0.25] })).toEqual([
      { layer: 0, epoch: 4, monitors: { kl: 0.5, notes: [] } },
      { layer: 0, epoch: 5, monitors: { kl: 0.25, notes: [] } }
    ])
  })

  it('in any other shape makes the file unreadable, naming the field', () => {
    const doc = docWithTraining('d1')
    ;(doc.project.trainings![0] as { history: unknown }).history = { reconstruction: [0.3, 0.2] }
    const decoded = decodeProject(encodeProject(doc, '0.2.0'))
    expect(decoded.ok).toBe(false)
    if (!decoded.ok)
      expect(describeProjectError(decoded.error)).toMatch(/trainings\[0\]\.history\.records: .*expected array/)
    const bad = trainingHistorySchema.safeParse({ records: [{ layer: 0, epoch: 1, monitors: { logZ: 'big' } }] })
    expect(formatZodIssue(bad.error?.issues[0])).toMatch(/^records\[0\]\.monitors\.logZ: .*expected number/)
  })

  it('is saved as records with the arithmetic when known', () => {
    const records = [{ layer: 0, epoch: 1, monitors: { notes: [] } }]
    expect(trainingHistory(records, ['wasm'])).toEqual({ records, arithmetic: ['wasm'] })
    expect(trainingHistory(records)).toEqual({ records })
  })
})

describe('a training’s arrays', () => {
  it('have roles with a fixed dtype; other roles are refused', () => {
    expect(['W1', 'a2', 'b16', 'vW', 'va', 'vb', 'persistent'].map(trainingArrayDtype)).toEqual(Array(7).fill('<f4'))
    expect(['permutation', 'rng', 'trainerRng', 'passUpRng1'].map(trainingArrayDtype)).toEqual([
      '<i4',
      '<u4',
      '<u4',
      '<u4'
    ])
    expect(['W0', 'W', 'c1', 'rng2', 'passUpRng'].map(trainingArrayDtype)).toEqual(Array(5).fill(null))
    const doc = docWithTraining('d1')
    doc.project.trainings![0]!.arrays = { weights: 't1.W1' }
    const decoded = decodeProject(encodeProject(doc, '0.2.0'))
    expect(decoded.ok).toBe(false)
    if (!decoded.ok) expect(describeProjectError(decoded.error)).toMatch(/trainings\[0\]\.arrays/)
  })
})

describe('what a training takes from its dataset', () => {
  const torus: ModelV2 = {
    id: 'm',
    name: 'torus',
    lattice: { kind: 'square', Lx: 4, Ly: 3, periodicX: true, periodicY: true },
    uniform: { K: 0.4, h: 0 },
    arrays: {}
  }
  const square = torus.lattice as Extract<ModelV2['lattice'], { kind: 'square' }>

  it('physical monitors only on a uniform periodic square lattice at zero field', () => {
    expect(physicalLattice(torus)).toEqual({ Lx: 4, Ly: 3, K: 0.4 })
    expect(physicalLattice({ ...torus, uniform: { K: 0.4, h: 0, Kx: 0.4, Ky: 0.4 } })).toEqual({ Lx: 4, Ly: 3, K: 0.4 })
    expect(physicalLattice(torus, 12)).toEqual({ Lx: 4, Ly: 3, K: 0.4 })
    const refused: ModelV2[] = [
      { ...torus, uniform: { K: 0.4, h: 0.1 } },
      { ...torus, uniform: { K: 0.4, h: 0, Kx: 0.5 } },
      { ...torus, uniform: { K: 0.4, h: 0, Ky: 0.3 } },
      { ...torus, arrays: { fields: 'm.fields' } },
      { ...torus, arrays: { couplings: 'm.couplings' } },
      { ...torus, lattice: { ...square, diagonals: true } },
      { ...torus, lattice: { ...square, periodicY: false } },
      { ...torus, lattice: { kind: 'triangular', Lx: 4, Ly: 3 } }
    ]
    for (const model of refused) expect(physicalLattice(model), JSON.stringify(model)).toBeNull()
    expect(physicalLattice(torus, 16)).toBeNull()
    expect(physicalLattice(undefined)).toBeNull()
    // Painted spins change nothing about H.
    expect(physicalLattice({ ...torus, arrays: { spins: 'm.spins' } })).not.toBeNull()
  })

  it('holds out the last tenth (or a given fraction) from 20 samples on, always leaving one to train on', () => {
    expect([19, 20, 99, 100].map((rows) => heldOutRows(rows))).toEqual([0, 2, 9, 10])
    expect(heldOutRows(100, 0.25)).toBe(25)
    expect(heldOutRows(100, 0)).toBe(0)
    expect(heldOutRows(20, 1)).toBe(19)
    const samples = {
      dtype: '|i1' as const,
      shape: [20, 2],
      data: Int8Array.from({ length: 40 }, (_, k) => (k % 3 ? 1 : -1))
    }
    const { data, heldOut } = splitSamples(samples, '01')
    expect([data.rows, heldOut!.rows, data.cols]).toEqual([18, 2, 2])
    expect(Array.from(heldOut!.data)).toEqual(Array.from(samples.data.subarray(36)).map((s) => (s + 1) / 2))
  })
})
