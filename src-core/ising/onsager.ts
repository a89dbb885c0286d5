/**
 * Exact infinite-lattice results for the zero-field square-lattice Ising model
 * (L. Onsager, Phys. Rev. 65, 117, 1944; C. N. Yang, Phys. Rev. 85, 808, 1952), in the
 * dimensionless convention of SCIENCE.md §1: K = βJ, P ∝ e^{−H}, H = −K Σ_<ij> v_i v_j.
 * Closed forms as in K. Huang, Statistical Mechanics, 2nd ed., §15.3.
 */

/** Critical coupling, sinh 2Kc = 1. */
export const KC = 0.5 * Math.log(1 + Math.SQRT2)

function assertCoupling(K: number, what: string): void {
  if (!Number.isFinite(K) || K < 0) {
    throw new RangeError(`${what}: K must be a finite number ≥ 0, got ${K}`)
  }
}

/** Arithmetic–geometric mean iteration; returns K(k) and E(k) for modulus k given k' = √(1−k²). */
function completeEllipticIntegrals(k: number, kPrime: number): { first: number; second: number } {
  // Abramowitz & Stegun 17.6: a₀ = 1, b₀ = k', c₀ = k; K = π/(2 a_N),
  // E = K (1 − ½ Σ_{n≥0} 2^n c_n²).
  let a = 1
  let b = kPrime
  let sum = 0.5 * k * k
  let power = 0.5
  // Stop at the rounding level: continuing would add 2^n·c_n² with c_n = one ulp of noise and
  // growing 2^n, which costs ~1e-13 in E. Quadratic convergence: about 5 iterations.
  for (let n = 0; n < 40 && Math.abs(a - b) > 4 * Number.EPSILON * a; n++) {
    const c = 0.5 * (a - b)
    const aNext = 0.5 * (a + b)
    b = Math.sqrt(a * b)
    a = aNext
    power *= 2
    sum += power * c * c
  }
  const first = Math.PI / (2 * a)
  return { first, second: first * (1 - sum) }
}

/** K(k), complete elliptic integral of the first kind with modulus k ∈ [0, 1). */
export function completeEllipticK(k: number): number {
  if (!(k >= 0 && k < 1)) throw new RangeError(`completeEllipticK: modulus must be in [0, 1), got ${k}`)
  return completeEllipticIntegrals(k, Math.sqrt((1 - k) * (1 + k))).first
}

/** E(k), complete elliptic integral of the second kind with modulus k ∈ [0, 1]. */
export function completeEllipticE(k: number): number {
  if (!(k >= 0 && k <= 1)) throw new RangeError(`completeEllipticE: modulus must be in [0, 1], got ${k}`)
  if (k === 1) return 1
  return completeEllipticIntegrals(k, Math.sqrt((1 - k) * (1 + k))).second
}

/**
 * Onsager's modulus κ = 2 sinh 2K / cosh² 2K and its complement κ' = √(1−κ²). Since
 * cosh⁴x − 4 sinh²x = (sinh²x − 1)², κ' = |sinh² 2K − 1| / cosh² 2K: exact zero at Kc, no
 * cancellation near it.
 */
function onsagerModuli(K: number): { kappa: number; kappaPrime: number; s2: number; c2: number } {
  const s = Math.sinh(2 * K)
  const c2 = Math.cosh(2 * K) ** 2
  return { kappa: (2 * s) / c2, kappaPrime: Math.abs(s * s - 1) / c2, s2: s * s, c2 }
}

/**
 * ∫_a^b f by tanh-sinh (double-exponential) quadrature (Takahasi & Mori 1974), halving the step
 * until two levels agree. Handles the near-singularity of Onsager's integrand at θ = π/2 as
 * K → Kc, where Gauss–Legendre converges only slowly.
 */
function tanhSinh(f: (x: number) => number, a: number, b: number): number {
  const half = 0.5 * (b - a)
  const mid = 0.5 * (a + b)
  const tMax = 3.2 // weights beyond this are below 1e-40 of the largest
  const sumAt = (h: number, odd: boolean): number => {
    let sum = 0
    const start = odd ? h : 0
    const stride = odd ? 2 * h : h
    for (let t = start; t <= tMax; t += stride) {
      const u = 0.5 * Math.PI * Math.sinh(t)
      const w = (0.5 * Math.PI * Math.cosh(t)) / Math.cosh(u) ** 2
      // 1 − tanh u written as 2/(e^{2u}+1) keeps the distance to the endpoint accurate.
      const gap = 2 / (Math.exp(2 * u) + 1)
      const right = f(b - half * gap)
      const left = f(a + half * gap)
      sum += t === 0 ? w * f(mid) : w * (right + left)
    }
    return sum
  }
  let h = 0.5
  let estimate = half * h * sumAt(h, false)
  for (let level = 0; level < 12; level++) {
    const sumPrevious = estimate / (half * h)
    h *= 0.5
    const next = half * h * (sumPrevious + sumAt(h, true))
    if (Math.abs(next - estimate) <= 1e-15 * Math.max(1, Math.abs(next)) && level >= 2) return next
    estimate = next
  }
  return estimate
}

/**
 * −βf = ln Z/N per spin (SCIENCE.md §5):
 *   −βf = ln(2 cosh 2K) + (1/2π) ∫₀^π ln[(1 + √(1 − κ² sin²θ))/2] dθ.
 * The integrand is symmetric about π/2, so we integrate over [0, π/2] and double, writing
 * 1 − κ² sin²θ = cos²θ + κ'² sin²θ to avoid cancellation.
 */
export function onsagerFreeEnergy(K: number): number {
  assertCoupling(K, 'onsagerFreeEnergy')
  const { kappaPrime } = onsagerModuli(K)
  const kp2 = kappaPrime * kappaPrime
  const integrand = (theta: number): number => {
    const sin = Math.sin(theta)
    const cos = Math.cos(theta)
    return Math.log1p(Math.sqrt(cos * cos + kp2 * sin * sin)) - Math.LN2
  }
  return Math.log(2 * Math.cosh(2 * K)) + tanhSinh(integrand, 0, 0.5 * Math.PI) / Math.PI
}

/**
 * u = U/(NJ), energy per spin in units of J (negative for K > 0); e = K·u in the
 * dimensionless convention. Equivalently u = −d(−βf)/dK:
 *   u = −coth 2K [1 + (2/π)(2 tanh² 2K − 1) K₁(κ)],
 * with 2 tanh² 2K − 1 = (sinh² 2K − 1)/cosh² 2K (Huang §15.3). At Kc that factor vanishes while K₁ diverges
 * only logarithmically, so u(Kc) = −coth 2Kc = −√2.
 */
export function onsagerEnergyPerSpin(K: number): number {
  assertCoupling(K, 'onsagerEnergyPerSpin')
  if (K === 0) return 0
  const { kappa, kappaPrime, s2, c2 } = onsagerModuli(K)
  const coth = 1 / Math.tanh(2 * K)
  if (kappaPrime === 0) return -coth
  const { first } = completeEllipticIntegrals(kappa, kappaPrime)
  return -coth * (1 + (2 / Math.PI) * ((s2 - 1) / c2) * first)
}

/**
 * c = Var(H)/N in the dimensionless convention (SCIENCE.md §1), which equals C/(N k_B):
 * c = −K² du/dK (differentiating u above; cf. Huang §15.3):
 *   c = (4/π)(K coth 2K)² {K₁(κ) − E₁(κ) − (1 − tanh² 2K)[π/2 + (2 tanh² 2K − 1) K₁(κ)]}.
 * Infinite at Kc (logarithmic divergence). Tested against a numerical −K² du/dK.
 */
export function onsagerSpecificHeat(K: number): number {
  assertCoupling(K, 'onsagerSpecificHeat')
  if (K === 0) return 0
  const { kappa, kappaPrime, s2, c2 } = onsagerModuli(K)
  if (kappaPrime === 0) return Infinity
  const { first, second } = completeEllipticIntegrals(kappa, kappaPrime)
  const tanh2 = Math.tanh(2 * K) ** 2
  const prefactor = (4 / Math.PI) * (K / Math.tanh(2 * K)) ** 2
  return prefactor * (first - second - (1 - tanh2) * (0.5 * Math.PI + ((s2 - 1) / c2) * first))
}

/** Spontaneous magnetisation (Yang 1952): m₀ = (1 − sinh⁻⁴ 2K)^{1/8} for K > Kc, else 0. */
export function onsagerSpontaneousMagnetization(K: number): number {
  assertCoupling(K, 'onsagerSpontaneousMagnetization')
  if (K <= KC) return 0
  const s = Math.sinh(2 * K)
  const x = 1 - 1 / (s * s * s * s)
  return x > 0 ? Math.pow(x, 0.125) : 0
}
