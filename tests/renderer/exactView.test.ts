import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ExactView from '../../src-renderer/src/views/ExactView.vue'
import ProjectTree from '../../src-renderer/src/components/ProjectTree.vue'
import { useDataStore } from '../../src-renderer/src/stores/data'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useProjectItems } from '../../src-renderer/src/stores/projectItems'
import { cleanZero, exactCsv, exactRows, onsagerCoupling, uniqueName } from '../../src-renderer/src/logic/exactTable'
import { onsagerEnergyPerSpin, onsagerSpontaneousMagnetization } from '@core/ising/onsager'
import type { ProjectAnalysis } from '@shared/project/types'

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  vi.restoreAllMocks()
})

const torus = (L: number) => ({ kind: 'square' as const, Lx: L, Ly: L, periodicX: true, periodicY: true })
const RESULT = {
  method: 'kaufman',
  N: 4,
  lnZ: 3.1,
  f: -0.775,
  e: -1.2,
  c: 0.9,
  m: 3.7e-18,
  absM: 0.8,
  m2: 0.7,
  chi: 2.8,
  chiAbs: 0.2,
  supplementedBy: { m: 'enumeration', absM: 'enumeration' }
}
function analysis(over: Partial<ProjectAnalysis> = {}): ProjectAnalysis {
  return {
    id: 'exact1',
    name: 'Exact solution of Tiny',
    kind: 'exact',
    sourceId: 'model1',
    spec: { method: 'kaufman', onsagerK: 0.5 },
    createdAt: '',
    arrays: {},
    result: { ...RESULT },
    ...over
  }
}

describe('exact solutions: the numbers', () => {
  it('rounding residue below 1e-12 of the scale reads 0; the methods are named', () => {
    expect(cleanZero(3.7e-18)).toBe(0)
    expect(cleanZero(2e-12)).toBe(2e-12)
    const rows = exactRows(analysis())
    expect(rows.find((r) => r.key === 'm')).toMatchObject({ value: 0, method: 'enumeration' })
    expect(rows.find((r) => r.key === 'e')).toMatchObject({ value: -1.2, method: 'Kaufman’s formula' })
    expect(rows.find((r) => r.key === 'e')!.infinite).toBeCloseTo(0.5 * onsagerEnergyPerSpin(0.5), 12)
    expect(rows.find((r) => r.key === 'absM')!.infinite).toBeCloseTo(onsagerSpontaneousMagnetization(0.5), 12)
    expect(rows.find((r) => r.key === 'chi')!.infinite).toBeNull()
    expect(exactCsv(rows).split('\r\n')[0]).toBe('observable,value,method,infinite_lattice')
    expect(exactCsv(rows)).toContain('m,0,enumeration,')
  })

  it('Onsager applies to the uniform ferromagnetic square lattice in zero field only', () => {
    expect(onsagerCoupling({ lattice: torus(4), uniform: { K: 0.4, h: 0 } })).toBe(0.4)
    expect(onsagerCoupling({ lattice: torus(4), uniform: { K: 0.4, h: 0.1 } })).toBeNull()
    expect(onsagerCoupling({ lattice: torus(4), uniform: { K: 0.4, Ky: 0.2, h: 0 } })).toBeNull()
    expect(onsagerCoupling({ lattice: { kind: 'triangular', Lx: 4, Ly: 4 }, uniform: { K: 0.4, h: 0 } })).toBeNull()
    expect(onsagerCoupling({ lattice: torus(4), uniform: { K: -0.4, h: 0 } })).toBeNull()
  })

  it('names stay unique', () => {
    expect(uniqueName('A', ['B'])).toBe('A')
    expect(uniqueName('A', ['A', 'A (2)'])).toBe('A (3)')
  })
})

describe('the exact view', () => {
  it('shows every observable with its method, the infinite-lattice column, and 0 for m', () => {
    const wrapper = mount(ExactView, { props: { analysis: analysis() } })
    const m = wrapper.get('[data-testid="exact-row-m"]')
    expect(m.text()).toContain('0')
    expect(m.text()).not.toContain('10')
    expect(m.text()).toContain('enumeration')
    expect(wrapper.get('[data-testid="exact-observables"]').text()).toContain('Infinite lattice (Onsager, K = 0.5)')
    expect(wrapper.get('[data-testid="exact-infinite-f"]').text()).not.toBe('—')
    expect(wrapper.findAll('tbody tr')).toHaveLength(9)
  })

  it('shows the marginals, correlations and most probable configurations when kept, and exports', async () => {
    const data = useDataStore()
    const p = new Float64Array(16).fill(0.01)
    p[0] = 0.45
    p[15] = 0.45
    data.arrays = {
      'exact1.marginals': { dtype: '<f8', shape: [4], data: new Float64Array([0.5, 0.5, 0.5, 0.5]) },
      'exact1.correlations': { dtype: '<f8', shape: [4, 4], data: new Float64Array(16).fill(0.6) },
      'exact1.distribution': { dtype: '<f8', shape: [16], data: p }
    }
    const arrays = {
      marginals: 'exact1.marginals',
      correlations: 'exact1.correlations',
      distribution: 'exact1.distribution'
    }
    const wrapper = mount(ExactView, { props: { analysis: analysis({ arrays }) } })
    expect(wrapper.get('[data-testid="exact-marginals"]').findAll('td')).toHaveLength(4)
    expect(wrapper.get('[data-testid="exact-correlations"]').findAll('td')).toHaveLength(16)
    const top = wrapper.get('[data-testid="exact-distribution"]').findAll('li')
    expect(top[0]!.text()).toContain('0.45')
    expect(top[0]!.findAll('.down')).toHaveLength(4)
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'))
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    await wrapper.get('[data-testid="exact-export-json"]').trigger('click')
    const json = JSON.parse(await blobs[0]!.text())
    expect(json.distribution).toHaveLength(16)
    expect(json.observables.m.value).toBe(0)
  })

  it('clicking an exact solution in the tree opens it, not its model', async () => {
    const project = useProjectStore()
    project.newProject()
    project.project.analyses.push(analysis())
    const wrapper = mount(ProjectTree)
    await flushPromises()
    await wrapper.get('[data-testid="analysis-exact1"]').trigger('click')
    expect(project.selectedId).toBe('exact1')
    // Names cut short in the narrow tree are whole in their tooltip.
    expect(wrapper.get('[data-testid="analysis-exact1"] .name').attributes('title')).toBe('Exact solution of Tiny')
  })

  it('a finished solve keeps its marginals, correlations and P(v) as arrays of the analysis', async () => {
    const data = useDataStore()
    const finished = vi.fn()
    data.onFinished(finished)
    await data.startExact({
      id: 'exact1',
      name: 'Exact',
      modelId: 'model1',
      spec: { model: { lattice: torus(2), uniform: { K: 0.3, h: 0 } } }
    })
    const details = {
      marginals: new Float64Array(4).fill(0.5),
      correlations: new Float64Array(16).fill(1),
      distribution: new Float64Array(16).fill(1 / 16)
    }
    fake.emit('jobs.result', { jobId: data.pending[0]!.jobId, result: { ...RESULT, ...details }, cancelled: false })
    await flushPromises()
    const a = finished.mock.calls[0]![0].analysis as ProjectAnalysis
    expect(a.spec).toEqual({ method: 'kaufman', onsagerK: 0.3 })
    expect(Object.keys(a.arrays).sort()).toEqual(['correlations', 'distribution', 'marginals'])
    expect(data.arrays[a.arrays.distribution!]!.shape).toEqual([16])
    expect(data.arrays[a.arrays.correlations!]!.shape).toEqual([4, 4])
  })

  it('solving a model twice gives two names', async () => {
    const project = useProjectStore()
    project.newProject()
    const items = useProjectItems()
    await items.solveExactly('model1')
    await items.solveExactly('model1')
    const titles = fake.raw['jobs.start'].mock.calls.map(([a]) => a.title)
    expect(new Set(titles).size).toBe(2)
  })
})
