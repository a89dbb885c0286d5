import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { drawLattice, visibleSites, type Context2D, type DrawInput } from '../../src-renderer/src/logic/editor/draw'
import { SPIN_FALLBACK } from '../../src-renderer/src/logic/editor/colorScale'
import { fitView, type View } from '../../src-renderer/src/logic/editor/geometry'

/** A 2D context that records calls, with the fill style in force at each fillRect. */
function recorder() {
  const calls: { op: string; args: unknown[]; fill?: string }[] = []
  const ctx = {
    fillStyle: '' as unknown,
    strokeStyle: '' as unknown,
    lineWidth: 1,
    imageSmoothingEnabled: true,
    setTransform: (...args: unknown[]) => calls.push({ op: 'setTransform', args }),
    clearRect: (...args: unknown[]) => calls.push({ op: 'clearRect', args }),
    fillRect: (...args: unknown[]) => calls.push({ op: 'fillRect', args, fill: String(ctx.fillStyle) }),
    strokeRect: (...args: unknown[]) => calls.push({ op: 'strokeRect', args }),
    beginPath: () => calls.push({ op: 'beginPath', args: [] }),
    moveTo: (...args: unknown[]) => calls.push({ op: 'moveTo', args }),
    lineTo: (...args: unknown[]) => calls.push({ op: 'lineTo', args }),
    stroke: () => calls.push({ op: 'stroke', args: [] }),
    drawImage: (...args: unknown[]) => calls.push({ op: 'drawImage', args })
  }
  const count = (op: string) => calls.filter((c) => c.op === op).length
  return { ctx: ctx as unknown as Context2D, calls, count, raw: ctx }
}

function input(model: IsingModel, view: View, over: Partial<DrawInput> = {}): DrawInput {
  return {
    model,
    spins: new Int8Array(model.lattice.N).fill(1),
    view,
    width: 400,
    height: 300,
    dpr: 1,
    colors: SPIN_FALLBACK,
    limit: 1,
    ...over
  }
}
const square = (L: number) =>
  uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), { K: 0.4 })
const fakeImage = {} as CanvasImageSource

describe('drawLattice', () => {
  it('draws a zoomed-out grid as one scaled bitmap, smoothing off', () => {
    const model = square(64)
    const r = recorder()
    const detail = drawLattice(r.ctx, input(model, fitView(model.lattice, 400, 300), { spinImage: fakeImage }))
    expect(detail).toEqual({ bitmap: true, fields: false, bonds: false })
    expect(r.count('drawImage')).toBe(1)
    expect(r.count('fillRect')).toBe(0)
    expect(r.raw.imageSmoothingEnabled).toBe(false)
    const args = r.calls.find((c) => c.op === 'drawImage')!.args as number[]
    expect(args.slice(1, 5)).toEqual([0, 0, 64, 64])
    for (const v of args.slice(5)) expect(Number.isInteger(v)).toBe(true)
  })

  it('draws the sheared triangular lattice one shifted row at a time', () => {
    const model = uniformModel(buildLattice({ kind: 'triangular', Lx: 60, Ly: 60 }), { K: 0.2 })
    const r = recorder()
    drawLattice(r.ctx, input(model, fitView(model.lattice, 400, 300), { spinImage: fakeImage }))
    const rows = r.calls.filter((c) => c.op === 'drawImage').map((c) => c.args as number[])
    expect(rows).toHaveLength(60)
    expect(rows[1][5] - rows[0][5]).toBeLessThan(0) // each row starts half a cell further left
    for (let k = 1; k < rows.length; k++) expect(rows[k][6]).toBe(rows[k - 1][6] + rows[k - 1][8]) // rows meet without gaps
  })

  it('draws cells with field markers when zoomed in, in whole device pixels', () => {
    const model = square(6)
    model.fields[7] = 0.5
    const spins = new Int8Array(36).fill(1)
    spins[3] = -1
    for (const dpr of [1, 2]) {
      const r = recorder()
      const detail = drawLattice(r.ctx, input(model, { scale: 10, offsetX: 20.3, offsetY: 11.7 }, { spins, dpr }))
      expect(detail).toEqual({ bitmap: false, fields: true, bonds: false })
      const rects = r.calls.filter((c) => c.op === 'fillRect')
      expect(rects).toHaveLength(36 + 1)
      expect(rects.filter((c) => c.fill === 'rgba(31, 59, 99, 1)')).toHaveLength(1)
      for (const c of rects) for (const v of c.args as number[]) expect(Number.isInteger(v)).toBe(true)
      expect((rects[0].args as number[])[2]).toBe(10 * dpr) // full cells: no gaps below the bond zoom
      expect(r.count('stroke')).toBe(0)
    }
  })

  it('shows bonds coloured by K_ij once zoomed in enough, with the cells inset', () => {
    const model = square(4)
    model.couplings[0] = -1
    const r = recorder()
    const strokes: string[] = []
    const stroke = r.raw.stroke
    r.raw.stroke = () => {
      strokes.push(String(r.raw.strokeStyle))
      return stroke()
    }
    const detail = drawLattice(r.ctx, input(model, { scale: 30, offsetX: 30, offsetY: 30 }))
    expect(detail.bonds).toBe(true)
    expect(strokes).toHaveLength(model.couplings.length)
    expect(strokes).toContain('rgb(5, 48, 97)') // K = −1 at the blue end
    const cell = r.calls.find((c) => c.op === 'fillRect')!.args as number[]
    expect(cell[2]).toBeLessThan(30)
  })

  it('culls sites outside the canvas', () => {
    const model = square(100)
    const view = { scale: 20, offsetX: 0, offsetY: 0 }
    const sites = visibleSites({ model, view, width: 400, height: 300 })
    expect(sites.length).toBeLessThanOrEqual(22 * 17)
    expect(sites).toContain(0)
    expect(sites).not.toContain(99)
  })

  it('falls back to cells without a bitmap, draws graphs, and outlines the hovered site', () => {
    const model = uniformModel(buildLattice({ kind: 'graph', N: 10, bonds: [[0, 1]] }), { K: 1 })
    const r = recorder()
    const detail = drawLattice(r.ctx, input(model, fitView(model.lattice, 400, 300), { hoverSite: 4 }))
    expect(detail.bitmap).toBe(false)
    expect(r.count('fillRect')).toBe(10)
    expect(r.count('strokeRect')).toBe(1)
  })
})
