/**
 * One entry point for exact results on any IsingModel. Preference, cheapest exact method first:
 *   1. 1D transfer matrix for chains — O(N), any N, any fields and couplings.
 *   2. Kaufman's formula for uniform zero-field square tori (K ≥ 0, or K < 0 with even sides)
 *      — O(Lx + Ly) arithmetic, any size, and the only exact route for tori wider than ~11.
 *      Outside |K| ∈ KAUFMAN_ACCURATE_K its e and c keep only absolute accuracy, so there the
 *      strip transfer matrix is used instead when it is feasible.
 *   3. Strip transfer matrix for square lattices without diagonals whose cheaper orientation
 *      fits `STRIP_MAX_WIDTH` and `STRIP_WORK_LIMIT` (the transposed orientation is tried too,
 *      so a 300×8 and an 8×300 lattice are both fine) — cost O(W·2^W·L), or 2^W times that
 *      when periodic along the transfer direction.
 *   4. Enumeration for N ≤ 24 (triangular, diagonals, graphs, or a square lattice both of
 *      whose orientations are too costly) — O(2^N).
 * The structured methods come first because they scale and are at least as accurate (no 2^N
 * rounding sums). The 1D and strip transfer matrices give lnZ, f, e, c, m, m2, chi; Kaufman's
 * formula lnZ, f, e, c (m = 0 by symmetry); only enumeration gives absM, chiAbs, marginals,
 * correlations and P(v). Unless a method is forced, the observables the first method lacks are
 * filled in by another exact method where one is cheap enough (`supplementedBy` names it):
 * enumeration when N ≤ 24, else the strip transfer matrix (m, m2, chi) for a Kaufman torus
 * whose strip costs at most SUPPLEMENT_WORK_LIMIT. A forced method returns only what it gives.
 */
import type { IsingModel, LatticeSpec } from '../../lattice/types'
import { checkModel } from '../../lattice/model'
import { ENUMERATION_MAX_SITES, enumerateExact, type EnumerationOptions } from './enumeration'
import { KAUFMAN_ACCURATE_K, kaufmanCoupling, kaufmanTorus } from './kaufman'
import { planStrip, STRIP_MAX_WIDTH, stripTransferMatrix } from './stripTransferMatrix'
import { transferMatrix1d } from './transferMatrix1d'
import { EXACT_OBSERVABLES, type ExactError, type ExactMethod, type ExactResult } from './types'

export interface ExactSolveOptions extends EnumerationOptions {
  /**
   * Force one method, which then returns only what it gives (an error value when it does not
   * apply); 'auto' or absent: the preferred method, completed by others (file comment).
   */
  method?: ExactMethod | 'auto'
}

/** Most strip work spent only to add m, m2, chi to Kaufman's result (about a second in Node 20). */
export const SUPPLEMENT_WORK_LIMIT = 2 ** 26

/** A few words naming the lattice, for messages: "a 30×30 triangular lattice". */
export function describeLattice(spec: LatticeSpec): string {
  switch (spec.kind) {
    case 'chain':
      return `${spec.periodic ? 'a periodic' : 'an open'} chain of ${spec.N} sites`
    case 'square': {
      const boundary =
        spec.periodicX && spec.periodicY
          ? 'periodic'
          : !spec.periodicX && !spec.periodicY
            ? 'open'
            : spec.periodicX
              ? 'x-periodic'
              : 'y-periodic'
      return `a ${spec.Lx}×${spec.Ly} ${boundary} square lattice${spec.diagonals ? ' with diagonal bonds' : ''}`
    }
    case 'triangular':
      return `a ${spec.Lx}×${spec.Ly} triangular lattice`
    case 'graph':
      return `a graph of ${spec.N} sites`
  }
}

/** Why a method does not apply to this model, or null when it does. */
function whyNot(model: IsingModel, method: ExactMethod): string | null {
  const spec = model.lattice.spec
  switch (method) {
    case 'transfer-matrix-1d':
      return spec.kind === 'chain' ? null : 'the 1D transfer matrix needs a chain'
    case 'kaufman': {
      const k = kaufmanCoupling(model)
      return 'reason' in k ? `Kaufman's formula ${k.reason}` : null
    }
    case 'strip-transfer-matrix': {
      if (spec.kind !== 'square' || spec.diagonals)
        return 'the strip transfer matrix needs a square lattice without diagonal bonds'
      if (planStrip(model)) return null
      const tori = spec.periodicX && spec.periodicY
      return tori
        ? `the strip transfer matrix on a torus costs 4^W·W·L, too much for the narrower side W = ${Math.min(spec.Lx, spec.Ly)}`
        : `the strip transfer matrix needs a strip no wider than ${STRIP_MAX_WIDTH}`
    }
    case 'enumeration':
      return model.lattice.N <= ENUMERATION_MAX_SITES ? null : `enumeration needs N ≤ ${ENUMERATION_MAX_SITES}`
  }
}

/** The method `exactSolve` would use, or an error value with one sentence saying why none applies. */
export function chooseExactMethod(model: IsingModel): { method: ExactMethod } | ExactError {
  const order: ExactMethod[] = ['transfer-matrix-1d', 'kaufman', 'strip-transfer-matrix', 'enumeration']
  const k = kaufmanCoupling(model)
  if (
    'K' in k &&
    !(Math.abs(k.K) >= KAUFMAN_ACCURATE_K[0] && Math.abs(k.K) <= KAUFMAN_ACCURATE_K[1]) &&
    whyNot(model, 'strip-transfer-matrix') === null
  ) {
    return { method: 'strip-transfer-matrix' }
  }
  for (const method of order) if (whyNot(model, method) === null) return { method }
  const spec = model.lattice.spec
  const what = describeLattice(spec)
  const enumeration = `enumeration needs N ≤ ${ENUMERATION_MAX_SITES}`
  if (spec.kind === 'square' && !spec.diagonals) {
    return {
      error: `No exact method for ${what}: ${enumeration}, ${whyNot(model, 'strip-transfer-matrix')}, and ${whyNot(model, 'kaufman')}.`
    }
  }
  return {
    error: `No exact method for ${what}: ${enumeration} and the strip transfer matrix a square lattice no wider than ${STRIP_MAX_WIDTH}.`
  }
}

/**
 * Exact lnZ and per-spin observables (see ./types.ts for conventions) by the preferred method,
 * or `{ error }` when no exact method applies. Malformed models (wrong array lengths,
 * couplings outside ±COUPLING_LIMIT) throw a RangeError naming the bad value.
 */
export function exactSolve(model: IsingModel, opts: ExactSolveOptions = {}): ExactResult | ExactError {
  checkModel(model)
  if (opts.method && opts.method !== 'auto') {
    const reason = whyNot(model, opts.method)
    if (reason) return { error: `Cannot use ${opts.method} for ${describeLattice(model.lattice.spec)}: ${reason}.` }
    return solveBy(model, opts.method, opts)
  }
  const choice = chooseExactMethod(model)
  if ('error' in choice) return choice
  const result = solveBy(model, choice.method, opts)
  const missing = EXACT_OBSERVABLES.filter((key) => result[key] === undefined)
  const other = missing.length > 0 ? supplementMethod(model, choice.method) : null
  if (!other) return result
  const extra = solveBy(model, other, { correlations: false, distribution: false })
  const supplementedBy: ExactResult['supplementedBy'] = {}
  for (const key of missing) {
    const value = extra[key]
    if (value === undefined) continue
    result[key] = value
    supplementedBy[key] = other
  }
  return Object.keys(supplementedBy).length > 0 ? { ...result, supplementedBy } : result
}

/** A second exact method cheap enough to fill in what `primary` lacks, or null. */
function supplementMethod(model: IsingModel, primary: ExactMethod): ExactMethod | null {
  if (primary !== 'enumeration' && model.lattice.N <= ENUMERATION_MAX_SITES) return 'enumeration'
  if (primary === 'kaufman' && whyNot(model, 'strip-transfer-matrix') === null) {
    const plan = planStrip(model)
    if (plan && plan.work <= SUPPLEMENT_WORK_LIMIT) return 'strip-transfer-matrix'
  }
  return null
}

function solveBy(model: IsingModel, method: ExactMethod, opts: EnumerationOptions): ExactResult {
  switch (method) {
    case 'transfer-matrix-1d':
      return transferMatrix1d(model)
    case 'kaufman': {
      const k = kaufmanCoupling(model)
      if ('reason' in k) throw new Error(`unreachable: ${k.reason}`)
      return kaufmanTorus(model.lattice.Lx, model.lattice.Ly, k.K)
    }
    case 'strip-transfer-matrix':
      return stripTransferMatrix(model)
    case 'enumeration':
      return enumerateExact(model, { correlations: opts.correlations, distribution: opts.distribution })
  }
}
