/** What both builds of the torus Wolff update (wolff.ts, wolffWasm.ts) offer their callers. */
export interface TorusWolff {
  readonly N: number
  /**
   * The live configuration: the array passed in (TypeScript kernel, updated in place) or a copy
   * of it in the module's memory (WebAssembly kernel; the array passed in is left as it was).
   */
  readonly spins: Int8Array
  /** Which build runs the updates. */
  readonly kernel: 'wasm' | 'ts'
  /** Σ_i v_i, kept current. */
  magnetisation: number
  /** Spins added to clusters and cluster updates since creation. */
  grownSpins: number
  clusterUpdates: number
  /** Clusters that joined the ghost (not flipped). */
  ghostClusters: number
  /** Runs `count` cluster updates. */
  updates(count: number): void
  /** Σ_<ij> v_i v_j over the 2N bonds, from scratch. */
  bondSum(): number
  /** The generator state (4 × uint32), as Xoshiro128ss.getState() gives it. */
  getRngState(): Uint32Array
  /**
   * Continues from other spins and generator state (counters kept), so a caller running short
   * bursts keeps one kernel instead of building one (and a module memory) per burst.
   */
  load(spins: Int8Array, rngState: Uint32Array): void
}
