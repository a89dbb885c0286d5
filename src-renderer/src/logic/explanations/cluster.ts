import type { Explanation } from './types'

/** The equations both planned views share: the units' streams and the model's convention. */
const streams = {
  tex: String.raw`s_k = J^{\,k+1}\big(\mathrm{splitmix64}(S)\big),\qquad J:\ 2^{64}\ \text{outputs of xoshiro128**}`,
  caption: 'unit k’s random stream: the bundle seed’s generator jumped k + 1 times (blocks that never overlap)'
}
const convention = {
  tex: String.raw`H(v) = -K\sum_{\langle ij\rangle} v_i v_j - h\sum_i v_i,\qquad K_c = \tfrac12\ln(1+\sqrt2) \approx 0.4407`,
  caption: 'K > 0 is ferromagnetic, as in every view; the units run the same jobs as the app.'
}

export const cluster: Explanation = {
  title: 'Planned for a cluster: a Slurm job array and one merge',
  prose: [
    'The item is split into independent units — a sweep’s (L, K) points, an RG flow’s starting couplings, an MCRG’s chains — grouped into array tasks. Each task runs blockspin cluster task on a node, with no display and no Electron, and writes its result atomically.',
    'Every unit draws from its own block of one random sequence, so no two units share a number and the same bundle gives the same results on any cluster. A task that Slurm warns before its time limit (or preempts) keeps a checkpoint and resumes from it when requeued.',
    'Merge results… checks every result file as strictly as a project file, pools what is done into this item and names each task still missing; merging again as more tasks finish changes only what is new.'
  ],
  equations: [
    streams,
    {
      tex: String.raw`\hat\sigma^2_{\mathrm{jk}} = \frac{n-1}{n}\sum_{k=1}^{n}\big(\hat\theta_{(k)} - \bar\theta\big)^2`,
      caption: 'an MCRG’s error bars: a jackknife over its n independent chains, each left out in turn'
    }
  ],
  convention
}

export const clusterDataset: Explanation = {
  title: 'A dataset planned for a cluster: shards of one sample',
  prose: [
    'The dataset is split into shards, each an independent chain of the same model with its own burn-in, run as one array task. Their samples, energies and magnetisations are concatenated in shard order into this dataset when merged.',
    'With automatic thinning each shard runs its own pilot and stores every ⌈2τ_int⌉-th sweep; the merged dataset records the largest thinning. Every shard draws from its own block of one random sequence, so the bundle’s results do not depend on where or when its tasks run.'
  ],
  equations: [
    streams,
    {
      tex: String.raw`\bar O = \frac{1}{N}\sum_{k} N_k\,\bar O_k,\qquad N = \sum_k N_k,\qquad t_k = \lceil 2\,\tau_{\mathrm{int},k}\rceil`,
      caption: 'the pooled average over shards of N_k samples, and shard k’s thinning t_k'
    }
  ],
  convention
}
