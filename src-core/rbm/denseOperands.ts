import type { DenseExports } from './denseExports'

/** Checks that every named size is an integer in [0, 2^31). */
export function dimensions(sizes: Record<string, number>): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff)
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
  }
}

/** One operand of a call: the array, the floats the call touches, and whether it is read / written. */
export type Operand = [array: Float32Array, length: number, input: boolean, output: boolean]

/**
 * How a kernel set (kernelsWasm.ts) hands Float32Arrays to its module: runs `body` on the byte
 * addresses of the operands, using a view on the module's memory in place and staging any other
 * array in a transient block (copied in when read, back when written), freed when `body` returns.
 */
export function operandStager(wasm: DenseExports): (operands: Operand[], body: (ptrs: number[]) => void) => void {
  const memory = wasm.memory
  return (operands, body) => {
    const top = wasm.mark()
    try {
      const buffer = memory.buffer
      const ptrs = operands.map(([array, length], i) => {
        if (!(array instanceof Float32Array)) throw new TypeError(`operand ${i} must be a Float32Array`)
        if (array.length < length) {
          const detached = array.length === 0 ? ' (a view detached by memory growth? re-create views after alloc)' : ''
          throw new RangeError(`operand ${i} has ${array.length} floats, needs ${length}${detached}`)
        }
        return array.buffer === buffer ? array.byteOffset : -1
      })
      // Allocate every staging block first (this may grow the memory), then copy in.
      operands.forEach(([, length], i) => {
        if (ptrs[i]! >= 0) return
        const ptr = wasm.alloc(length * 4)
        if (ptr === 0) throw new RangeError(`WebAssembly memory could not grow by ${length * 4} bytes`)
        ptrs[i] = ptr
      })
      operands.forEach(([array, length, input], i) => {
        if (input && array.buffer !== memory.buffer)
          new Float32Array(memory.buffer, ptrs[i], length).set(array.subarray(0, length))
      })
      body(ptrs)
      operands.forEach(([array, length, , output], i) => {
        if (output && array.buffer !== memory.buffer) array.set(new Float32Array(memory.buffer, ptrs[i], length))
      })
    } finally {
      wasm.release(top)
    }
  }
}
