import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import TrainingFields from '../../src-renderer/src/components/TrainingFields.vue'
import TrainingImages from '../../src-renderer/src/components/TrainingImages.vue'
import type { Dbn } from '@core/rbm/dbn'
import type { Rbm } from '@core/rbm/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { packRgba, type Rgba } from '../../src-renderer/src/logic/colors'
import { fieldsMosaic, fieldsTable, imageMosaic, imagesTable } from '../../src-renderer/src/logic/imageExport'
import {
  divergingColor,
  inputRows,
  reconstructions,
  type LayerFields
} from '../../src-renderer/src/logic/trainingImages'
import { captureDownloads } from './downloads'

// Three units of a 2 × 3 lattice (Lx = 2, Ly = 3): unit u (from 0) has (u + 1)·(site + 1)/10 at site y·2 + x, negated for u = 2.
const Lx = 2,
  Ly = 3
const images = [0, 1, 2].map((u) =>
  Float32Array.from({ length: Lx * Ly }, (_, i) => ((u === 2 ? -1 : 1) * (u + 1) * (i + 1)) / 10)
)
const limit = 1.8
const colour = (v: number) => packRgba(divergingColor(v, limit))

afterEach(() => vi.restoreAllMocks())

describe('receptive-field export', () => {
  it('tiles the units ⌈√n⌉ to a row, each site a scale × scale block in the layer’s colours, gaps between', () => {
    const m = fieldsMosaic(images, Lx, Ly, limit, { scale: 3, gap: 1 })
    expect(m.columns).toBe(2)
    expect([m.width, m.height]).toEqual([2 * 6 + 3, 2 * 9 + 3])
    const at = (x: number, y: number) => m.pixels[y * m.width + x]
    const gap = at(0, 0)
    // The first unit's site (x = 1, y = 2), index 5 (0.6): a 3 × 3 block from (1 + 3, 1 + 6).
    for (const [dx, dy] of [
      [0, 0],
      [2, 0],
      [0, 2],
      [2, 2]
    ])
      expect(at(4 + dx!, 7 + dy!)).toBe(colour(images[0]![5]!))
    expect(at(4, 7)).not.toBe(colour(images[0]![4]!))
    // The second unit, beside it: its site 0 (0.2) at (1 + 6 + 1, 1).
    expect(at(8, 1)).toBe(colour(images[1]![0]!))
    // The third starts a second row of tiles: its site 0 (−0.3) at (1, 1 + 9 + 1).
    expect(at(1, 11)).toBe(colour(images[2]![0]!))
    // Gaps between tiles, and the empty fourth tile, are the gap colour.
    expect(at(7, 5)).toBe(gap)
    expect(at(10, 13)).toBe(gap)
    expect(gap).not.toBe(colour(0))
  })

  it('picks a scale that makes a tile about 64 pixels', () => {
    expect(fieldsMosaic(images, 40, 40, 1).width).toBe(2 * 80 + 3 * 2)
    expect(fieldsMosaic([new Float32Array(200 * 200)], 200, 200, 1).width).toBe(200 + 4)
  })

  it('tabulates a row per unit and a column per site “x,y”', () => {
    const t = fieldsTable(images, Lx, Ly)
    expect(t.header).toEqual(['unit', '0,0', '1,0', '0,1', '1,1', '0,2', '1,2'])
    expect(t.rows).toHaveLength(3)
    expect(t.rows[1]![0]).toBe(2)
    expect(t.rows[1]![6]).toBeCloseTo(1.2, 6)
    expect(t.rows[2]![1]).toBeCloseTo(-0.3, 6)
  })

  it('each layer offers PNG and CSV; the CSV holds its values', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const saved = captureDownloads()
    const layer: LayerFields = {
      depth: 2,
      fields: { images, globalMin: -0.9, globalMax: 1.2 } as LayerFields['fields'],
      bias: new Float32Array(3),
      limit
    }
    const w = mount(TrainingFields, { props: { layers: [layer], Lx, Ly } })
    // No 2D canvas in this host: PNG is offered but disabled, as the charts do.
    expect(w.get('[data-testid="fields-png-2"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="fields-csv-2"]').trigger('click')
    expect(saved[0]!.name).toBe('receptive-fields-layer-2.csv')
    const lines = (await saved[0]!.blob.text()).trim().split('\r\n')
    expect(lines[0]).toBe('unit,"0,0","1,0","0,1","1,1","0,2","1,2"')
    expect(lines).toHaveLength(4)
    expect(Number(lines[3]!.split(',')[1])).toBeCloseTo(-0.3, 6)
    w.unmount()
  })

  it('tiles any images under any colour map, `columns` to a row', () => {
    const grey = (v: number): Rgba => [Math.round(255 * v), Math.round(255 * v), Math.round(255 * v), 255]
    const tiles = [0, 1, 0.5, 1, 0].map((v) => new Float32Array(Lx * Ly).fill(v))
    const m = imageMosaic(tiles, Lx, Ly, grey, { scale: 1, gap: 1, columns: 3 })
    expect(m.columns).toBe(3)
    expect([m.width, m.height]).toEqual([3 * 2 + 4, 2 * 3 + 3])
    const at = (x: number, y: number) => m.pixels[y * m.width + x]
    expect(at(1, 1)).toBe(packRgba(grey(0)))
    expect(at(4, 1)).toBe(packRgba(grey(1)))
    expect(at(7, 1)).toBe(packRgba(grey(0.5)))
    expect(at(1, 5)).toBe(packRgba(grey(1))) // the fourth image opens the second row
    expect(at(7, 5)).toBe(at(0, 0)) // no sixth image: gap colour
  })

  it('tabulates any images with leading key columns', () => {
    const t = imagesTable(images, Lx, Ly, ['row', 'layers'], (i) => [10 + i, i % 2])
    expect(t.header.slice(0, 3)).toEqual(['row', 'layers', '0,0'])
    expect(t.rows[2]!.slice(0, 3)).toEqual([12, 0, images[2]![0]])
  })
})

/** A random 36 → 12 → 6 network for a 6×6 lattice. */
function network(seed: number): Dbn {
  const rng = xoshiro128ss(seed)
  const uniform = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.nextFloat() - 1)
  const sizes = [36, 12, 6]
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

describe('reconstruction and sample export', () => {
  it('exports the reconstructions (a row per input and depth) as CSV', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const saved = captureDownloads()
    const dbn = network(5)
    const rng = xoshiro128ss(6)
    const spins = Int8Array.from({ length: 20 * 36 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    const w = mount(TrainingImages, { props: { dbn, spins, firstRow: 14, Lx: 6, Ly: 6, units: '01', seed: 3 } })
    expect(w.get('[data-testid="reconstructions-png"]').attributes('disabled')).toBeDefined() // no 2D canvas here
    await w.get('[data-testid="reconstructions-csv"]').trigger('click')
    expect(saved[0]!.name).toBe('reconstructions.csv')
    const lines = (await saved[0]!.blob.text())
      .trim()
      .split('\r\n')
      .map((line) => line.split(','))
    expect(lines[0]!.slice(0, 2)).toEqual(['row', 'layers'])
    expect(lines).toHaveLength(1 + 6 * 3) // six configurations: input, through 1, through 2
    // Row 15 of the data, through two layers, is the network's reconstruction of it.
    const input = inputRows(spins, 36, 14, 6, '01')
    const expected = reconstructions(dbn, input)
    const line = lines[1 + 3 + 2]!
    expect(line.slice(0, 2)).toEqual(['15', '2'])
    line.slice(2).forEach((cell, s) => expect(Number(cell)).toBeCloseTo(expected[1]![1]![s]!, 6))
    // The input rows are the configurations in {0, 1}.
    expect(lines[1]!.slice(2).map(Number)).toEqual(Array.from(input.data.subarray(0, 36)))

    w.unmount()
  })
})
