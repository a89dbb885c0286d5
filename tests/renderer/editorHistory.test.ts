import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import {
  applyEdit,
  arrayEdit,
  cloneDocument,
  nextStrokeId,
  revertEdit,
  type ArrayEdit,
  type EditorDocument
} from '../../src-renderer/src/logic/editor/document'
import { EditorState, History } from '../../src-renderer/src/logic/editor/history'
import {
  applyPreset,
  applyUniform,
  paintSpins,
  setCouplings,
  setFields
} from '../../src-renderer/src/logic/editor/tools'

function squareDoc(L = 4, K = 0.4): EditorDocument {
  const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  return { model: uniformModel(lattice, { K, h: 0 }), spins: new Int8Array(L * L).fill(1) }
}

const snapshot = (doc: EditorDocument) => ({
  spins: Array.from(doc.spins),
  fields: Array.from(doc.model.fields),
  couplings: Array.from(doc.model.couplings),
  N: doc.model.lattice.N
})

describe('applyEdit / revertEdit', () => {
  it('write in place and return the same document; revert restores the exact arrays', () => {
    const doc = squareDoc()
    const before = snapshot(doc)
    const spins = doc.spins
    const edit = paintSpins(doc, [0, 5, 7], 'down')!
    expect(applyEdit(doc, edit)).toBe(doc)
    expect(doc.spins).toBe(spins)
    expect(Array.from(doc.spins.slice(0, 8))).toEqual([-1, 1, 1, 1, 1, -1, 1, -1])
    expect(revertEdit(doc, edit)).toBe(doc)
    expect(snapshot(doc)).toEqual(before)
  })

  it('only records entries that change, and returns null when nothing changes', () => {
    const doc = squareDoc()
    expect(paintSpins(doc, [0, 1, 2], 'up')).toBeNull()
    doc.spins[1] = -1
    const edit = paintSpins(doc, [0, 1, 2], 'up')!
    expect(Array.from(edit.indices)).toEqual([1])
    expect(Array.from(edit.before)).toEqual([-1])
    expect(Array.from(edit.after)).toEqual([1])
  })

  it('reverts exactly even when an edit repeats an index', () => {
    const doc = squareDoc()
    const edit: ArrayEdit = {
      target: 'fields',
      indices: Int32Array.of(3, 3),
      before: Float64Array.of(0, 0.5),
      after: Float64Array.of(0.5, -0.25),
      label: 't'
    }
    applyEdit(doc, edit)
    expect(doc.model.fields[3]).toBe(-0.25)
    revertEdit(doc, edit)
    expect(doc.model.fields[3]).toBe(0)
  })

  it('rejects malformed edits, naming the problem', () => {
    const doc = squareDoc()
    const bad: ArrayEdit = {
      target: 'spins',
      indices: Int32Array.of(16),
      before: Float64Array.of(1),
      after: Float64Array.of(-1),
      label: 'oops'
    }
    expect(() => applyEdit(doc, bad)).toThrow(/index 16 outside \[0, 15\] of spins/)
    const short: ArrayEdit = { ...bad, indices: Int32Array.of(1, 2) }
    expect(() => applyEdit(doc, short)).toThrow(/2 indices but 1 before/)
    expect(() => arrayEdit(doc, 'couplings', [99], () => 1, 'x')).toThrow(/couplings index 99/)
  })

  it('model edits swap whole documents, and revert hands back the original', () => {
    const doc = squareDoc()
    const edit = applyPreset(doc, { name: 'spin-glass', L: 6, seed: 3 })
    const next = applyEdit(doc, edit)
    expect(next.model.lattice.N).toBe(36)
    expect(next.spins).toHaveLength(36)
    expect(revertEdit(next, edit)).toBe(doc)
  })
})

describe('History', () => {
  const edit = (label: string, stroke?: number): ArrayEdit => ({
    target: 'spins',
    indices: Int32Array.of(0),
    before: Float64Array.of(1),
    after: Float64Array.of(-1),
    label,
    ...(stroke === undefined ? {} : { stroke })
  })

  it('undoes and redoes in order; a new edit clears redo', () => {
    const h = new History()
    expect(h.canUndo).toBe(false)
    expect(h.undo()).toBeNull()
    h.push(edit('a'))
    h.push(edit('b'))
    expect(h.undoLabel).toBe('b')
    expect(h.undo()!.label).toBe('b')
    expect(h.canRedo).toBe(true)
    expect(h.redoLabel).toBe('b')
    expect(h.redo()!.label).toBe('b')
    expect(h.redo()).toBeNull()
    h.undo()
    h.push(edit('c'))
    expect(h.canRedo).toBe(false)
    expect([h.undo()!.label, h.undo()!.label, h.undo()]).toEqual(['c', 'a', null])
  })

  it('keeps at most `cap` steps, dropping the oldest', () => {
    const h = new History(3)
    for (const l of ['1', '2', '3', '4', '5']) h.push(edit(l))
    expect(h.size).toBe(3)
    expect([h.undo()!.label, h.undo()!.label, h.undo()!.label, h.undo()]).toEqual(['5', '4', '3', null])
    expect(() => new History(0)).toThrow(/positive integer/)
  })

  it('merges consecutive edits of one stroke, keeping the first before and the last after', () => {
    const h = new History()
    const s = nextStrokeId()
    h.push({
      target: 'fields',
      indices: Int32Array.of(1, 2),
      before: Float64Array.of(0, 0),
      after: Float64Array.of(1, 1),
      label: 'Set K_i = 1',
      stroke: s
    })
    h.push({
      target: 'fields',
      indices: Int32Array.of(2, 3),
      before: Float64Array.of(1, 0),
      after: Float64Array.of(2, 2),
      label: 'Set K_i = 2',
      stroke: s
    })
    expect(h.size).toBe(1)
    const merged = h.undo() as ArrayEdit
    expect(Array.from(merged.indices)).toEqual([1, 2, 3])
    expect(Array.from(merged.before)).toEqual([0, 0, 0])
    expect(Array.from(merged.after)).toEqual([1, 2, 2])
    expect(merged.label).toBe('Set K_i = 1')
  })

  it('does not merge across strokes, targets, endStroke or an undo', () => {
    const h = new History()
    const s = nextStrokeId()
    h.push(edit('a', s))
    h.push(edit('b', nextStrokeId()))
    h.push({ ...edit('c', s) })
    h.push({ ...edit('d', s), target: 'fields' })
    h.endStroke()
    h.push({ ...edit('e', s), target: 'fields' })
    expect(h.size).toBe(5)
  })

  it('merges a long stroke into one step (its time per entry is a benchmark row)', () => {
    const h = new History()
    const s = nextStrokeId()
    for (let k = 0; k < 20000; k++) {
      h.push({
        target: 'spins',
        indices: Int32Array.of(k, k + 1),
        before: Float64Array.of(1, 1),
        after: Float64Array.of(-1, -1),
        label: 'x',
        stroke: s
      })
    }
    const merged = h.undo() as ArrayEdit
    expect(merged.indices).toHaveLength(20001)
    expect(merged.indices.every((index, k) => index === k)).toBe(true)
    expect(h.canUndo).toBe(false)
  })
})

describe('EditorState', () => {
  it('round-trips random sequences of every tool exactly through undo and redo', () => {
    const rng = xoshiro128ss(2024)
    const state = new EditorState(squareDoc(6))
    const states = [snapshot(cloneDocument(state.doc))]
    for (let step = 0; step < 60; step++) {
      const doc = state.doc
      const sites = Array.from({ length: 1 + (rng.nextUint32() % 5) }, () => rng.nextUint32() % doc.spins.length)
      const unique = [...new Set(sites)]
      const choice = rng.nextUint32() % 6
      const value = Math.round((rng.nextFloat() * 4 - 2) * 100) / 100
      const e =
        choice === 0
          ? paintSpins(doc, unique, 'flip')
          : choice === 1
            ? paintSpins(doc, unique, 'random', rng)
            : choice === 2
              ? setFields(doc, unique, value)
              : choice === 3
                ? setCouplings(
                    doc,
                    unique.map((i) => i % doc.model.couplings.length),
                    value
                  )
                : choice === 4
                  ? applyUniform(doc, { K: value, h: value / 2 })
                  : applyPreset(doc, { name: 'random-field', L: 3 + (rng.nextUint32() % 4), seed: step })
      if (!e) continue
      state.apply(e)
      states.push(snapshot(cloneDocument(state.doc)))
    }
    const n = states.length - 1
    for (let k = n; k > 0; k--) {
      expect(state.undo()).toBe(true)
      expect(snapshot(state.doc)).toEqual(states[k - 1])
    }
    expect(state.undo()).toBe(false)
    for (let k = 1; k <= n; k++) {
      expect(state.redo()).toBe(true)
      expect(snapshot(state.doc)).toEqual(states[k])
    }
    expect(state.redo()).toBe(false)
  })

  it('undoes a merged brush stroke in one step and counts revisions', () => {
    const state = new EditorState(squareDoc())
    const stroke = nextStrokeId()
    state.apply(paintSpins(state.doc, [0, 1], 'flip', undefined, stroke)!)
    state.apply(paintSpins(state.doc, [1, 2], 'flip', undefined, stroke)!)
    expect(Array.from(state.doc.spins.slice(0, 3))).toEqual([-1, 1, -1])
    expect(state.history.size).toBe(1)
    const r = state.revision
    state.undo()
    expect(state.revision).toBe(r + 1)
    expect(Array.from(state.doc.spins)).toEqual(new Array(16).fill(1))
    state.reset(squareDoc(3))
    expect(state.history.canUndo).toBe(false)
  })
})
