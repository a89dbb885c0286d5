import { setFlagsFromString } from 'node:v8'

/**
 * The smallest module using relaxed SIMD: (func (param v128 v128 v128) (result v128)
 * local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd).
 */
const RELAXED_SIMD_PROBE = Uint8Array.of(
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b,
  0x03,
  0x02,
  0x01,
  0x00,
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  0xfd,
  0x85,
  0x02,
  0x0b
)

/**
 * Relaxed SIMD (the fused multiply-add of the dense kernels) ships with Electron's V8; Node 20
 * has it behind a flag, which must be set before the first module is compiled.
 */
export function enableRelaxedSimd(): boolean {
  if (WebAssembly.validate(RELAXED_SIMD_PROBE)) return true
  setFlagsFromString('--experimental-wasm-relaxed-simd')
  return WebAssembly.validate(RELAXED_SIMD_PROBE)
}
