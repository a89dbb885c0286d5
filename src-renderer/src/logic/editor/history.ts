import { applyEdit, revertEdit, type ArrayEdit, type Edit, type EditorDocument } from './document'

/** Default number of undo steps kept. */
export const HISTORY_CAP = 200

/**
 * Collects the edits of one brush stroke into a single edit: each index keeps the value it had
 * before the stroke's first touch and the value after its last. Amortised O(1) per entry
 * (a map and doubling arrays), so a long stroke never re-copies what it has gathered.
 */
class StrokeBuilder {
  readonly target: ArrayEdit['target']
  readonly label: string
  readonly stroke: number
  private readonly position = new Map<number, number>()
  private indices = new Int32Array(16)
  private before = new Float64Array(16)
  private after = new Float64Array(16)
  private n = 0

  constructor(first: ArrayEdit & { stroke: number }) {
    this.target = first.target
    this.label = first.label
    this.stroke = first.stroke
    this.add(first)
  }

  add(edit: ArrayEdit): void {
    for (let k = 0; k < edit.indices.length; k++) {
      const i = edit.indices[k]
      const at = this.position.get(i)
      if (at !== undefined) {
        this.after[at] = edit.after[k]
        continue
      }
      if (this.n === this.indices.length) this.grow()
      this.position.set(i, this.n)
      this.indices[this.n] = i
      this.before[this.n] = edit.before[k]
      this.after[this.n] = edit.after[k]
      this.n += 1
    }
  }

  private grow(): void {
    const size = this.indices.length * 2
    const indices = new Int32Array(size)
    const before = new Float64Array(size)
    const after = new Float64Array(size)
    indices.set(this.indices)
    before.set(this.before)
    after.set(this.after)
    Object.assign(this, { indices, before, after })
  }

  build(): ArrayEdit {
    return {
      target: this.target,
      indices: this.indices.slice(0, this.n),
      before: this.before.slice(0, this.n),
      after: this.after.slice(0, this.n),
      label: this.label,
      stroke: this.stroke
    }
  }
}

type Entry = Edit | StrokeBuilder
const materialise = (entry: Entry): Edit => (entry instanceof StrokeBuilder ? entry.build() : entry)

/**
 * Undo/redo stacks of edits (the caller applies and reverts them; EditorState does both).
 * Edits with the same `stroke` id pushed one after another merge into one undo step.
 */
export class History {
  private done: Entry[] = []
  private undone: Edit[] = []
  private open: StrokeBuilder | null = null

  constructor(readonly cap = HISTORY_CAP) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`history cap must be a positive integer, got ${cap}`)
  }

  /** Records an applied edit; clears the redo stack. */
  push(edit: Edit): void {
    this.undone = []
    if (edit.target !== 'model' && edit.stroke !== undefined) {
      if (this.open && this.open.stroke === edit.stroke && this.open.target === edit.target) {
        this.open.add(edit)
        return
      }
      this.open = new StrokeBuilder(edit as ArrayEdit & { stroke: number })
      this.done.push(this.open)
    } else {
      this.open = null
      this.done.push(edit)
    }
    if (this.done.length > this.cap) this.done.splice(0, this.done.length - this.cap)
  }

  /** Stops merging into the current stroke (pointer released). */
  endStroke(): void {
    this.open = null
  }

  /** The edit to revert, moved to the redo stack; null when there is nothing to undo. */
  undo(): Edit | null {
    const entry = this.done.pop()
    this.open = null
    if (!entry) return null
    const edit = materialise(entry)
    this.undone.push(edit)
    return edit
  }

  /** The edit to re-apply, moved back to the undo stack; null when there is nothing to redo. */
  redo(): Edit | null {
    const edit = this.undone.pop()
    this.open = null
    if (!edit) return null
    this.done.push(edit)
    return edit
  }

  get canUndo(): boolean {
    return this.done.length > 0
  }
  get canRedo(): boolean {
    return this.undone.length > 0
  }
  /** Number of undo steps held. */
  get size(): number {
    return this.done.length
  }
  /** Label of the step Undo would revert ("" when none). */
  get undoLabel(): string {
    const top = this.done.at(-1)
    return top ? top.label : ''
  }
  get redoLabel(): string {
    return this.undone.at(-1)?.label ?? ''
  }

  clear(): void {
    this.done = []
    this.undone = []
    this.open = null
  }
}

/**
 * A document with its history: the one place edits are applied, undone and redone.
 * `revision` increases on every change, for views that must redraw typed arrays.
 */
export class EditorState {
  readonly history: History
  revision = 0

  constructor(
    public doc: EditorDocument,
    cap = HISTORY_CAP
  ) {
    this.history = new History(cap)
  }

  apply(edit: Edit): EditorDocument {
    this.doc = applyEdit(this.doc, edit)
    this.history.push(edit)
    this.revision += 1
    return this.doc
  }

  /** Reverts the last step; false when there was none. */
  undo(): boolean {
    const edit = this.history.undo()
    if (!edit) return false
    this.doc = revertEdit(this.doc, edit)
    this.revision += 1
    return true
  }

  redo(): boolean {
    const edit = this.history.redo()
    if (!edit) return false
    this.doc = applyEdit(this.doc, edit)
    this.revision += 1
    return true
  }

  /** Starts over from another document (a different model opened): history is dropped. */
  reset(doc: EditorDocument): void {
    this.doc = doc
    this.history.clear()
    this.revision += 1
  }
}
