/** One module of a kernel: its exported constant and asconfig target (null: the default). */
export interface KernelModule {
  constant: string
  target: string | null
  doc: string
}
/** One generated file per kernel, listing the modules built into it. */
export interface Kernel {
  name: string
  source: string
  imports?: string[]
  config: string
  generated: string
  modules: KernelModule[]
}
export declare const kernels: Kernel[]
export declare const generatedPath: string
export declare function sourceHash(kernel?: Kernel): string
export declare function compileKernel(kernel?: Kernel, module?: KernelModule): Uint8Array
export declare function generatedSource(kernel: Kernel, modules: Uint8Array[]): string
