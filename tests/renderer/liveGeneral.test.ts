import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useModelsStore } from '../../src-renderer/src/stores/models'
import LiveIsingView from '../../src-renderer/src/views/LiveIsingView.vue'
import ModelLatticeCanvas from '../../src-renderer/src/components/ModelLatticeCanvas.vue'
import { fitView } from '../../src-renderer/src/logic/editor/geometry'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import { packSpins } from '@core/ising/spinBits'
import type { ProjectDoc, ProjectJson } from '@shared/project/types'
import { stateToArrays } from '@shared/project/model'
import { closeLiveChains, createFakeApi } from './fakeApi'
import { triangularModel } from './generalFixtures'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(closeLiveChains)

/** A saved project with the edited 3×3 triangular model and, optionally, a general run on it. */
function docWith(run?: { saved: IsingChainResult }): ProjectDoc {
  const tri = triangularModel()
  const project: ProjectJson = {
    format: 'blockspin',
    formatVersion: 3,
    appVersion: '1.0.0',
    name: 'Triangles',
    createdAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2024-01-01T00:00:00.000Z',
    notes: '',
    models: [tri.record],
    runs: [],
    datasets: [],
    analyses: [],
    arrays: {}
  }
  const arrays = { ...tri.arrays }
  if (run) {
    project.runs.push({
      id: 'run1',
      name: 'Live chain 1',
      modelId: 'tri',
      kind: 'ising.chain',
      spec: {
        L: 3,
        K: 0.2,
        h: 0.05,
        algorithm: 'metropolis',
        sweepsPerFrame: 2,
        seed: 5,
        start: 'hot',
        general: { algorithm: 'heatbath', beta: 1.25 }
      },
      status: 'live',
      sweep: run.saved.sweep,
      arrays: { spins: 'run1.spins', energy: 'run1.energy', absM: 'run1.absM', rngState: 'run1.rng' },
      createdAt: '2024-01-01T00:00:00.000Z'
    })
    Object.assign(arrays, stateToArrays('run1', run.saved))
  }
  return { project, arrays }
}

async function openDoc(doc: ProjectDoc) {
  const stores = await setupProject(fake)
  fake.replies.open = { status: 'opened', path: '/p/tri.blockspin', name: 'tri.blockspin', doc }
  await stores.project.openPath('/p/tri.blockspin')
  return stores
}

const startSpec = (call = 0) => fake.raw['jobs.start'].mock.calls[call]![0].spec as IsingChainSpec
const commands = () => fake.raw['jobs.command'].mock.calls.map(([a]) => a.command)

function frame(sweep: number, spins: Int8Array): IsingFrame {
  return {
    L: 3,
    sweep,
    sites: spins.length,
    spinBits: packSpins(spins),
    params: { K: 0.2, h: 0.05, algorithm: 'metropolis', sweepsPerFrame: 1, beta: 1 },
    sweepsPerSecond: 0,
    acceptance: 0.5,
    series: { energy: new Float64Array(0), absM: new Float64Array(0) }
  }
}

describe('live chains on general models', () => {
  it('a new live chain on an edited triangular model sends the model data, edited couplings included', async () => {
    const { project, live } = await openDoc(docWith())
    const runId = project.addLiveRun('tri')!
    expect(project.project.runs[0]!.spec.general).toEqual({ algorithm: 'metropolis', beta: 1 })
    await live.play(runId)
    const spec = startSpec()
    expect(spec.model?.lattice).toEqual({ kind: 'triangular', Lx: 3, Ly: 3 })
    expect(spec.model?.couplings?.[5]).toBe(-0.75)
    expect(spec.model?.couplings?.length).toBe(27)
    expect(spec).toMatchObject({ algorithm: 'metropolis', beta: 1, start: 'hot', maxFps: 60 })
  })

  it('edits made in the model editor since are used at the next Play (continuing the exact state) and Reset', async () => {
    const { project, live } = await openDoc(docWith())
    const models = useModelsStore()
    const runId = project.addLiveRun('tri')!
    await live.play(runId)
    await live.pause(runId)
    const record = project.project.models[0]!
    const doc = models.docFor(record)
    const edited = {
      model: { ...doc.model, couplings: Float64Array.from(doc.model.couplings, (k, b) => (b === 0 ? 0.9 : k)) },
      spins: doc.spins
    }
    models.update('tri', edited)
    const state: IsingChainResult = {
      L: 3,
      sweep: 4,
      spins: new Int8Array(9).fill(1),
      energy: new Float64Array(4),
      absM: new Float64Array(4),
      rngState: new Uint32Array([9, 8, 7, 6]),
      params: { K: 0.2, h: 0.05, algorithm: 'metropolis', sweepsPerFrame: 1, beta: 1 }
    }
    fake.setSnapshot({ ok: true, data: state })
    await live.play(runId)
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(2)
    const again = startSpec(1)
    expect(again.model?.couplings?.[0]).toBe(0.9)
    expect(again.resume?.sweep).toBe(4)
    expect(fake.raw['jobs.start'].mock.calls[1]![0].rngState).toEqual(new Uint32Array([9, 8, 7, 6]))

    // Reset: back to sweep 0 with the model as edited now.
    models.update('tri', {
      model: { ...edited.model, couplings: Float64Array.from(edited.model.couplings, (k, b) => (b === 1 ? 0.6 : k)) },
      spins: doc.spins
    })
    await live.reset(runId)
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(3)
    expect(startSpec(2).model?.couplings?.[1]).toBe(0.6)
    expect(startSpec(2).resume).toBeUndefined()
  })

  it('the painted start sends the spins painted in the model editor', async () => {
    const { project, live } = await openDoc(docWith())
    const painted = Int8Array.from({ length: 9 }, (_, i) => (i < 4 ? -1 : 1))
    const models = useModelsStore()
    const doc = models.docFor(project.project.models[0]!)
    models.update('tri', { model: doc.model, spins: painted })
    const runId = project.addLiveRun('tri', 'painted')!
    expect(project.project.runs[0]!.spec).toMatchObject({ start: 'hot', startPainted: true })
    await live.play(runId)
    expect(startSpec()).toMatchObject({ start: 'painted', startSpins: painted })
  })

  it('painting on the view sends paint commands with site indices of the triangular lattice', async () => {
    const { project, live } = await openDoc(docWith())
    const runId = project.addLiveRun('tri')!
    await live.play(runId)
    const wrapper = mount(LiveIsingView, { props: { runId }, attachTo: document.body })
    fake.emit('jobs.frame', { jobId: 'job-1', frame: frame(0, new Int8Array(9).fill(1)) })
    await flushPromises()
    expect(wrapper.find('[data-testid="model-lattice-canvas"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="k-input"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="beta-input"]').exists()).toBe(true)
    const options = wrapper.findAll('[data-testid="algorithm"] option')
    expect(options.map((o) => o.attributes('value'))).toEqual([
      'metropolis',
      'metropolis-random',
      'heatbath',
      'wolff',
      'sw'
    ])
    // The model has a negative bond: cluster algorithms are offered but disabled.
    expect(options[3]!.attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="paint-mode"]').setValue('down')
    await wrapper.get('[data-testid="paint-brush"]').setValue('0')
    // Site 7 of the sheared 3×3 grid (x = 1, row 2) at its drawing position in the fitted view.
    const lattice = buildLattice({ kind: 'triangular', Lx: 3, Ly: 3 })
    const view = fitView(lattice, 480, 360)
    await wrapper.get('[data-testid="model-lattice-canvas"]').trigger('pointerdown', {
      button: 0,
      clientX: lattice.x[7]! * view.scale + view.offsetX,
      clientY: lattice.y[7]! * view.scale + view.offsetY
    })
    await flushPromises()
    const paint = commands().find((c) => c.type === 'paint') as { sites: Int32Array; values: Int8Array }
    expect(Array.from(paint.sites)).toEqual([7])
    expect(Array.from(paint.values)).toEqual([-1])
    expect(live.chains[runId]!.spins![7]).toBe(-1)
    wrapper.unmount()
  })

  it('the β field sends an edit carrying β; K and h edits are not offered on an edited model', async () => {
    const { project, live } = await openDoc(docWith())
    const runId = project.addLiveRun('tri')!
    await live.play(runId)
    expect(live.setParams(runId, { beta: 1.5 }).ok).toBe(true)
    expect(commands().at(-1)).toEqual({
      type: 'edit',
      params: { K: 0.2, h: 0.05, algorithm: 'metropolis', sweepsPerFrame: 1, beta: 1.5 }
    })
    expect(live.setParams(runId, { beta: -1 }).ok).toBe(false)
    expect(live.setParams(runId, { algorithm: 'heatbath' }).ok).toBe(true)
  })

  it('a saved general run resumes from its state (N spins, series, generator) with its model, and saves back the same way', async () => {
    const saved: IsingChainResult = {
      L: 3,
      sweep: 3,
      spins: Int8Array.from([1, -1, 1, 1, 1, -1, -1, 1, 1]),
      energy: Float64Array.of(-0.1, -0.2, -0.3),
      absM: Float64Array.of(0.1, 0.2, 0.3),
      rngState: new Uint32Array([4, 3, 2, 1]),
      params: { K: 0.2, h: 0.05, algorithm: 'heatbath', sweepsPerFrame: 2, beta: 1.25 }
    }
    const { project, live } = await openDoc(docWith({ saved }))
    expect(live.chains.run1!.general).toBe(true)
    expect(live.chains.run1!.params).toMatchObject({ algorithm: 'heatbath', beta: 1.25 })
    expect(Array.from(live.chains.run1!.spins!)).toEqual(Array.from(saved.spins))
    await live.play('run1')
    const spec = startSpec()
    expect(spec.resume).toMatchObject({ sweep: 3, spins: saved.spins, energy: saved.energy })
    expect(spec.model?.couplings?.[5]).toBe(-0.75)
    expect(spec).toMatchObject({ algorithm: 'heatbath', beta: 1.25 })
    expect(fake.raw['jobs.start'].mock.calls[0]![0].rngState).toEqual(saved.rngState)

    fake.setSnapshot({ ok: true, data: saved })
    const doc = await project.buildDoc()
    expect(doc.project.runs[0]!.spec).toMatchObject({
      algorithm: 'metropolis',
      general: { algorithm: 'heatbath', beta: 1.25 }
    })
    expect(doc.arrays['run1.spins']!.shape).toEqual([9])
    expect(JSON.stringify(doc.project.runs[0])).not.toContain('couplings')
  })
})

describe('ModelLatticeCanvas', () => {
  it('reports the sites under a round brush on a triangular lattice', async () => {
    const model = uniformModel(buildLattice({ kind: 'triangular', Lx: 4, Ly: 4 }), { K: 0.3 })
    const wrapper = mount(ModelLatticeCanvas, {
      props: { model, spins: new Int8Array(16).fill(1), sweep: 0, paintable: true, brushRadius: 1 }
    })
    const view = fitView(model.lattice, 480, 360)
    const i = 5
    await wrapper.get('canvas').trigger('pointerdown', {
      button: 0,
      clientX: model.lattice.x[i]! * view.scale + view.offsetX,
      clientY: model.lattice.y[i]! * view.scale + view.offsetY
    })
    const stroke = wrapper.emitted('paint')![0]![0] as { sites: Int32Array; first: boolean }
    // Site 5 and its six neighbours on the triangular lattice, all one grid unit away.
    const neighbours = new Set<number>([i])
    for (let k = model.lattice.adjStart[i]!; k < model.lattice.adjStart[i + 1]!; k++)
      neighbours.add(model.lattice.adjSite[k]!)
    expect(Array.from(stroke.sites).sort((a, b) => a - b)).toEqual([...neighbours].sort((a, b) => a - b))
    expect(stroke.first).toBe(true)
  })
})
