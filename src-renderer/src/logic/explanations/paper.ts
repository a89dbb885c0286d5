import type { Explanation } from './types'

/** The paper template's view: what Mehta & Schwab claim and how the reproduction checks it. */
export const paper: Explanation = {
  title: 'The paper, reproduced: an exact mapping between RG and deep learning',
  prose: [
    'Mehta & Schwab show that Kadanoff’s variational renormalization group and a stack of RBMs are the same construction: a coarse-graining kernel T_λ(v, h) plays the role of the RBM energy, and when the kernel satisfies the trace condition the coarse Hamiltonian H^RG equals the RBM’s marginal Hamiltonian H^RBM.',
    'Fig. 2 is the 1D Ising chain, whose decimation is exactly an RBM layer. Fig. 3 trains a deep belief network on 2D Ising samples near the critical coupling and shows receptive fields that grow from layer to layer, like block spins.',
    'The stages run one after another; each makes an ordinary item of the project (open it for its own view). Pausing keeps the training’s checkpoint, and a saved project continues where it stopped, in the app or with blockspin run.'
  ],
  equations: [
    {
      tex: String.raw`T_\lambda(v,h) = -E(v,h) + H(v),\qquad e^{-H^{RG}_\lambda(h)} = \operatorname{Tr}_v\, e^{T_\lambda(v,h) - H(v)}`,
      caption: 'the kernel as an RBM energy (Eqs. 12, 18 of the paper)'
    },
    {
      tex: String.raw`\operatorname{Tr}_h\, e^{T_\lambda(v,h)} = 1\ \ \forall v \;\Longrightarrow\; H^{RG}_\lambda(h) = H^{RBM}_\lambda(h)`,
      caption: 'the trace condition makes the mapping exact (Eqs. 21–22)'
    },
    {
      tex: String.raw`E(v,h) = -\sum_i a_i v_i - \sum_j b_j h_j - \sum_{ij} v_i W_{ij} h_j`,
      caption: 'the RBM energy as trained here (the paper writes w = −W)'
    }
  ],
  convention: {
    tex: String.raw`H(v) = -K\sum_{\langle ij\rangle} v_i v_j - h\sum_i v_i,\qquad K_c = \tfrac12\ln(1+\sqrt2) \approx 0.4407`,
    caption: 'K > 0 is ferromagnetic; the paper’s samples are at K = 0.408, just below Kc.'
  }
}
