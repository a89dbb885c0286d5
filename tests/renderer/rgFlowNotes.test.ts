import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { AnalysisV2 } from '@shared/project/types'
import { setApi } from '../../src-renderer/src/api'
import RgFlowView from '../../src-renderer/src/views/RgFlowView.vue'
import { readFlow } from '../../src-renderer/src/charts/rgFlowData'
import { flowStepOption } from '../../src-renderer/src/charts/rgFlowOptions'
import { createFakeApi } from './fakeApi'

beforeEach(() => {
  setApi(createFakeApi().api)
  setActivePinia(createPinia())
})

const RUNAWAY = 'Leaving out 3 of 10 blocks of samples left no finite fit (K < ∞ in the other 7).'
const FROZEN = 'The pseudo-likelihood fit did not converge: the level is nearly frozen.'
const fit = (K: number, converged = true) => ({ couplings: ['nearest'], K: [K], errors: [0.02], converged })
const matched = (K: number) => ({ K, KError: 0.01, correlation: 0.5, correlationError: 0.01 })

/** Two starting K, three levels: one level whose jackknife blocks partly had no finite fit, one frozen. */
const analysis = {
  id: 'flow1',
  kind: 'rg.flow',
  name: 'RG flow',
  sourceId: null,
  spec: { count: 200 },
  arrays: {},
  result: {
    L: 16,
    rule: 'majority',
    b: 2,
    couplings: ['nearest'],
    points: [
      {
        K: 0.4,
        levels: [
          { level: 0, side: 16, fit: fit(0.4), matched: matched(0.4) },
          { level: 1, side: 8, fit: fit(0.35), matched: matched(0.36), note: RUNAWAY },
          { level: 2, side: 4, fit: fit(0.3), matched: matched(0.31) }
        ]
      },
      {
        K: 0.5,
        levels: [
          { level: 0, side: 16, fit: fit(0.5), matched: matched(0.5) },
          { level: 1, side: 8, fit: fit(0.55), matched: matched(0.56) },
          { level: 2, side: 4, fit: fit(9, false), matched: matched(0.7), note: FROZEN }
        ]
      }
    ],
    fixedPoint: { matched: null, fitted: null }
  }
} as unknown as AnalysisV2

describe('the RG flow view shows what the fits say about their levels', () => {
  it('lists each level note with its starting K and level', () => {
    const w = mount(RgFlowView, { props: { analysis }, global: { stubs: { ChartPanel: true } } })
    const notes = w.get('[data-testid="rg-flow-notes"]')
    expect(notes.get('summary').text()).toBe('2 levels with a note on the pseudo-likelihood fit')
    expect(notes.attributes('open')).toBeDefined()
    const items = notes.findAll('li').map((li) => li.text())
    expect(items).toEqual([`K = 0.4000, level 1 (8×8): ${RUNAWAY}`, `K = 0.5000, level 2 (4×4): ${FROZEN}`])
  })

  it('says nothing when no level has a note', () => {
    const plain = structuredClone(analysis) as unknown as { result: { points: { levels: { note?: string }[] }[] } }
    for (const p of plain.result.points) for (const l of p.levels) delete l.note
    const w = mount(RgFlowView, {
      props: { analysis: plain as unknown as AnalysisV2 },
      global: { stubs: { ChartPanel: true } }
    })
    expect(w.find('[data-testid="rg-flow-notes"]').exists()).toBe(false)
  })

  it("repeats the note in the tooltip of the fitted K′ it qualifies, escaped, and not in the matched one's", () => {
    const flow = readFlow(analysis)
    const tooltip = (measure: 'fitted' | 'matched', step: number, dataIndex: number) => {
      const series = (flowStepOption(flow, measure).series as { name?: string; tooltip?: unknown }[]).find(
        (s) => s.name === `step ${step - 1} → ${step}` && s.tooltip
      ) as { data: number[][]; tooltip: { formatter: (p: unknown) => string } }
      return series.tooltip.formatter({ value: series.data[dataIndex], dataIndex })
    }
    expect(tooltip('fitted', 1, 0)).toContain('left no finite fit (K &#60; ∞ in the other 7).')
    expect(tooltip('fitted', 1, 0)).not.toContain('K < ∞')
    expect(tooltip('fitted', 1, 1)).not.toContain('<br>')
    // The matched coupling does not come from the fit: its tooltip carries no fit note.
    expect(tooltip('matched', 1, 0)).not.toContain('<br>')
    expect(tooltip('matched', 2, 1)).not.toContain('<br>')
  })
})
