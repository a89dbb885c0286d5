import type { IsingModel } from '@core/lattice/types'

/**
 * What the lattice editor edits: a model (lattice, fields K_i, couplings K_ij) and one spin
 * configuration on it. Edits are plain values, so a brush stroke, an undo and a redo are all
 * "apply this list of index → value changes".
 *
 * Design: `applyEdit` and `revertEdit` change the document's typed arrays IN PLACE and return
 * the document to use next — the same object for array edits (cost O(size of the edit), so a
 * brush on a 1024² lattice never copies the lattice), the replacement document for model edits.
 * Vue does not see typed-array writes: whoever applies an edit also bumps a revision counter
 * (EditorState does) so views redraw.
 */
export interface EditorDocument {
  model: IsingModel
  /** One spin ±1 per site. */
  spins: Int8Array
}

export type ArrayTarget = 'spins' | 'fields' | 'couplings'

/** A change to some entries of one array. Spins are stored as ±1 in `before`/`after`. */
export interface ArrayEdit {
  target: ArrayTarget
  /** Entries changed (site indices for spins and fields, bond indices for couplings); distinct. */
  indices: Int32Array
  before: Float64Array
  after: Float64Array
  /** Shown in the undo/redo tooltips ("Paint spins up", "Set K_ij = 0.4"). */
  label: string
  /** Edits of one brush stroke carry the same id; History merges them into one undo step. */
  stroke?: number
}

/** A whole-model replacement (a preset, a new lattice, uniform couplings): one undo step. */
export interface ModelEdit {
  target: 'model'
  before: EditorDocument
  after: EditorDocument
  label: string
}

export type Edit = ArrayEdit | ModelEdit

let strokeCounter = 0
/** A fresh id for the edits of one brush stroke. */
export function nextStrokeId(): number {
  strokeCounter += 1
  return strokeCounter
}

/** The array an array edit writes to. */
export function targetArray(doc: EditorDocument, target: ArrayTarget): Int8Array | Float64Array {
  switch (target) {
    case 'spins':
      return doc.spins
    case 'fields':
      return doc.model.fields
    case 'couplings':
      return doc.model.couplings
  }
}

function checkShape(edit: ArrayEdit, length: number): void {
  const n = edit.indices.length
  if (edit.before.length !== n || edit.after.length !== n) {
    throw new RangeError(
      `edit "${edit.label}": ${n} indices but ${edit.before.length} before and ${edit.after.length} after values`
    )
  }
  for (let k = 0; k < n; k++) {
    const i = edit.indices[k]
    if (i < 0 || i >= length)
      throw new RangeError(`edit "${edit.label}": index ${i} outside [0, ${length - 1}] of ${edit.target}`)
  }
}

/** Applies an edit; see the module comment for the in-place contract. */
export function applyEdit(doc: EditorDocument, edit: Edit): EditorDocument {
  if (edit.target === 'model') return edit.after
  const array = targetArray(doc, edit.target)
  checkShape(edit, array.length)
  for (let k = 0; k < edit.indices.length; k++) array[edit.indices[k]] = edit.after[k]
  return doc
}

/** Undoes an edit applied to this document (in reverse order, so it is exact even with repeats). */
export function revertEdit(doc: EditorDocument, edit: Edit): EditorDocument {
  if (edit.target === 'model') return edit.before
  const array = targetArray(doc, edit.target)
  checkShape(edit, array.length)
  for (let k = edit.indices.length - 1; k >= 0; k--) array[edit.indices[k]] = edit.before[k]
  return doc
}

/**
 * Builds an array edit from the entries that actually change, or null when none does.
 * `values(k)` gives the new value of `indices[k]`.
 */
export function arrayEdit(
  doc: EditorDocument,
  target: ArrayTarget,
  indices: ArrayLike<number>,
  values: (k: number) => number,
  label: string,
  stroke?: number
): ArrayEdit | null {
  const array = targetArray(doc, target)
  const idx: number[] = []
  const before: number[] = []
  const after: number[] = []
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    if (!Number.isInteger(i) || i < 0 || i >= array.length)
      throw new RangeError(`${target} index ${i} outside [0, ${array.length - 1}]`)
    const v = values(k)
    if (array[i] === v) continue
    idx.push(i)
    before.push(array[i])
    after.push(v)
  }
  if (idx.length === 0) return null
  const edit: ArrayEdit = {
    target,
    indices: Int32Array.from(idx),
    before: Float64Array.from(before),
    after: Float64Array.from(after),
    label
  }
  if (stroke !== undefined) edit.stroke = stroke
  return edit
}

/** A copy of a document that shares nothing with it (for tests and snapshots). */
export function cloneDocument(doc: EditorDocument): EditorDocument {
  return {
    model: { lattice: doc.model.lattice, fields: doc.model.fields.slice(), couplings: doc.model.couplings.slice() },
    spins: doc.spins.slice()
  }
}
