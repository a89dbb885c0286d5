/*
 * C reference for the heat-bath kernels (src-core/ising/square/heatbath.ts and its WebAssembly twin in
 * wasm/assembly/ising.ts): the same algorithm, written like metropolis.c, so `npm run bench` can
 * report their speed relative to compiled code. Heat bath: Glauber, J. Math. Phys. 4, 294 (1963).
 *   - xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c), seeded by splitmix64
 *     exactly as src-core/random/xoshiro128ss.ts;
 *   - int8 spins, neighbour table (right, left, down, up), checkerboard order (even then odd);
 *   - P(v_i = +1) = 1 / (1 + e^{−2(K S_i + h)}) tabulated for the 5 neighbour sums as P·2^32;
 *     one number drawn per site, v_i = +1 when it is below the threshold.
 * Build: gcc -O2 -o heatbath heatbath.c -lm
 * Usage: heatbath L SWEEPS [K] [SEED]   (K defaults to Kc = ½ ln(1+√2))
 * Prints one JSON object: {"L":..,"sweeps":..,"K":..,"seconds":..,"flipsPerSecond":..,"acceptance":..}
 * flipsPerSecond counts single-spin updates (N per sweep), as the JS side does;
 * "acceptance" is the fraction of updates that changed the spin.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s L SWEEPS [K] [SEED]\n", argv[0]);
		return 2;
	}
	const int L = atoi(argv[1]);
	const long sweeps = atol(argv[2]);
	const double K = argc > 3 ? atof(argv[3]) : 0.5 * log(1 + sqrt(2.0));
	const double h = 0.0;
	seed_state(argc > 4 ? strtoull(argv[4], NULL, 10) : 1);
	if (L < 4 || L > 1024 || sweeps < 1) {
		fprintf(stderr, "need 4 <= L <= 1024 and SWEEPS >= 1\n");
		return 2;
	}
	const int N = L * L;
	int8_t *spins = malloc(N);
	int32_t *nb = malloc(sizeof(int32_t) * 4 * N);
	int32_t *order = malloc(sizeof(int32_t) * N);
	int count = 0;
	for (int colour = 0; colour < 2; colour++)
		for (int y = 0; y < L; y++)
			for (int x = 0; x < L; x++)
				if (((x + y) & 1) == colour) order[count++] = y * L + x;
	for (int y = 0; y < L; y++)
		for (int x = 0; x < L; x++) {
			const int i = y * L + x;
			nb[4 * i] = y * L + (x + 1) % L;
			nb[4 * i + 1] = y * L + (x + L - 1) % L;
			nb[4 * i + 2] = ((y + 1) % L) * L + x;
			nb[4 * i + 3] = ((y + L - 1) % L) * L + x;
		}
	for (int i = 0; i < N; i++) spins[i] = (next() >> 31) ? 1 : -1; /* hot start */
	double threshold[5];
	for (int sIdx = 0; sIdx < 5; sIdx++) threshold[sIdx] = 4294967296.0 / (1 + exp(-2 * (K * (2 * sIdx - 4) + h)));
	long accepted = 0; /* spins that changed */
	const double start = now_seconds();
	for (long sweep = 0; sweep < sweeps; sweep++) {
		for (int k = 0; k < N; k++) {
			const int i = order[k];
			const int b = 4 * i;
			const int sum = spins[nb[b]] + spins[nb[b + 1]] + spins[nb[b + 2]] + spins[nb[b + 3]];
			const int v = spins[i];
			const int w = (double)next() < threshold[(sum + 4) >> 1] ? 1 : -1;
			spins[i] = (int8_t)w;
			accepted += w != v;
		}
	}
	const double seconds = now_seconds() - start;
	const double attempts = (double)N * sweeps;
	printf("{\"L\":%d,\"sweeps\":%ld,\"K\":%.17g,\"seconds\":%.6f,\"flipsPerSecond\":%.6e,\"acceptance\":%.6f}\n",
	       L, sweeps, K, seconds, attempts / seconds, accepted / attempts);
	free(spins); free(nb); free(order);
	return 0;
}
