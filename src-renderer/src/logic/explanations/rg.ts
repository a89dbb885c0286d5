import type { Equation, Explanation } from './types'

/** Explanations of the renormalization-group views: coarse datasets, cascades, flows and MCRG. */

/** SCIENCE §7: couplings of spin products S_α, so K_α > 0 favours aligned products. */
const RG_CONVENTION: Equation = {
  tex: String.raw`-H(h) = \sum_\alpha K_\alpha S_\alpha(h),\qquad S_1 = \sum_{\langle ij\rangle} h_i h_j,\ S_2 = \sum_{\langle\!\langle ij\rangle\!\rangle} h_i h_j,\ \dots`,
  caption:
    'Coarse Hamiltonians are written with the paper’s signs: K_α > 0 is ferromagnetic. Block spins h_B = ±1 (or block averages in [−1, 1], drawn as grey levels).'
}

const BLOCK_RULES: Equation = {
  tex: String.raw`h_B = \frac{1}{A}\sum_{i \in B} v_i \quad\text{or}\quad h_B = \operatorname{sign}\sum_{i\in B} v_i\ \ (\text{a tie: a fair coin})`,
  caption: 'block average and majority rule over a block B of A = b² spins'
}

export const coarseDataset: Explanation = {
  title: 'A coarse dataset: one RG level',
  prose: [
    'Every sample of the parent dataset is coarse-grained block by block: the lattice shrinks from L to L/b and each block becomes one spin.',
    'A coarse dataset can be measured like any other; its effective couplings say where the RG step took the model.'
  ],
  equations: [BLOCK_RULES],
  convention: RG_CONVENTION
}

export const rg: Explanation = {
  title: 'A block-spin RG cascade',
  prose: [
    'Read left to right: level 0 is the data, each later level coarse-grains the one before by b×b blocks. The same sample is shown in every column so the eye can follow a domain.',
    'The majority rule is the λ → ∞ limit of Kadanoff’s kernel, which is exact in the paper’s sense (Eq. 9): it never changes the free energy. Each level’s couplings come from a pseudo-likelihood fit to its samples, with jackknife error bars.'
  ],
  equations: [
    BLOCK_RULES,
    {
      tex: String.raw`T_\lambda(v,h) = \sum_B \big[\lambda\, h_B s_B - \ln\!\left(2\cosh \lambda s_B\right)\big],\qquad s_B = \sum_{i\in B} v_i`,
      caption: 'Kadanoff’s block kernel, normalised'
    },
    {
      tex: String.raw`e^{-H^{RG}_\lambda(h)} = \operatorname{Tr}_v\, e^{T_\lambda(v,h) - H(v)},\qquad \operatorname{Tr}_h e^{T_\lambda(v,h)} = 1\ \ \forall v`,
      caption: 'variational RG (Eq. 6) and its exactness condition (Eq. 9)'
    },
    {
      tex: String.raw`\max_K \sum_{\text{samples}} \sum_i \big[s_i \varphi_i - \ln 2\cosh \varphi_i\big],\qquad \varphi_i = \sum_\alpha K_\alpha \frac{\partial S_\alpha}{\partial s_i}`,
      caption: 'pseudo-likelihood fit of each level’s couplings'
    }
  ],
  convention: RG_CONVENTION
}

export const rgFlow: Explanation = {
  title: 'The RG flow K → K′',
  prose: [
    'For configurations at several starting K, one RG step gives an effective coupling K′ at the coarser level. Kc is the unstable fixed point: below it the flow runs to K = 0 (disorder), above it to strong coupling (order).',
    'K′ is measured two ways: the pseudo-likelihood fit, and the matched coupling whose exact nearest-neighbour correlation on the coarse lattice equals the measured one.'
  ],
  equations: [
    { tex: String.raw`K' = R_b(K),\qquad R_b(K_c) = K_c`, caption: 'one RG step and its critical fixed point' },
    {
      tex: String.raw`\langle h_i h_j\rangle_{nn}(K') = \frac{1}{2N'}\,\frac{\partial \ln Z_{L/b}(K')}{\partial K'}`,
      caption: 'the matched coupling (Kaufman on the coarse torus)'
    },
    { tex: String.raw`K_c = \tfrac12\ln\!\left(1+\sqrt2\right) \approx 0.440687`, caption: 'exact critical coupling' }
  ],
  convention: RG_CONVENTION
}

export const mcrg: Explanation = {
  title: 'Swendsen’s Monte Carlo RG',
  prose: [
    'From correlations between the operators of two successive levels, MCRG estimates the linearised RG map near the fixed point without ever knowing the couplings. Its largest eigenvalue gives the thermal exponent.',
    'The first level is biased by truncating to a few couplings and by the finite lattice; later levels converge. The exact 2D Ising value is ν = 1.'
  ],
  equations: [
    {
      tex: String.raw`A_{\gamma\alpha} = \langle S^{(n)}_\gamma S^{(n)}_\alpha\rangle - \langle S^{(n)}_\gamma\rangle\langle S^{(n)}_\alpha\rangle,\qquad B_{\gamma\beta} = \langle S^{(n)}_\gamma S^{(n-1)}_\beta\rangle - \langle S^{(n)}_\gamma\rangle\langle S^{(n-1)}_\beta\rangle`,
      caption: 'correlations within and across levels'
    },
    {
      tex: String.raw`T^{(n)} = A^{-1}B = \frac{\partial K^{(n)}}{\partial K^{(n-1)}},\qquad \lambda_{\max} = b^{y_t},\qquad \nu = \frac{1}{y_t}`,
      caption: 'the linearised RG matrix and the correlation-length exponent'
    }
  ],
  convention: RG_CONVENTION
}
