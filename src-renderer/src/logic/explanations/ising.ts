import type { Explanation } from './types'

/** Explanations of the Ising views: the live chain, the model editor, exact solutions, sweeps and datasets. */

/** The paper's Eq. 3 for the uniform square lattice, the one convention every Ising view states. */
const UNIFORM_H = String.raw`\begin{gathered} H(v) = -K \sum_{\langle ij\rangle} v_i v_j - h \sum_i v_i \\ P(v) = \frac{e^{-H(v)}}{Z} \end{gathered}`
const UNIFORM_CONVENTION = {
  tex: UNIFORM_H,
  caption:
    'Spins v_i = ±1, temperature absorbed (K = βJ is dimensionless); K > 0 is ferromagnetic and h > 0 favours up spins. These are the paper’s signs (its Eq. 3).'
}
const GENERAL_CONVENTION = {
  tex: String.raw`\begin{gathered} H(v) = -\sum_i K_i v_i - \sum_{\langle ij\rangle} K_{ij} v_i v_j \\ P(v) \propto e^{-\beta H(v)} \end{gathered}`,
  caption:
    'The paper’s Eq. 3 with a coupling on every bond and a field K_i (shown as h) on every site; K_ij > 0 is ferromagnetic, K_ij < 0 antiferromagnetic; β scales every coupling at once.'
}

export const live: Explanation = {
  title: 'A live Monte Carlo chain',
  prose: [
    'The lattice is one configuration of a Markov chain whose stationary distribution is P(v). Each frame runs a number of sweeps (one sweep: N attempted flips, or a few Wolff clusters) and draws the newest configuration.',
    'Move K across Kc: below Kc (high temperature) the domains are small and |m| is near 0; above Kc one orientation takes over; at Kc domains of every size appear. The paper’s data sit at K = 0.408, on the paramagnetic side.',
    'Painting overwrites spins; the chain then relaxes back to P(v), which is a quick way to see the relaxation time.'
  ],
  equations: [
    {
      tex: String.raw`K_c = \tfrac12 \ln\!\left(1+\sqrt2\right) \approx 0.440687`,
      caption: 'Onsager’s critical coupling'
    },
    {
      tex: String.raw`\begin{gathered} A(v \to v') = \min\!\left(1,\ e^{-\Delta H}\right) \\ \Delta H = 2 v_i \Big(K \sum_{j \in \partial i} v_j + h\Big) \end{gathered}`,
      caption: 'Metropolis: flipping spin i'
    },
    {
      tex: String.raw`p_{\mathrm{add}} = 1 - e^{-2K}`,
      caption: 'Wolff: a parallel neighbour joins the cluster (h = 0)'
    },
    {
      tex: String.raw`e = \frac{H(v)}{N},\qquad |m| = \frac{1}{N}\Big|\sum_i v_i\Big|`,
      caption: 'what the two charts follow, per site'
    }
  ],
  convention: UNIFORM_CONVENTION
}

export const model: Explanation = {
  title: 'The model: a lattice and its couplings',
  prose: [
    'A model is a lattice of ±1 spins with a coupling on each bond and a field on each site. Paint couplings and fields with the tools; presets give the uniform ferromagnet, spin glasses and the paper’s 40×40 torus.',
    'Everything else in the project is made from a model: live chains and datasets sample it, exact solvers sum over it, and RBMs learn its distribution from samples.'
  ],
  equations: [
    {
      tex: String.raw`Z = \sum_{v \in \{\pm1\}^N} e^{-H(v)},\qquad F = -\ln Z`,
      caption: 'partition function and free energy (the paper’s F^v)'
    },
    {
      tex: String.raw`P(v) = \frac{e^{-H(v)}}{Z}`,
      caption: 'the Boltzmann distribution every sample is drawn from'
    }
  ],
  convention: GENERAL_CONVENTION
}

export const exact: Explanation = {
  title: 'Exact solutions',
  prose: [
    'Small systems are summed over every configuration; the square torus uses Kaufman’s finite-lattice solution; Onsager’s infinite-lattice value is shown beside it for a uniform ferromagnet in zero field.',
    'These numbers are the references drawn as dashed lines over Monte Carlo and RBM curves elsewhere in the app.'
  ],
  equations: [
    {
      tex: String.raw`f = -\frac{\ln Z}{N},\quad e = \frac{\langle H\rangle}{N},\quad c = \frac{\langle H^2\rangle - \langle H\rangle^2}{N}`,
      caption: 'per-site observables'
    },
    {
      tex: String.raw`-\beta f = \ln(2\cosh 2K) + \frac{1}{2\pi}\int_0^{\pi} \ln\frac{1+\sqrt{1-\kappa^2\sin^2\theta}}{2}\,d\theta,\qquad \kappa = \frac{2\sinh 2K}{\cosh^2 2K}`,
      caption: 'Onsager, N → ∞'
    },
    {
      tex: String.raw`Z = \tfrac12 (2\sinh 2K)^{mn/2} \left(Z_1 + Z_2 + Z_3 + Z_4\right)`,
      caption: 'Kaufman, m×n torus'
    }
  ],
  convention: UNIFORM_CONVENTION
}

export const sweep: Explanation = {
  title: 'A parameter sweep',
  prose: [
    'Each point is an equilibrium Monte Carlo estimate at one K for one lattice size, with its error bar from binning. The specific heat and susceptibility peak near Kc and sharpen as L grows; the Binder cumulants of different L cross close to Kc.',
    'Two susceptibilities are in use: the connected one and the one with |m|, which stays finite on a finite ordered lattice. The chart says which it shows.'
  ],
  equations: [
    {
      tex: String.raw`\chi = N\left(\langle m^2\rangle - \langle m\rangle^2\right),\qquad \chi' = N\left(\langle m^2\rangle - \langle |m|\rangle^2\right)`,
      caption: 'the two susceptibilities'
    },
    { tex: String.raw`c = \frac{\mathrm{Var}(H)}{N}`, caption: 'specific heat per site (dimensionless)' },
    { tex: String.raw`U_4 = 1 - \frac{\langle m^4\rangle}{3\langle m^2\rangle^2}`, caption: 'Binder cumulant' }
  ],
  convention: UNIFORM_CONVENTION
}

export const dataset: Explanation = {
  title: 'A dataset of samples',
  prose: [
    'Configurations drawn from P(v) by Monte Carlo after a burn-in, kept every few sweeps so that consecutive samples are nearly independent: the thinning follows the measured integrated autocorrelation time.',
    'This is what an RBM trains on and what the RG coarse-grains. The paper used 20,000 samples of the 40×40 torus at K = 0.408.'
  ],
  equations: [
    {
      tex: String.raw`\tau_{\mathrm{int}} = \tfrac12 + \sum_{t=1}^{W} \rho(t),\qquad N_{\mathrm{eff}} = \frac{n}{2\tau_{\mathrm{int}}}`,
      caption: 'integrated autocorrelation time and effective sample size'
    },
    {
      tex: String.raw`m = \frac1N \sum_i v_i,\qquad C(r) = \langle v_0 v_r\rangle - \langle v_0\rangle\langle v_r\rangle`,
      caption: 'magnetisation per site and the connected correlation'
    }
  ],
  convention: UNIFORM_CONVENTION
}
