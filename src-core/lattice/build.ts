import { BOND_ANTIDIAGONAL, BOND_DIAGONAL, BOND_GRAPH, BOND_X, BOND_Y, type Lattice, type LatticeSpec } from './types'

/** Largest lattice any builder makes (1024² sites). */
export const MAX_SITES = 1 << 20

/**
 * Most bonds a graph may list. Graphs may repeat a bond (a multigraph: the couplings of repeated
 * bonds add), so the bound is not N(N−1)/2 alone but the larger of that and 16 per site; and
 * never more than 2²² (4,194,304, the bond count of the largest square lattice with diagonal
 * bonds, 4 per site at N = 2²⁰), which keeps a hostile file from asking for hundreds of millions.
 */
export const MAX_GRAPH_BONDS = 1 << 22

export function maxGraphBonds(N: number): number {
  return Math.min(Math.max((N * (N - 1)) / 2, 16 * N), MAX_GRAPH_BONDS)
}

/** A graph's bonds as two endpoint arrays, checked; the count is checked before anything is allocated. */
function graphBonds(N: number, bonds: unknown): { bondI: Int32Array; bondJ: Int32Array } {
  const flat = bonds instanceof Int32Array
  if (!flat && !Array.isArray(bonds)) throw new RangeError('a graph needs a list of bonds')
  if (flat && bonds.length % 2 !== 0) throw new RangeError('a graph’s bond endpoints come in pairs')
  const count = flat ? bonds.length / 2 : (bonds as unknown[]).length
  const most = maxGraphBonds(N)
  if (count > most) throw new RangeError(`a graph of ${N} sites has at most ${most} bonds, got ${count}`)
  const bondI = new Int32Array(count)
  const bondJ = new Int32Array(count)
  for (let k = 0; k < count; k++) {
    const pair = flat ? null : (bonds as unknown[])[k]
    const i: unknown = flat ? bonds[2 * k] : Array.isArray(pair) ? pair[0] : undefined
    const j: unknown = flat ? bonds[2 * k + 1] : Array.isArray(pair) ? pair[1] : undefined
    if (
      !Number.isInteger(i) ||
      !Number.isInteger(j) ||
      i === j ||
      !inRange(i as number, N) ||
      !inRange(j as number, N)
    ) {
      throw new RangeError(`bond ${k} must join two different sites in [0, ${N - 1}], got (${String(i)}, ${String(j)})`)
    }
    bondI[k] = i as number
    bondJ[k] = j as number
  }
  return { bondI, bondJ }
}

const inRange = (i: number, N: number): boolean => i >= 0 && i < N

function checkSize(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`)
  }
}

/** Builds sites, bonds, adjacency and a colouring from a spec. Throws a RangeError naming a bad value. */
export function buildLattice(spec: LatticeSpec): Lattice {
  const bonds: number[] = []
  const kinds: number[] = []
  const add = (i: number, j: number, kind: number) => {
    bonds.push(i, j)
    kinds.push(kind)
  }
  let N: number
  let Lx: number
  let Ly: number
  let x: Float64Array
  let y: Float64Array
  /** A graph's bonds go straight into typed arrays; the builders above push theirs. */
  let graph: { bondI: Int32Array; bondJ: Int32Array } | null = null
  switch (spec.kind) {
    case 'chain': {
      checkSize(spec.N, 'N', spec.periodic ? 3 : 2, MAX_SITES)
      N = spec.N
      Lx = N
      Ly = 1
      for (let i = 0; i + 1 < N; i++) add(i, i + 1, BOND_X)
      if (spec.periodic) add(N - 1, 0, BOND_X)
      x = Float64Array.from({ length: N }, (_, i) => i)
      y = new Float64Array(N)
      break
    }
    case 'square':
    case 'triangular': {
      const periodicX = spec.kind === 'triangular' ? true : spec.periodicX
      const periodicY = spec.kind === 'triangular' ? true : spec.periodicY
      checkSize(spec.Lx, 'Lx', periodicX ? 3 : 2, 1024)
      checkSize(spec.Ly, 'Ly', periodicY ? 3 : 1, 1024)
      Lx = spec.Lx
      Ly = spec.Ly
      N = Lx * Ly
      const idx = (cx: number, cy: number) => ((cy + Ly) % Ly) * Lx + ((cx + Lx) % Lx)
      const hasX = (cx: number) => periodicX || cx + 1 < Lx
      const hasY = (cy: number) => periodicY || cy + 1 < Ly
      for (let cy = 0; cy < Ly; cy++) {
        for (let cx = 0; cx < Lx; cx++) {
          const i = cy * Lx + cx
          if (hasX(cx)) add(i, idx(cx + 1, cy), BOND_X)
          if (Ly > 1 && hasY(cy)) add(i, idx(cx, cy + 1), BOND_Y)
          const diagonal = spec.kind === 'triangular' || spec.diagonals === true
          if (diagonal && Ly > 1 && hasX(cx) && hasY(cy)) add(i, idx(cx + 1, cy + 1), BOND_DIAGONAL)
          if (spec.kind === 'square' && spec.diagonals === true && Ly > 1 && hasY(cy) && (periodicX || cx > 0)) {
            add(i, idx(cx - 1, cy + 1), BOND_ANTIDIAGONAL)
          }
        }
      }
      x = new Float64Array(N)
      y = new Float64Array(N)
      for (let i = 0; i < N; i++) {
        const cy = Math.floor(i / Lx)
        y[i] = spec.kind === 'triangular' ? (cy * Math.sqrt(3)) / 2 : cy
        x[i] = (i % Lx) + (spec.kind === 'triangular' ? -cy / 2 : 0)
      }
      break
    }
    case 'graph': {
      checkSize(spec.N, 'N', 1, MAX_SITES)
      N = spec.N
      Lx = N
      Ly = 1
      graph = graphBonds(N, spec.bonds)
      // Lay sites on a circle for drawing.
      x = Float64Array.from({ length: N }, (_, i) => (N / (2 * Math.PI)) * Math.cos((2 * Math.PI * i) / N))
      y = Float64Array.from({ length: N }, (_, i) => (N / (2 * Math.PI)) * Math.sin((2 * Math.PI * i) / N))
      break
    }
    default:
      throw new RangeError(`unknown lattice kind ${String((spec as { kind: unknown }).kind)}`)
  }
  const nb = graph ? graph.bondI.length : kinds.length
  const bondI = graph?.bondI ?? new Int32Array(nb)
  const bondJ = graph?.bondJ ?? new Int32Array(nb)
  for (let b = 0; !graph && b < nb; b++) {
    bondI[b] = bonds[2 * b]!
    bondJ[b] = bonds[2 * b + 1]!
  }
  const { adjStart, adjSite, adjBond } = adjacency(N, bondI, bondJ)
  // The natural colourings — (x+y) mod 2 on square grids, (x+y) mod 3 on the triangular
  // lattice — when they are proper for these sizes; otherwise a greedy colouring.
  const modulus = spec.kind === 'triangular' ? 3 : spec.kind === 'square' && !spec.diagonals ? 2 : 0
  const natural = modulus ? Int32Array.from({ length: N }, (_, i) => ((i % Lx) + Math.floor(i / Lx)) % modulus) : null
  const colour = natural && isProper(natural, bondI, bondJ) ? natural : greedyColouring(N, adjStart, adjSite)
  const { colourStart, colourSites } = groupByColour(colour)
  return {
    spec,
    N,
    bondI,
    bondJ,
    bondKind: graph ? new Uint8Array(nb).fill(BOND_GRAPH) : Uint8Array.from(kinds),
    x,
    y,
    adjStart,
    adjSite,
    adjBond,
    colourStart,
    colourSites,
    Lx,
    Ly
  }
}

function adjacency(N: number, bondI: Int32Array, bondJ: Int32Array) {
  const degree = new Int32Array(N + 1)
  for (let b = 0; b < bondI.length; b++) {
    degree[bondI[b]! + 1]!++
    degree[bondJ[b]! + 1]!++
  }
  const adjStart = new Int32Array(N + 1)
  for (let i = 0; i < N; i++) adjStart[i + 1] = adjStart[i]! + degree[i + 1]!
  const fill = adjStart.slice(0, N)
  const adjSite = new Int32Array(2 * bondI.length)
  const adjBond = new Int32Array(2 * bondI.length)
  for (let b = 0; b < bondI.length; b++) {
    const i = bondI[b]!
    const j = bondJ[b]!
    adjSite[fill[i]!] = j
    adjBond[fill[i]!++] = b
    adjSite[fill[j]!] = i
    adjBond[fill[j]!++] = b
  }
  return { adjStart, adjSite, adjBond }
}

/**
 * Colours sites so no bond joins two of the same colour. Sites are visited in index order and
 * take the smallest free colour: on a square grid with even sides this is the checkerboard
 * (2 colours), on the triangular lattice 3 colours when the sides are multiples of 3.
 */
function isProper(colour: Int32Array, bondI: Int32Array, bondJ: Int32Array): boolean {
  for (let b = 0; b < bondI.length; b++) if (colour[bondI[b]!] === colour[bondJ[b]!]) return false
  return true
}

function greedyColouring(N: number, adjStart: Int32Array, adjSite: Int32Array): Int32Array {
  const colour = new Int32Array(N).fill(-1)
  const used: number[] = []
  for (let i = 0; i < N; i++) {
    used.length = 0
    for (let k = adjStart[i]!; k < adjStart[i + 1]!; k++) {
      const c = colour[adjSite[k]!]!
      if (c >= 0) used[c] = 1
    }
    let c = 0
    while (used[c] === 1) c++
    colour[i] = c
  }
  return colour
}

function groupByColour(colour: Int32Array) {
  const N = colour.length
  let colours = 0
  for (let i = 0; i < N; i++) colours = Math.max(colours, colour[i]! + 1)
  const colourStart = new Int32Array(colours + 1)
  for (let i = 0; i < N; i++) colourStart[colour[i]! + 1]!++
  for (let c = 0; c < colours; c++) colourStart[c + 1]! += colourStart[c]!
  const fill = colourStart.slice(0, colours)
  const colourSites = new Int32Array(N)
  for (let i = 0; i < N; i++) colourSites[fill[colour[i]!]!++] = i
  return { colourStart, colourSites }
}
