export { assertClusterModel, type ClusterTables, createClusterTables, FrustratedModelError } from './cluster'
export { heatBathSweep, metropolisColourSweep, metropolisRandomSiteSweep } from './local'
export {
  type AxisCorrelation,
  correlationFunction,
  createMeasurements,
  type McMeasurements,
  measuredSeries,
  recordSample,
  secondMomentCorrelationLength
} from './measure'
export { createSampler, MC_ALGORITHMS, type McAlgorithm, type Sampler, type SamplerOptions } from './sampler'
export {
  createLocalWorkspace,
  createMcState,
  initialSpins,
  type LocalWorkspace,
  type McState,
  resyncSums,
  uniformIndex
} from './state'
export { createSwendsenWangWorkspace, type SwendsenWangWorkspace, swendsenWangSweep } from './swendsenWang'
export {
  createWolffWorkspace,
  estimateWolffUpdatesPerSweep,
  type WolffWorkspace,
  wolffSweep,
  wolffUpdate
} from './wolff'
