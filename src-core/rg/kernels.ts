/**
 * Variational RG kernels T(v, h) (Mehta & Schwab Eq. 6; SCIENCE.md §2, §7). A block kernel
 * factorises over blocks B of visible sites, one hidden spin h_B per block, through a block
 * statistic s_B = Σ_{i ∈ stat(B)} v_i:
 *   T(v, h) = Σ_B t(s_B, h_B).
 * - Kadanoff's kernel, normalised: t(s, h) = λ h s − ln(2 cosh λ s), so Σ_h e^{T} = 1 for every v
 *   and every λ (Eq. 9 holds exactly, hence ΔF = 0).
 * - Majority rule (λ → ∞): h_B = sign(s_B), a tie s_B = 0 gives h_B = ±1 with probability ½.
 * - Decimation: e^{T} = Π_B δ(h_B, v_{r(B)}), the statistic is the kept site r(B) alone.
 * A kernel that does not factorise (an RBM's T = H − E, Eq. 18) is a DenseKernel: it fills
 * T(v, h) for every hidden configuration at once.
 */
import { logTwoCosh } from '../rbm/math'
import type { SpinGeometry } from './couplingTable'

export interface BlockKernel {
  kind: 'block'
  /** What the kernel is, in a few words ("Kadanoff, λ = 1.5"). */
  name: string
  /** stat[B]: the visible sites whose spin sum is block B's statistic; disjoint. */
  stat: Int32Array[]
  /** t(s, h_B) for h_B = ±1; −Infinity where the kernel forbids h_B (weight 0). */
  logWeight(s: number, hB: number): number
  /** Where the hidden spins sit, for the coupling table. */
  geometry: SpinGeometry
}

export interface DenseKernel {
  kind: 'dense'
  name: string
  /** Number of hidden spins M. */
  M: number
  /** out[x] = T(v, h(x)) for all 2^M hidden configurations x (bit j set ⇔ h_j = +1). */
  logWeights(v: Int8Array, out: Float64Array): void
  geometry: SpinGeometry
}

export type RgKernel = BlockKernel | DenseKernel

/** Blocks of a square grid (site (x, y) = y·Lx + x) or a chain (Ly = 1, by = 1). */
export interface BlockPartition {
  /** Sites of each block, row-major over blocks, each block's sites row-major. */
  blocks: Int32Array[]
  geometry: SpinGeometry
}

/** bx × by blocks of an Lx × Ly grid; bx must divide Lx and by divide Ly. */
export function blockPartition(
  Lx: number,
  Ly: number,
  bx: number,
  by: number,
  periodic: { x: boolean; y: boolean } = { x: true, y: true }
): BlockPartition {
  for (const [name, L, b] of [
    ['Lx', Lx, bx],
    ['Ly', Ly, by]
  ] as const) {
    if (!Number.isInteger(L) || !Number.isInteger(b) || L < 1 || b < 1 || L % b !== 0) {
      throw new RangeError(`the block size along ${name.slice(1)} (${b}) must divide ${name} = ${L}`)
    }
  }
  const cx = Lx / bx
  const cy = Ly / by
  const blocks: Int32Array[] = []
  for (let Y = 0; Y < cy; Y++) {
    for (let X = 0; X < cx; X++) {
      const sites = new Int32Array(bx * by)
      let k = 0
      for (let dy = 0; dy < by; dy++) for (let dx = 0; dx < bx; dx++) sites[k++] = (Y * by + dy) * Lx + X * bx + dx
      blocks.push(sites)
    }
  }
  return { blocks, geometry: { Lx: cx, Ly: cy, periodicX: periodic.x, periodicY: periodic.y } }
}

/** Kadanoff's block kernel with strength λ ≥ 0, normalised so that Σ_h e^{T(v,h)} = 1 for every v. */
export function kadanoffKernel(p: BlockPartition, lambda: number): BlockKernel {
  if (!Number.isFinite(lambda) || lambda < 0) throw new RangeError(`λ must be a finite number ≥ 0, got ${lambda}`)
  return {
    kind: 'block',
    name: `Kadanoff, λ = ${lambda}`,
    stat: p.blocks,
    logWeight: (s, hB) => lambda * hB * s - logTwoCosh(lambda * s),
    geometry: p.geometry
  }
}

/** Majority rule: h_B = sign(s_B), ties broken by a fair coin (the λ → ∞ limit of Kadanoff's kernel). */
export function majorityKernel(p: BlockPartition): BlockKernel {
  return {
    kind: 'block',
    name: 'majority rule',
    stat: p.blocks,
    logWeight: (s, hB) => (s === 0 ? -Math.LN2 : Math.sign(s) === hB ? 0 : Number.NEGATIVE_INFINITY),
    geometry: p.geometry
  }
}

/** Decimation: h_B is the spin of the block's first site (its top-left corner). */
export function decimationKernel(p: BlockPartition): BlockKernel {
  return {
    kind: 'block',
    name: 'decimation',
    stat: p.blocks.map((sites) => Int32Array.of(sites[0]!)),
    logWeight: (s, hB) => (s === hB ? 0 : Number.NEGATIVE_INFINITY),
    geometry: p.geometry
  }
}

/** Number of hidden spins of a kernel. */
export function hiddenCount(kernel: RgKernel): number {
  return kernel.kind === 'block' ? kernel.stat.length : kernel.M
}
