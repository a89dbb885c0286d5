// Decoding of the generated modules (*.generated.ts hold each compiled WebAssembly module as base64),
// shared by the Ising kernel (ising/square/wasmKernel.ts) and the dense kernels (rbm/kernelsWasm.ts).

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** RFC 4648 base64 to bytes (no atob: not in every target's typings). */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '')
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let bits = 0
  let value = 0
  let n = 0
  for (let k = 0; k < clean.length; k++) {
    const digit = BASE64.indexOf(clean[k]!)
    if (digit < 0) throw new RangeError(`decodeBase64: invalid character at ${k}`)
    value = (value << 6) | digit
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[n++] = (value >> bits) & 0xff
    }
  }
  return bytes
}
