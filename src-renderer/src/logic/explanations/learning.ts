import type { Equation, Explanation } from './types'

/** Explanations of the learning views: trainings, the exact mapping and the RG-vs-DBN comparison. */

/** The app stores RBMs in the machine-learning convention; the paper's w is minus W. */
const RBM_CONVENTION: Equation = {
  tex: String.raw`E(v,h) = -a^{\top}v - b^{\top}h - v^{\top}W h,\qquad p(v,h) = \frac{e^{-E(v,h)}}{Z},\qquad w_{\text{paper}} = -W`,
  caption:
    'Weights and biases are shown in the machine-learning convention (a visible, b hidden); the paper’s Eq. 10 writes the same energy with w = −W and its c, b = −a, −b.'
}

const MAPPING_CONVENTION: Equation = {
  tex: String.raw`H(v) = -\sum_{\langle ij\rangle} K_{ij} v_i v_j - \sum_i h_i v_i,\qquad H^{RG}(h) = \sum_S J_S \prod_{j\in S} h_j,\qquad E = -a^{\top}v - b^{\top}h - v^{\top}Wh`,
  caption:
    'The paper’s signs for H (K > 0 ferromagnetic); coarse Hamiltonians as sums of J_S, so J < 0 is ferromagnetic there; RBMs in the ML convention, the paper’s w = −W. Units ±1.'
}

export const training: Explanation = {
  title: 'Training an RBM or a deep belief network',
  prose: [
    'An RBM learns the data’s distribution P(v) by contrastive divergence; a deep belief network stacks RBMs greedily, each trained on the hidden probabilities of the layer below (the paper: 1600 → 400 → 100 → 25, CD-1, L1 2·10⁻⁴).',
    'Receptive fields show what a unit of a deep layer “sees” on the lattice: the paper found local blocks that grow with depth, which is what suggests RG.'
  ],
  equations: [
    {
      tex: String.raw`p(h_j = 1 \mid v) = \sigma\Big(b_j + \sum_i v_i W_{ij}\Big),\qquad \sigma(x) = \frac{1}{1+e^{-x}}`,
      caption: 'a hidden unit given the visible layer ({0,1} units)'
    },
    {
      tex: String.raw`\Delta W = \varepsilon\left(\langle v h^{\top}\rangle_{\text{data}} - \langle v h^{\top}\rangle_{k}\right) - \varepsilon\,\lambda_1 \operatorname{sign}(W)`,
      caption: 'CD-k step with an L1 penalty'
    },
    {
      tex: String.raw`\mathrm{KL}(P\,\|\,p_\lambda) = \sum_v P(v) \ln\frac{P(v)}{p_\lambda(v)}`,
      caption: 'what training minimises'
    },
    { tex: String.raw`r^{1} = W^{1},\qquad r^{l} = r^{l-1} W^{l}`, caption: 'receptive fields of layer l' }
  ],
  convention: RBM_CONVENTION
}

export const rbmSamples: Explanation = {
  title: 'Samples drawn from a trained network',
  prose: [
    'Each sample is a Gibbs chain on the top RBM from a random start, then sampled down-passes through the lower layers to the lattice: what the network believes a configuration looks like.',
    'Its energy and magnetisation per spin are measured as for Monte Carlo data and set against the data the network was trained on; each sample is an independent chain, so the error bars come from groups of samples. A network that learned the Ising distribution gives the data’s e and |m| within a few σ.'
  ],
  equations: [
    {
      tex: String.raw`e = \frac{\langle H 
angle}{N},\qquad H(s) = -K \sum_{\langle ij 
angle} s_i s_j,\qquad s = 2v - 1`,
      caption: 'energy per spin of a sample ({0,1} units read as spins)'
    },
    {
      tex: String.raw`|m| = \frac{\langle |\textstyle\sum_i s_i| 
angle}{N}`,
      caption: 'magnetisation per spin'
    },
    {
      tex: String.raw`z = \frac{x_{\text{network}} - x_{\text{data}}}{\sqrt{\sigma_{\text{network}}^2 + \sigma_{\text{data}}^2}}`,
      caption: 'how many standard errors the network is from the data'
    }
  ],
  convention: RBM_CONVENTION
}

export const mapping: Explanation = {
  title: 'The exact mapping between variational RG and RBMs',
  prose: [
    'Mehta and Schwab’s claim: choose the RG kernel T from an RBM’s energy, and the coarse Hamiltonian of RG equals the RBM’s hidden marginal, for any parameters. RG is exact (no loss of free energy pointwise) exactly when the RBM reproduces the data perfectly (KL = 0).',
    'This view computes both sides on a system small enough to sum over every configuration and shows their differences. Note: ΔF = 0 does not imply the pointwise condition (the paper’s Eq. 8 “⟺” is a typo, 1609.03541).'
  ],
  equations: [
    { tex: String.raw`T_\lambda(v,h) = -E(v,h) + H(v)`, caption: 'the mapping (Eq. 18)' },
    {
      tex: String.raw`H^{RG}_\lambda(h) = H^{RBM}_\lambda(h),\qquad e^{-H^{RBM}(h)} = \operatorname{Tr}_v e^{-E(v,h)}`,
      caption: 'coarse Hamiltonian = hidden marginal (Eq. 21)'
    },
    {
      tex: String.raw`e^{T(v,h)} = p_\lambda(h \mid v)\, e^{H(v) - H^{RBM}(v)}`,
      caption: 'so Tr_h e^T = 1 for every v iff H^RBM(v) = H(v) (Eq. 22)'
    },
    {
      tex: String.raw`r(v) = \ln \operatorname{Tr}_h e^{T(v,h)},\qquad \Delta F = -\ln \sum_v P(v)\, e^{r(v)}`,
      caption: 'trace residual and free-energy change'
    },
    { tex: String.raw`K' = \tfrac12 \ln\cosh 2K`, caption: '1D decimation as an RBM (the paper’s Fig. 2)' }
  ],
  convention: MAPPING_CONVENTION
}

export const compare: Explanation = {
  title: 'RG and a deep belief network, level by level',
  prose: [
    'The paper shows receptive fields and stops; this view measures. Each row pairs RG level l with DBN layer l: the same sample as block spins and as layer activity, receptive fields against block kernels, histograms of m, C(r) and effective couplings with error bars.',
    'Hidden units have no lattice positions: each is drawn at the centroid of its receptive field. The RBM flow iterates v → h → v and measures the effective K of each iterate; it drifts toward Kc (Iso et al. 2018) while RG flows away.'
  ],
  equations: [
    {
      tex: String.raw`\bar x_j = \frac{L}{2\pi}\arg \sum_p |r^{l}_{pj}|\, e^{2\pi i x_p / L}`,
      caption: 'where unit j is drawn (circular mean on the torus)'
    },
    {
      tex: String.raw`\mathrm{overlap}_j(B) = \frac{\big|\sum_{p\in B} r_{pj}\big|}{\sqrt{|B|}\,\lVert r_{\cdot j}\rVert_2}`,
      caption: 'how much a receptive field looks like block B'
    },
    {
      tex: String.raw`I(s;h) = \sum_{s,h} P(s,h) \ln \frac{P(s,h)}{P(s)P(h)}`,
      caption: 'similarity: mutual information of a block spin and its best unit (nats)'
    },
    {
      tex: String.raw`v_0 \to h \sim p(h \mid v_0) \to v_1 \sim p(v \mid h) \to \cdots,\qquad K_{\text{eff}}(v_n)`,
      caption: 'the RBM flow'
    }
  ],
  convention: RBM_CONVENTION
}
