import { describe, expect, it } from 'vitest'
import {
  runRbmTraining,
  runRbmTrainingWith,
  type RbmTrainingFrame,
  type RbmTrainingResult,
  type RbmTrainingSpec,
  physicalEpoch
} from '@core/jobs/rbmTrain'
import { type RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import { EPOCH_OVERHEAD_MACS, trainingWork, workDone } from '@core/jobs/rbmTrainWork'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { HINTON_SALAKHUTDINOV } from '@core/rbm/train'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import { FakeJobHost, type FakeHostScript } from './fakeJobHost'

function spins(rows: number, seed: number): Int8Array {
  const rng = xoshiro128ss(seed)
  const out = new Int8Array(rows * 16)
  for (let r = 0; r < rows; r++) {
    const up = rng.nextFloat() < 0.5
    for (let i = 0; i < 16; i++) out[r * 16 + i] = rng.nextFloat() < 0.8 === up ? 1 : -1
  }
  return out
}

const spec: RbmTrainingSpec = {
  data: { rows: 60, cols: 16, data: spins(60, 1) },
  heldOut: { rows: 20, cols: 16, data: spins(20, 2) },
  dataUnits: 'pm1',
  layers: [{ nh: 6 }, { nh: 3, options: { epochs: 2 } }],
  options: {
    training: { ...HINTON_SALAKHUTDINOV, epochs: 3, batchSize: 10, shuffle: true },
    passUp: 'samples',
    visibleUnits: '01',
    thumbnails: 2,
    frameIntervalMs: 0
  },
  monitors: { pseudoLikelihood: 'stochastic', physical: { chains: 4, burnIn: 5, samplesPerChain: 5 } },
  lattice: { Lx: 4, Ly: 4, K: 0.3 }
}

async function run(s: RbmTrainingSpec, seedOrState: number | Uint32Array, script?: FakeHostScript, msPerNow = 1) {
  const host = new FakeJobHost<RbmTrainingFrame>(script, msPerNow)
  const rng = typeof seedOrState === 'number' ? xoshiro128ss(seedOrState) : xoshiro128ssFromState(seedOrState)
  const result = await runRbmTraining(s, rng, host.sink, host.signal)
  return { host, result }
}

const bits = (r: RbmTrainingResult) => r.dbn.layers.map((l) => Array.from(new Uint32Array(l.W.buffer.slice(0))))

describe('RBM training job', () => {
  it('progress in percent of the arithmetic, a frame per epoch with monitors, thumbnails and a checkpoint', async () => {
    const { host, result } = await run(spec, 7)
    expect(result.complete).toBe(true)
    expect(host.frames.map((f) => [f.layer, f.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2]
    ])
    const last = host.progressReports.at(-1)!
    expect([last.done, last.total, last.unit]).toEqual([100, 100, '%'])
    // Layer 1 (60 rows, 16×6, 3 epochs) holds its products and epochs' overhead of the work:
    // progress after it says so.
    const w1 = 3 * (60 * 16 * 6 * 3 + EPOCH_OVERHEAD_MACS)
    const w2 = 2 * (60 * 6 * 3 * 3 + EPOCH_OVERHEAD_MACS)
    const afterLayer1 = host.progressReports.find((p) => p.note?.startsWith('layer 1/2, epoch 3/3'))!
    expect(afterLayer1.done).toBeCloseTo((100 * w1) / (w1 + w2), 1)
    expect(last.note).toContain('layer 2/2')
    expect(result.dbn.layers.map((l) => [l.nv, l.nh, l.visibleUnits])).toEqual([
      [16, 6, '01'],
      [6, 3, '01']
    ])
    expect(result.dbn.passUp).toBe('samples')
    expect(result.history).toHaveLength(5)
    const first = host.frames[0]
    expect(first.monitors.physical).toBeDefined()
    expect(first.monitors.pseudoLikelihood).toBeDefined()
    expect(first.monitors.logLikelihood).toBeDefined()
    expect(first.monitors.freeEnergyGap).toBeDefined()
    expect(host.frames[3].monitors.physical).toBeUndefined()
    expect(first.thumbnails!.images).toHaveLength(2)
    expect(host.frames[3].thumbnails!.depth).toBe(2)
    expect(first.series!['layer1:reconstructionError']).toHaveLength(1)
    expect(host.frames[4].checkpoint.layer).toBe(1)
  })

  it('resuming from any epoch checkpoint continues bit for bit', async () => {
    const straight = await run(spec, 7)
    for (const k of [1, 2, 3]) {
      const checkpoint = structuredClone(straight.host.frames[k].checkpoint) as RbmTrainingCheckpoint
      const resumed = await run({ ...spec, resume: checkpoint }, checkpoint.rngState)
      expect(bits(resumed.result)).toEqual(bits(straight.result))
      expect(resumed.result.history).toEqual(straight.result.history)
      expect(resumed.host.frames.length).toBe(straight.host.frames.length - k - 1)
    }
    await expect(run({ ...spec, resume: straight.host.frames[1].checkpoint }, 99)).rejects.toThrow(/rngState/)
  })

  it('records the arithmetic that trained the network, and a resume on kernels that round differently', async () => {
    const TS = 'TypeScript; fp32 updates'
    const straight = await run(spec, 7)
    expect(straight.result.arithmetic).toEqual([TS])
    const checkpoint = structuredClone(straight.host.frames[1].checkpoint) as RbmTrainingCheckpoint
    expect(checkpoint.arithmetic).toEqual([TS])
    // Resumed on the same kernels: nothing to note.
    expect((await run({ ...spec, resume: checkpoint }, checkpoint.rngState)).result.arithmetic).toEqual([TS])
    // Resumed on the WebAssembly kernels: both are named, in order.
    const wasm = createWasmDenseKernels({ relaxedSimd: false })!
    const host = new FakeJobHost<RbmTrainingFrame>(undefined, 1)
    const other = await runRbmTrainingWith(wasm)(
      { ...spec, resume: checkpoint },
      xoshiro128ssFromState(checkpoint.rngState),
      host.sink,
      host.signal
    )
    expect(other.arithmetic).toEqual([TS, 'WebAssembly SIMD; fp32 updates'])
    expect(host.frames.at(-1)!.checkpoint.arithmetic).toEqual([TS, 'WebAssembly SIMD; fp32 updates'])
    // A checkpoint of an earlier version (updates in double) resumed now: noted too.
    const older = { ...checkpoint, arithmetic: ['TypeScript'] }
    expect((await run({ ...spec, resume: older }, checkpoint.rngState)).result.arithmetic).toEqual(['TypeScript', TS])
  })

  it('pause and snapshot: no training while paused, the snapshot is a mid-epoch checkpoint, nothing changes', async () => {
    const straight = await run(spec, 7, undefined, 20)
    let framesWhenPaused = -1
    const script: FakeHostScript = (call, h) => {
      // Three minibatches per slice (20 ms per clock read, 50 ms slices), six per epoch: the
      // slice before call 3 ends mid-epoch.
      if (call === 3) {
        h.paused = true
        framesWhenPaused = paused.frames.length
      }
      if (call === 6) return [{ type: 'snapshot', requestId: 'a' }]
      if (call === 9) {
        expect(paused.frames.length).toBe(framesWhenPaused)
        h.paused = false
      }
    }
    // The script runs once the host exists (its first call is the runner's first yield).
    const paused = new FakeJobHost<RbmTrainingFrame>(script, 20)
    const result = await runRbmTraining(spec, xoshiro128ss(7), paused.sink, paused.signal)
    expect(bits(result)).toEqual(bits(straight.result))
    const snap = paused.replies.get('a') as RbmTrainingCheckpoint
    expect(snap.trainer.batchIndex).toBeGreaterThan(0)
    const resumed = await run({ ...spec, resume: structuredClone(snap) }, snap.rngState, undefined, 20)
    expect(bits(resumed.result)).toEqual(bits(straight.result))
  })

  it('cancel stops at the next yield and returns a resumable checkpoint', async () => {
    const { host, result } = await run(spec, 7, (call, h) => {
      if (call === 2) h.cancelled = true
    })
    expect(result.complete).toBe(false)
    expect(host.frames.length).toBeLessThan(5)
    expect(result.checkpoint.rngState).toHaveLength(4)
  })
})

describe('frame pacing', () => {
  it('holds frames back to the interval but loses no monitor series and ends each layer with a frame', async () => {
    const paced: RbmTrainingSpec = { ...spec, options: { ...spec.options, frameIntervalMs: 1e9 } }
    const { host, result } = await run(paced, 7)
    // The first epoch shows at once; then one frame per layer's last epoch, carrying the series
    // of every epoch held back.
    expect(host.frames.map((f) => [f.layer, f.epoch])).toEqual([
      [0, 1],
      [0, 3],
      [1, 2]
    ])
    expect(host.frames[1]!.series!['layer1:epoch']).toEqual(Float64Array.of(2, 3))
    expect(host.frames[2]!.series!['layer2:epoch']).toEqual(Float64Array.of(1, 2))
    expect(host.frames[2]!.checkpoint.history).toHaveLength(5)
    const unpaced = await run(spec, 7)
    expect(result.history).toEqual(unpaced.result.history)
  })
})

describe('training work shares (progress and ETA)', () => {
  it('weights each layer by rows·nv·nh·(k + 2) per epoch plus the epoch’s overhead', () => {
    // The paper's DBN: 1600→400→100→25, 200 epochs each, CD-1; its products alone first.
    const paper = [{ epochs: 200 }, { epochs: 200 }, { epochs: 200 }]
    const shares = trainingWork(20_000, [1600, 400, 100, 25], paper, 0)
    expect(shares[0]).toBeCloseTo(640_000 / (640_000 + 40_000 + 2_500), 12)
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(workDone(shares, 0, 100, 200)).toBeCloseTo(46.9, 1)
    expect(workDone(shares, 1, 0, 200)).toBeCloseTo(93.8, 1)
    expect(workDone(shares, 2, 200, 200)).toBe(100)
    // With the overhead of an epoch (monitors, frame): the small layers take 14 %, as measured
    // on the full template (layers 2 and 3 about 65 s of 451 s).
    const measured = trainingWork(18_000, [1600, 400, 100, 25], paper)
    expect(1 - measured[0]!).toBeGreaterThan(0.12)
    expect(1 - measured[0]!).toBeLessThan(0.16)
    // CD-k costs k + 2 products per minibatch.
    const k = trainingWork(
      10,
      [4, 4, 4],
      [
        { epochs: 1, k: 1 },
        { epochs: 1, k: 4 }
      ],
      0
    )
    expect(k[0]).toBeCloseTo(3 / 9, 12)
    expect(k[1]).toBeCloseTo(6 / 9, 12)
  })
})

describe('the physical monitors’ schedule', () => {
  it('runs after the first epoch, every k-th and the last; the same schedule on resume', async () => {
    const scheduled: RbmTrainingSpec = {
      ...spec,
      layers: [{ nh: 6 }],
      options: { ...spec.options, training: { ...spec.options.training, epochs: 5 } },
      monitors: { ...spec.monitors, physicalEvery: 2 }
    }
    const { host } = await run(scheduled, 7)
    expect(host.frames.map((f) => [f.epoch, f.monitors.physical !== undefined])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, true]
    ])
    expect([1, 2, 3, 4, 5, 9, 10].map((e) => physicalEpoch(e, 10, 3))).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
      true
    ])
    expect(physicalEpoch(7, 200)).toBe(true)
  })
})
