import { tsDenseKernels } from '@core/rbm/kernelsTs'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import type { DenseKernels } from '@core/rbm/types'

/** Made on first use, then kept for the page's lifetime. */
let kernels: DenseKernels | null = null

/**
 * The dense kernels for products computed in the page (receptive fields, reconstructions): the
 * WebAssembly SIMD ones when the page may compile them (its content security policy allows
 * 'wasm-unsafe-eval'), else the TypeScript ones.
 */
export function pageKernels(): DenseKernels {
  kernels ??= createWasmDenseKernels() ?? tsDenseKernels
  return kernels
}
