import { afterEach, describe, expect, it, vi } from 'vitest'
import { computed, effectScope, nextTick, ref, type EffectScope } from 'vue'
import { dbnReceptiveFields, type Dbn } from '@core/rbm/dbn'
import { tsDenseKernels } from '@core/rbm/kernelsTs'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { DenseKernels, Rbm } from '@core/rbm/types'
import { pageKernels } from '../../src-renderer/src/logic/pageKernels'
import { networkFields, sameNetwork, type LayerFields } from '../../src-renderer/src/logic/trainingImages'
import { useThrottled } from '../../src-renderer/src/composables/useThrottled'

/** A random 36 → 12 → 6 → 3 network (weights in [−scale, scale]) for a 6×6 lattice. */
function randomNetwork(seed: number, scale = 1): Dbn {
  const rng = xoshiro128ss(seed)
  const uniform = (n: number) => Float32Array.from({ length: n }, () => scale * (2 * rng.nextFloat() - 1))
  const sizes = [36, 12, 6, 3]
  const layers: Rbm[] = sizes.slice(1).map((nh, l) => ({
    nv: sizes[l]!,
    nh,
    visibleUnits: '01',
    hiddenUnits: '01',
    W: uniform(sizes[l]! * nh),
    a: uniform(sizes[l]!),
    b: uniform(nh)
  }))
  return { layers, passUp: 'probabilities' }
}

/** The kernels with their gemm calls counted. */
function counted(kernels: DenseKernels): DenseKernels & { gemm: ReturnType<typeof vi.fn> } {
  return { ...kernels, gemm: vi.fn(kernels.gemm) }
}

describe('networkFields', () => {
  it('gives the per-depth receptive fields of every layer exactly (TS kernels), in one product per depth', () => {
    const dbn = randomNetwork(11)
    const kernels = counted(tsDenseKernels)
    const layers = networkFields(dbn, 6, 6, kernels)
    expect(layers.map((l) => l.depth)).toEqual([1, 2, 3])
    layers.forEach((layer, l) => {
      const expected = dbnReceptiveFields(dbn, l + 1, 6, 6)
      expect(layer.fields.images).toHaveLength(dbn.layers[l]!.nh)
      expect(layer.fields.images.map((image) => Array.from(image))).toEqual(
        expected.images.map((image) => Array.from(image))
      )
      expect(Array.from(layer.fields.min)).toEqual(Array.from(expected.min))
      expect(Array.from(layer.fields.max)).toEqual(Array.from(expected.max))
      expect([layer.fields.globalMin, layer.fields.globalMax]).toEqual([expected.globalMin, expected.globalMax])
      expect(layer.limit).toBe(Math.max(-expected.globalMin, expected.globalMax))
      expect(layer.bias).toBe(dbn.layers[l]!.b)
    })
    // r¹ = W¹ needs no product; r² and r³ one each (per-depth recomputation would take three).
    expect(kernels.gemm).toHaveBeenCalledTimes(2)
  })

  it('agrees with the TS kernels within fp32 rounding when using the WebAssembly kernels', () => {
    const wasm = createWasmDenseKernels()
    expect(wasm).not.toBeNull()
    const dbn = randomNetwork(12)
    const fromWasm = networkFields(dbn, 6, 6, wasm!)
    const fromTs = networkFields(dbn, 6, 6, tsDenseKernels)
    expect(fromWasm).toHaveLength(3)
    fromWasm.forEach((layer, l) => {
      const limit = fromTs[l]!.limit
      expect(layer.limit).toBeCloseTo(limit, 4)
      layer.fields.images.forEach((image, j) => {
        const expected = fromTs[l]!.fields.images[j]!
        for (let p = 0; p < image.length; p++) expect(Math.abs(image[p]! - expected[p]!)).toBeLessThan(1e-5 * limit)
      })
    })
  })

  it('uses the page’s kernels by default: WebAssembly where it compiles, made once', () => {
    const kernels = pageKernels()
    expect(kernels).not.toBe(tsDenseKernels)
    expect(pageKernels()).toBe(kernels)
    const gemm = vi.spyOn(kernels, 'gemm')
    try {
      networkFields(randomNetwork(13), 6, 6)
      expect(gemm).toHaveBeenCalledTimes(2)
    } finally {
      gemm.mockRestore()
    }
  })

  it('falls back to the TS kernels where WebAssembly is missing', async () => {
    vi.resetModules()
    vi.stubGlobal('WebAssembly', undefined)
    try {
      const { pageKernels: fresh } = await import('../../src-renderer/src/logic/pageKernels')
      const { tsDenseKernels: ts } = await import('@core/rbm/kernelsTs')
      expect(fresh()).toBe(ts)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('shows nothing for a network that does not fit the lattice', () => {
    expect(networkFields(randomNetwork(14), 5, 7, tsDenseKernels)).toEqual([])
    expect(networkFields({ layers: [], passUp: 'probabilities' }, 6, 6, tsDenseKernels)).toEqual([])
  })
})

describe('sameNetwork', () => {
  it('is true for networks on the same arrays, false when any layer’s weights or biases differ', () => {
    const dbn = randomNetwork(21)
    expect(sameNetwork(dbn, { layers: [...dbn.layers], passUp: dbn.passUp })).toBe(true)
    expect(sameNetwork(dbn, { layers: dbn.layers.map((l) => ({ ...l, W: l.W.slice() })), passUp: dbn.passUp })).toBe(
      false
    )
    expect(
      sameNetwork(dbn, {
        layers: dbn.layers.map((l, i) => (i === 2 ? { ...l, b: l.b.slice() } : l)),
        passUp: dbn.passUp
      })
    ).toBe(false)
    expect(sameNetwork(dbn, { layers: dbn.layers.slice(0, 2), passUp: dbn.passUp })).toBe(false)
    expect(sameNetwork(dbn, { layers: dbn.layers, passUp: 'samples' })).toBe(false)
    expect(sameNetwork(null, null)).toBe(true)
    expect(sameNetwork(dbn, null)).toBe(false)
  })
})

describe('useThrottled (the fields while a training runs)', () => {
  let scope: EffectScope | null = null
  afterEach(() => {
    scope?.stop()
    scope = null
    vi.useRealTimers()
  })

  /** Fields of a throttled network, counting how often they are computed. */
  function throttledFields(first: Dbn) {
    const latest = ref<Dbn>(first)
    const running = ref(false)
    let computations = 0
    scope = effectScope()
    const fields = scope.run(() => {
      const shown = useThrottled(
        () => latest.value,
        () => running.value,
        1000,
        sameNetwork
      )
      return computed(() => {
        computations++
        return networkFields(shown.value, 6, 6, tsDenseKernels)
      })
    })!
    return { latest, running, fields, computations: () => computations }
  }
  const limits = (layers: LayerFields[]) => layers.map((l) => l.limit)
  const expected = (dbn: Dbn) => limits(networkFields(dbn, 6, 6, tsDenseKernels))

  it('recomputes at most once a second while running (the latest network wins), and at once on a pause', async () => {
    vi.useFakeTimers()
    const nets = [1, 2, 3, 4, 5].map((scale) => randomNetwork(31, scale))
    const t = throttledFields(nets[0]!)
    expect(limits(t.fields.value)).toEqual(expected(nets[0]!))
    expect(t.computations()).toBe(1)

    t.running.value = true
    await nextTick()
    for (const [wait, net] of [
      [100, nets[1]!],
      [200, nets[2]!],
      [300, nets[3]!]
    ] as const) {
      vi.advanceTimersByTime(wait)
      t.latest.value = net
      await nextTick()
      expect(limits(t.fields.value)).toEqual(expected(nets[0]!))
    }
    // The same weights again (a checkpoint read twice) are no new network.
    t.latest.value = { ...nets[3]!, layers: [...nets[3]!.layers] }
    await nextTick()
    vi.advanceTimersByTime(399)
    expect(limits(t.fields.value)).toEqual(expected(nets[0]!))
    expect(t.computations()).toBe(1)
    vi.advanceTimersByTime(1)
    expect(limits(t.fields.value)).toEqual(expected(nets[3]!))
    expect(t.computations()).toBe(2)

    // A newer network within the second waits; the pause shows it at once, and nothing more follows.
    vi.advanceTimersByTime(100)
    t.latest.value = nets[4]!
    await nextTick()
    expect(t.computations()).toBe(2)
    t.running.value = false
    await nextTick()
    expect(limits(t.fields.value)).toEqual(expected(nets[4]!))
    expect(t.computations()).toBe(3)
    vi.advanceTimersByTime(5000)
    expect(limits(t.fields.value)).toEqual(expected(nets[4]!))
    expect(t.computations()).toBe(3)
  })

  it('shows the final network at once when the training finishes, and follows every change when not running', async () => {
    vi.useFakeTimers()
    const nets = [1, 2, 3, 4].map((scale) => randomNetwork(41, scale))
    const t = throttledFields(nets[0]!)
    t.running.value = true
    await nextTick()
    vi.advanceTimersByTime(50)
    t.latest.value = nets[1]!
    await nextTick()
    expect(limits(t.fields.value)).toEqual(expected(nets[0]!))
    // Done: the finished network and the phase arrive together.
    t.latest.value = nets[2]!
    t.running.value = false
    await nextTick()
    expect(limits(t.fields.value)).toEqual(expected(nets[2]!))
    t.latest.value = nets[3]!
    await nextTick()
    expect(limits(t.fields.value)).toEqual(expected(nets[3]!))
    expect(t.computations()).toBe(3)
  })
})
