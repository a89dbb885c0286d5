import { describe, expect, it } from 'vitest'
import { flowSteps, readFlow } from '../../src-renderer/src/charts/rgFlowData'

/** A flow from one starting K whose level-2 fit did not converge (its couplings running away). */
const flow = readFlow({
  result: {
    L: 16,
    rule: 'majority',
    b: 2,
    couplings: ['nearest'],
    points: [
      {
        K: 0.46,
        levels: [
          { level: 0, side: 16, fit: { couplings: ['nearest'], K: [0.46], errors: [0.02], converged: true } },
          {
            level: 1,
            side: 8,
            fit: { couplings: ['nearest'], K: [0.4], errors: [0.05], converged: true },
            matched: { K: 0.41, KError: 0.03, correlation: 0.6, correlationError: 0.01 }
          },
          {
            level: 2,
            side: 4,
            fit: { couplings: ['nearest'], K: [9.3], errors: [8.4], converged: false },
            matched: { K: 0.35, KError: 0.04, correlation: 0.5, correlationError: 0.01 }
          }
        ]
      }
    ],
    fixedPoint: { matched: null, fitted: null }
  }
})

describe('RG flow steps', () => {
  it('leave out a level whose fit did not converge, and keep its matched coupling', () => {
    const fitted = flowSteps(flow, 'fitted')
    expect(fitted[0]!.points).toEqual([{ K: 0.46, next: 0.4, error: 0.05 }])
    expect(fitted[1]!.points).toEqual([])
    const matched = flowSteps(flow, 'matched')
    expect(matched[0]!.points).toEqual([{ K: 0.46, next: 0.41, error: 0.03 }])
    expect(matched[1]!.points).toEqual([{ K: 0.41, next: 0.35, error: 0.04 }])
  })
})
