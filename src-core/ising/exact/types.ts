/**
 * Results shared by the exact solvers (SCIENCE.md §1 conventions): spins v_i = ±1,
 * H(v) = − Σ_i K_i v_i − Σ_<ij> K_ij v_i v_j, P(v) = e^{−H(v)}/Z, all couplings dimensionless.
 * With M = Σ_i v_i and m = M/N the per-spin magnetisation of one configuration:
 *   f = −ln Z/N,  e = ⟨H⟩/N,  c = Var(H)/N,  m = ⟨M⟩/N,  absM = ⟨|M|⟩/N,  m2 = ⟨M²⟩/N²,
 *   chi    = N (⟨m²⟩ − ⟨m⟩²)   = Var(M)/N          (connected susceptibility per spin),
 *   chiAbs = N (⟨m²⟩ − ⟨|m|⟩²) = (⟨M²⟩ − ⟨|M|⟩²)/N (the finite-lattice estimator used when
 *            ⟨m⟩ = 0 by symmetry; Monte Carlo charts label which one they show).
 * Temperature is absorbed in the couplings, so c = C/(N k_B) and chi = k_B T χ/N in the
 * paper's units. Fields a method cannot give exactly are left undefined, never approximated.
 */
export type ExactMethod = 'enumeration' | 'transfer-matrix-1d' | 'strip-transfer-matrix' | 'kaufman'

export interface ExactResult {
  method: ExactMethod
  /** Number of sites. */
  N: number
  lnZ: number
  /** −ln Z/N. */
  f: number
  /** ⟨H⟩/N. */
  e?: number
  /** Var(H)/N. */
  c?: number
  /** ⟨Σv⟩/N. */
  m?: number
  /** ⟨|Σv|⟩/N. */
  absM?: number
  /** ⟨(Σv)²⟩/N². */
  m2?: number
  /** N(⟨m²⟩ − ⟨m⟩²), m = Σv/N: the connected susceptibility per spin. */
  chi?: number
  /** N(⟨m²⟩ − ⟨|m|⟩²). */
  chiAbs?: number
  /** Observables that `method` cannot give, filled in by another exact method (named here). */
  supplementedBy?: Partial<Record<ExactObservable, ExactMethod>>
}

/** The per-site observables an exact result may hold besides lnZ and f. */
export type ExactObservable = 'e' | 'c' | 'm' | 'absM' | 'm2' | 'chi' | 'chiAbs'
export const EXACT_OBSERVABLES: readonly ExactObservable[] = ['e', 'c', 'm', 'absM', 'm2', 'chi', 'chiAbs']

/** The value `exactSolve` returns when no method applies: one sentence saying why. */
export interface ExactError {
  error: string
}

export const EXACT_METHODS: readonly ExactMethod[] = [
  'enumeration',
  'transfer-matrix-1d',
  'strip-transfer-matrix',
  'kaufman'
]
