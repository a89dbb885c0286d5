import { describe, expect, it } from 'vitest'
import { decodeProject, encodeProject } from '../../src-main/shared/project/codec'
import { describeProjectError } from '../../src-main/shared/project/errors'
import { emptyProject } from '../../src-main/shared/project/model'
import type { ProjectDoc, TrainingV2 } from '../../src-main/shared/project/types'

/** Trainings in format 2: optional, validated, their weight arrays kept exactly. */
function docWithTraining(datasetId: string): ProjectDoc {
  const project = emptyProject('0.2.0', new Date('2026-11-27T00:00:00Z'))
  project.models.push({ id: 'm1', name: 'M', lattice: { kind: 'chain', N: 4, periodic: true }, uniform: { K: 0.5, h: 0 }, arrays: {} })
  project.datasets.push({
    id: 'd1', name: 'D', modelId: 'm1', algorithm: 'metropolis', seed: 1, samples: 2, burnIn: 0, thin: 1, tauInt: null, acceptance: null,
    createdAt: '2026-11-27T00:00:00Z', arrays: {}
  })
  const training: TrainingV2 = {
    id: 't1', name: 'RBM 4→3', datasetId, visibleUnits: '01', layers: [{ nh: 3, hiddenUnits: '01' }],
    options: { method: 'cd', k: 1, epochs: 5 }, passUp: 'probabilities', seed: 7, status: 'paused', createdAt: '2026-11-27T00:00:00Z',
    arrays: { W1: 't1.W1', a1: 't1.a1', b1: 't1.b1' }, history: { reconstruction: [0.3, 0.2] }, checkpoint: { epoch: 2 }
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
    expect(t).toMatchObject({ id: 't1', status: 'paused', layers: [{ nh: 3, hiddenUnits: '01' }], history: { reconstruction: [0.3, 0.2] }, checkpoint: { epoch: 2 } })
    expect(Array.from(decoded.doc.arrays['t1.W1']!.data)).toEqual(Array.from({ length: 12 }, (_, k) => k / 8 - 0.5))
    expect(decoded.doc.arrays['t1.b1']!.shape).toEqual([3])
  })

  it('are refused when they point at a dataset that is not there', () => {
    const decoded = decodeProject(encodeProject(docWithTraining('nope'), '0.2.0'))
    expect(decoded.ok).toBe(false)
    if (!decoded.ok) expect(describeProjectError(decoded.error)).toMatch(/trainings\[0\]\.datasetId: no dataset has id "nope"/)
  })

  it('may be absent (files written before trainings existed)', () => {
    const doc = docWithTraining('d1')
    delete doc.project.trainings
    doc.arrays = {}
    const decoded = decodeProject(encodeProject(doc, '0.2.0'))
    expect(decoded.ok).toBe(true)
  })
})
