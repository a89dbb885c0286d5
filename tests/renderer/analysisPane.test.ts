// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setApi } from '../../src-renderer/src/api'
import AnalysisPane from '../../src-renderer/src/components/AnalysisPane.vue'
import { installFakeApp } from '../helpers/renderer'

beforeEach(() => void installFakeApp())
afterEach(() => setApi(null))

const analysis = (kind: string) => ({
  id: 'a1',
  name: 'Something new',
  kind,
  sourceId: null,
  spec: {},
  createdAt: '2026-01-01T00:00:00Z',
  arrays: {},
  result: {}
})

describe('the centre for an analysis', () => {
  it('says so for a kind this version does not know, and keeps the record as it is', () => {
    const w = mount(AnalysisPane, { props: { analysis: analysis('made.later') } })
    expect(w.get('[data-testid="analysis-unknown"]').text()).toContain('“made.later”')
    expect(w.text()).toContain('Something new')
  })
  it('shows the view of a known kind (a reproduction of the paper)', () => {
    const w = mount(AnalysisPane, { props: { analysis: analysis('pipeline') } })
    expect(w.find('[data-testid="analysis-unknown"]').exists()).toBe(false)
    expect(w.find('[data-testid="pipeline-view"]').exists()).toBe(true)
  })
})
