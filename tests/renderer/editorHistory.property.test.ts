import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { EditorDocument } from '../../src-renderer/src/logic/editor/document'
import { EditorState } from '../../src-renderer/src/logic/editor/history'
import {
  applyPreset,
  applyUniform,
  paintSpins,
  setCouplings,
  setFields,
  type SpinMode
} from '../../src-renderer/src/logic/editor/tools'

/**
 * Property tests of the editor's undo/redo (src-renderer/src/logic/editor/history.ts): after any
 * sequence of edits — brush strokes that merge, single edits, whole-model replacements that
 * change the lattice, undos and redos in between — undoing everything restores the document
 * the editor started from, redoing everything gives the last document again, and each undo step
 * is the exact inverse of the redo step it pairs with.
 */

function startDoc(L = 3): EditorDocument {
  const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  return { model: uniformModel(lattice, { K: 0.4, h: 0 }), spins: new Int8Array(L * L).fill(1) }
}

const snapshot = (doc: EditorDocument) => ({
  N: doc.model.lattice.N,
  spins: [...doc.spins],
  fields: [...doc.model.fields],
  couplings: [...doc.model.couplings]
})

/** Indices are taken modulo the current array's length, since presets change the lattice size. */
type Op =
  | { op: 'paint'; sites: number[]; mode: SpinMode; stroke: number | null }
  | { op: 'fields' | 'couplings'; at: number[]; value: number; stroke: number | null }
  | { op: 'uniform'; K: number; h: number }
  | { op: 'preset'; L: number; seed: number }
  | { op: 'endStroke' | 'undo' | 'redo' }

const indices = fc.array(fc.nat(63), { minLength: 1, maxLength: 6 })
const value = fc.constantFrom(-1, -0.5, 0, 0.25, 1)
const stroke = fc.option(fc.integer({ min: 1, max: 3 }), { nil: null })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('paint' as const),
      sites: indices,
      mode: fc.constantFrom<SpinMode>('up', 'down', 'flip', 'random'),
      stroke
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom('fields' as const, 'couplings' as const), at: indices, value, stroke })
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('uniform' as const), K: value, h: value }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('preset' as const), L: fc.integer({ min: 3, max: 4 }), seed: fc.nat(100) })
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('endStroke' as const, 'undo' as const, 'redo' as const) }) }
)

const unique = (xs: number[], n: number): number[] => [...new Set(xs.map((x) => x % n))]

function run(state: EditorState, ops: Op[]): void {
  let draws = xoshiro128ss(7)
  for (const o of ops) {
    const doc = state.doc
    const N = doc.model.lattice.N
    const nb = doc.model.couplings.length
    switch (o.op) {
      case 'paint': {
        const edit = paintSpins(doc, unique(o.sites, N), o.mode, draws, o.stroke ?? undefined)
        if (edit) state.apply(edit)
        break
      }
      case 'fields':
      case 'couplings': {
        const set = o.op === 'fields' ? setFields : setCouplings
        const edit = set(doc, unique(o.at, o.op === 'fields' ? N : nb), o.value, o.stroke ?? undefined)
        if (edit) state.apply(edit)
        break
      }
      case 'uniform':
        state.apply(applyUniform(doc, { K: o.K, h: o.h }))
        break
      case 'preset':
        state.apply(applyPreset(doc, { name: 'spin-glass', L: o.L, seed: o.seed }))
        draws = xoshiro128ss(o.seed)
        break
      case 'endStroke':
        state.history.endStroke()
        break
      case 'undo':
        state.undo()
        break
      case 'redo':
        state.redo()
        break
    }
  }
}

describe('editor undo/redo (property)', () => {
  it('undoing everything restores the starting document; redoing everything the last one', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const state = new EditorState(startDoc())
        const start = snapshot(state.doc)
        run(state, ops)
        // Redo whatever the sequence left undone, so "last" is the furthest document reached.
        while (state.redo());
        const last = snapshot(state.doc)
        const steps: ReturnType<typeof snapshot>[] = [last]
        while (state.undo()) steps.push(snapshot(state.doc))
        expect(steps.at(-1)).toEqual(start)
        expect(state.history.canUndo).toBe(false)
        // Redo walks the same documents forward again, step by step.
        for (let k = steps.length - 2; k >= 0; k--) {
          expect(state.redo()).toBe(true)
          expect(snapshot(state.doc)).toEqual(steps[k])
        }
        expect(state.redo()).toBe(false)
        expect(snapshot(state.doc)).toEqual(last)
      }),
      { numRuns: 200 }
    )
  })

  it('a new edit after undo drops the redo stack, and undo still returns to the start', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 20 }),
        fc.array(opArb, { maxLength: 20 }),
        (first, second) => {
          const state = new EditorState(startDoc())
          const start = snapshot(state.doc)
          run(state, first)
          state.undo()
          const edit = setFields(state.doc, [0], 1.5)
          if (edit) {
            state.apply(edit)
            expect(state.history.canRedo).toBe(false)
          }
          run(state, second)
          while (state.undo());
          expect(snapshot(state.doc)).toEqual(start)
        }
      ),
      { numRuns: 150 }
    )
  })

  it('with a short history, undo stops after `cap` steps at the document before the oldest one kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (sites, cap) => {
          const state = new EditorState(startDoc(), cap)
          const docs = [snapshot(state.doc)]
          for (const site of sites) {
            const edit = paintSpins(state.doc, [site], 'flip')
            state.apply(edit!)
            docs.push(snapshot(state.doc))
          }
          let undone = 0
          while (state.undo()) undone++
          expect(undone).toBe(Math.min(cap, sites.length))
          expect(snapshot(state.doc)).toEqual(docs[sites.length - undone])
        }
      )
    )
  })
})
