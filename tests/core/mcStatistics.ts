/**
 * Binning (batch-means) error bar for correlated Monte Carlo series: the series is cut into
 * `bins` consecutive blocks; when blocks are much longer than the autocorrelation time their
 * means are independent, so σ = sd(block means)/√bins.
 */
export function binnedMeanAndError(samples: ArrayLike<number>, bins = 100): { mean: number; error: number } {
  const perBin = Math.floor(samples.length / bins)
  if (perBin < 1) throw new RangeError(`need at least ${bins} samples, got ${samples.length}`)
  const means: number[] = []
  for (let b = 0; b < bins; b++) {
    let sum = 0
    for (let k = b * perBin; k < (b + 1) * perBin; k++) sum += samples[k]
    means.push(sum / perBin)
  }
  const mean = means.reduce((a, x) => a + x, 0) / bins
  const variance = means.reduce((a, x) => a + (x - mean) ** 2, 0) / (bins - 1)
  return { mean, error: Math.sqrt(variance / bins) }
}

/** Message for a failed n·σ comparison: inputs, difference and tolerance. */
export function describeSigmaCheck(
  label: string,
  measured: { mean: number; error: number },
  exact: number,
  nSigma: number
): string {
  const diff = measured.mean - exact
  return (
    `${label}: measured ${measured.mean} ± ${measured.error}, exact ${exact}, difference ${diff} ` +
    `(${(diff / measured.error).toFixed(2)}σ), tolerance ${nSigma}σ = ${nSigma * measured.error}`
  )
}
