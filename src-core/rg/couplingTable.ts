/**
 * The couplings J_S of an expanded Hamiltonian (walsh.ts) grouped by geometry: the spins of a
 * coarse lattice sit on a grid, so J_S for every translate of one shape should agree (exactly on
 * a periodic lattice with translation-invariant couplings). A row is one shape: nearest pair,
 * diagonal pair, plaquette, … with how many subsets have it, their mean coupling and the spread.
 *
 * Sign convention of the expansion: H(h) = Σ_S J_S Π_{j∈S} h_j, so a ferromagnetic nearest
 * coupling K′ (the paper's −H = K′ Σ h_i h_j) shows as J = −K′.
 */
import { subsetMembers, subsetSize } from './walsh'

/** Spin j sits at (j mod Lx, ⌊j / Lx⌋); a chain is Ly = 1. */
export interface SpinGeometry {
  Lx: number
  Ly: number
  periodicX: boolean
  periodicY: boolean
}

export interface CouplingRow {
  /** Number of spins in the product (0 = constant, 1 = field, 2 = pair, …). */
  order: number
  /** 'constant', 'field', 'nearest', 'diagonal', 'plaquette', or a shape by offsets. */
  shape: string
  /** Offsets of the shape's spins from its first, as "(dx,dy)" pairs: a stable key. */
  key: string
  /** Subsets of this shape with a coupling above the threshold. */
  count: number
  /** Mean J_S over them. */
  value: number
  /** max |J_S − mean|: 0 for a translation-invariant Hamiltonian. */
  spread: number
  /** One subset of this shape (bit set), for drawing. */
  example: number
}

function wrapOffset(d: number, L: number, periodic: boolean): number {
  return periodic ? ((d % L) + L) % L : d
}

/** The smallest image |d| of an offset on an axis (periodic axes wrap). */
function image(d: number, L: number, periodic: boolean): number {
  if (!periodic) return Math.abs(d)
  const w = ((d % L) + L) % L
  return Math.min(w, L - w)
}

/** Canonical offsets of a subset: the lexicographically smallest list over choices of anchor. */
function canonicalShape(members: number[], g: SpinGeometry): [number, number][] {
  let best: [number, number][] | null = null
  let bestKey = ''
  for (const anchor of members) {
    const ax = anchor % g.Lx
    const ay = Math.floor(anchor / g.Lx)
    const offsets = members
      .map((j): [number, number] => [
        wrapOffset((j % g.Lx) - ax, g.Lx, g.periodicX),
        wrapOffset(Math.floor(j / g.Lx) - ay, g.Ly, g.periodicY)
      ])
      .sort((p, q) => p[1] - q[1] || p[0] - q[0])
    const key = offsets.map(([x, y]) => `${x},${y}`).join(' ')
    if (best === null || key < bestKey) {
      best = offsets
      bestKey = key
    }
    if (!g.periodicX && !g.periodicY) break // open lattices: offsets from the first member
  }
  return best ?? []
}

function shapeName(members: number[], g: SpinGeometry, offsets: [number, number][]): string {
  if (members.length === 0) return 'constant'
  if (members.length === 1) return 'field'
  if (members.length === 2) {
    const [a, b] = members as [number, number]
    const dx = image((b % g.Lx) - (a % g.Lx), g.Lx, g.periodicX)
    const dy = image(Math.floor(b / g.Lx) - Math.floor(a / g.Lx), g.Ly, g.periodicY)
    const [lo, hi] = dx <= dy ? [dx, dy] : [dy, dx]
    if (lo === 0 && hi === 1) return 'nearest'
    if (lo === 1 && hi === 1) return 'diagonal'
    return `pair (${dx},${dy})`
  }
  if (members.length === 4) {
    const set = new Set(offsets.map(([x, y]) => `${image(x, g.Lx, g.periodicX)},${image(y, g.Ly, g.periodicY)}`))
    if (['0,0', '1,0', '0,1', '1,1'].every((k) => set.has(k))) return 'plaquette'
  }
  return `${members.length}-spin`
}

/**
 * Groups J (indexed by subset bit set, length 2^M) by shape; couplings with |J_S| ≤ threshold
 * are left out (default 1e-12 of the largest non-constant |J_S|). Rows are sorted by |value|,
 * the constant first.
 */
export function couplingTable(J: Float64Array, g: SpinGeometry, threshold?: number): CouplingRow[] {
  const M = Math.round(Math.log2(J.length))
  if (g.Lx * g.Ly !== M) throw new RangeError(`a ${g.Lx}×${g.Ly} grid has ${g.Lx * g.Ly} spins, the couplings ${M}`)
  let largest = 0
  for (let S = 1; S < J.length; S++) largest = Math.max(largest, Math.abs(J[S]))
  const cut = threshold ?? 1e-12 * largest
  const groups = new Map<string, { order: number; shape: string; values: number[]; example: number }>()
  for (let S = 0; S < J.length; S++) {
    if (S > 0 && Math.abs(J[S]) <= cut) continue
    const members = subsetMembers(S)
    const offsets = canonicalShape(members, g)
    const key = offsets.map(([x, y]) => `(${x},${y})`).join('')
    let group = groups.get(key)
    if (!group) {
      group = { order: subsetSize(S), shape: shapeName(members, g, offsets), values: [], example: S }
      groups.set(key, group)
    }
    group.values.push(J[S])
  }
  const rows: CouplingRow[] = []
  for (const [key, { order, shape, values, example }] of groups) {
    const value = values.reduce((s, x) => s + x, 0) / values.length
    const spread = values.reduce((s, x) => Math.max(s, Math.abs(x - value)), 0)
    rows.push({ order, shape, key, count: values.length, value, spread, example })
  }
  return rows.sort((p, q) => (p.order === 0 ? -1 : q.order === 0 ? 1 : Math.abs(q.value) - Math.abs(p.value)))
}
