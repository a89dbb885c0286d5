// One timed RBM epoch in a fresh Node, started as the app's job worker starts (relaxed SIMD
// turned on before any kernel compiles): `node --import tsx rbmEpochChild.ts THREADS NEGATIVE
// BUILD ROUNDS`, NEGATIVE 'probabilities' | 'samples', BUILD 'app' | 'fixed'. Prints one JSON
// line: the best of ROUNDS epochs in seconds and the build that ran.
import { enableRelaxedSimd } from '../../src-main/utility/relaxedSimd'

enableRelaxedSimd()
const [threads, negative, build, rounds] = process.argv.slice(2)
const { createWasmDenseKernels } = await import('@core/rbm/kernelsWasm')
const { nodeDenseThreadHost } = await import('../../src-main/utility/denseThreads')
const { epochData, timeEpoch, ROWS } = await import('./rbmEpoch')
const kernels = createWasmDenseKernels({
  threads: Number(threads),
  ...(build === 'fixed' ? { relaxedSimd: false } : {}),
  ...(Number(threads) > 1
    ? { threadHost: { ...nodeDenseThreadHost, cores: Math.max(2, nodeDenseThreadHost.cores) } }
    : {})
})
if (!kernels) {
  console.log(JSON.stringify({ error: 'WebAssembly SIMD unavailable' }))
} else {
  const data = epochData(ROWS)
  let best = Infinity
  for (let r = 0; r < Number(rounds); r++)
    best = Math.min(best, timeEpoch(data, ROWS, kernels, negative === 'samples' ? 'samples' : 'probabilities'))
  console.log(JSON.stringify({ seconds: best, relaxedSimd: kernels.relaxedSimd }))
}
process.exit(0)
