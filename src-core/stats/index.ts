export {
  type AutocorrelationOptions,
  type AutocorrelationTime,
  effectiveSampleSize,
  integratedAutocorrelationTime
} from './autocorrelation'
export { type BinningLevel, type BinningResult, binningError } from './binning'
export {
  type EquilibrationCheck,
  type EquilibrationOptions,
  type EquilibrationVerdict,
  equilibrationCheck
} from './equilibration'
export { autocorrelationSumsFft, complexFftInPlace, realFftHalf } from './fft'
export { jackknife, jackknifeBlockLength, type JackknifeOptions, type JackknifeResult } from './jackknife'
export {
  type Estimate,
  type McObservableName,
  type McSamples,
  type McSummary,
  summarise,
  type TauEstimate
} from './summary'
