import { z } from 'zod'

// The fields the job spec schemas (jobSpecSchemas.ts, rgJobSpecSchemas.ts) are made of: numbers,
// typed arrays checked by class, a model, and a network's shape.

export const finite = z.number().finite()
export const int = z.number().int()
export const count = int.min(0)
export const positive = int.min(1)
export const seed = z.number().refine(Number.isSafeInteger, 'Expected a safe integer')

/** ising/types ChainAlgorithm: the fast square kernels' two and the general samplers' five. */
const MC_ALGORITHMS = ['metropolis', 'metropolis-random', 'heatbath', 'wolff', 'sw'] as const
export const mcAlgorithm = z.enum(MC_ALGORITHMS)
export const unitKind = z.enum(['01', 'pm1'])

export const int8Array = z.instanceof(Int8Array, { message: 'Expected an Int8Array' })
export const float32Array = z.instanceof(Float32Array, { message: 'Expected a Float32Array' })
export const float64Array = z.instanceof(Float64Array, { message: 'Expected a Float64Array' })
export const uint32Array = z.instanceof(Uint32Array, { message: 'Expected a Uint32Array' })
/** A generator state (xoshiro128**: four 32-bit words). */
export const rngState = uint32Array.refine((s) => s.length === 4, 'Expected a generator state of 4 words')

const latticeSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chain'), N: positive, periodic: z.boolean() }),
  z.object({
    kind: z.literal('square'),
    Lx: positive,
    Ly: positive,
    periodicX: z.boolean(),
    periodicY: z.boolean(),
    diagonals: z.boolean().optional()
  }),
  z.object({ kind: z.literal('triangular'), Lx: positive, Ly: positive }),
  // The bonds themselves are checked by buildLattice in the worker (a graph may have many): pairs,
  // or an Int32Array of endpoints as a project file holds them.
  z.object({
    kind: z.literal('graph'),
    N: positive,
    bonds: z.union([z.array(z.unknown()), z.instanceof(Int32Array, { message: 'Expected pairs or an Int32Array' })])
  })
])

/** src-core/lattice/data ModelData. */
export const modelDataSchema = z.object({
  lattice: latticeSpec,
  uniform: z.object({ K: finite, h: finite, Kx: finite.optional(), Ky: finite.optional(), Kd: finite.optional() }),
  fields: float64Array.optional(),
  couplings: float64Array.optional()
})

/** src-core/rbm/types Rbm: the lengths of W (nv × nh), a and b agree with nv and nh. */
export const rbmShape = {
  nv: positive,
  nh: positive,
  visibleUnits: unitKind,
  hiddenUnits: unitKind,
  W: float32Array,
  a: float32Array,
  b: float32Array
}
type RbmShape = { nv: number; nh: number; W: Float32Array; a: Float32Array; b: Float32Array }
export const sizesAgree = (r: RbmShape): boolean =>
  r.W.length === r.nv * r.nh && r.a.length === r.nv && r.b.length === r.nh
export const sizesMessage = { message: 'Expected W of nv × nh, a of nv and b of nh values', path: ['W'] }
export const rbm = z.object(rbmShape).loose().refine(sizesAgree, sizesMessage)
