/*
 * C reference for the Swendsen–Wang sweep (src-core/ising/mc/swendsenWang.ts and the torus kernel
 * src-core/ising/torus/swendsenWang.ts): the same algorithm on the uniform L×L torus at zero field,
 * so `npm run bench` can report their speed relative to compiled code.
 * Swendsen–Wang: R. H. Swendsen & J.-S. Wang, Phys. Rev. Lett. 58, 86 (1987). Union–find with
 * path halving and union by size (Tarjan, J. ACM 22, 215, 1975).
 *   - xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c), seeded by splitmix64
 *     exactly as src-core/random/xoshiro128ss.ts;
 *   - int8 spins; bonds in the order of src-core/lattice/build.ts (per site: right, then down);
 *   - 1. each satisfied bond is activated when a draw r < (1 − e^{−2K})·2^32;
 *     2. clusters by union–find; 3. in site order, each new root draws one number and its cluster
 *     is flipped when the low bit is 1 (probability ½).
 * Build: gcc -O2 -o sw sw.c -lm
 * Usage: sw L SWEEPS [K] [SEED]   (K defaults to Kc = ½ ln(1+√2))
 * A hot start, 20 untimed warm-up sweeps, then SWEEPS timed sweeps. Prints one JSON object:
 *   {"L":..,"sweeps":..,"K":..,"seconds":..,"sweepsPerSecond":..,"clusterUpdatesPerSecond":..,"spinsPerSecond":..,"meanClusters":..}
 * spinsPerSecond = N·sweeps/s (every spin belongs to one cluster per sweep); the fair unit is sweeps/s.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"

static int8_t *spins;
static int32_t *bondI, *bondJ, *parent, *size;
static uint8_t *decision;
static int N, B;
static double threshold;

static inline int find(int i) {
	while (parent[i] != i) {
		parent[i] = parent[parent[i]]; /* path halving */
		i = parent[i];
	}
	return i;
}

/* One sweep; returns the number of clusters. */
static long sweep(void) {
	for (int i = 0; i < N; i++) {
		parent[i] = i;
		size[i] = 1;
		decision[i] = 0;
	}
	for (int b = 0; b < B; b++) {
		const int i = bondI[b], j = bondJ[b];
		if (spins[i] == spins[j] && (double)next() < threshold) {
			int ri = find(i), rj = find(j);
			if (ri == rj) continue;
			if (size[ri] < size[rj]) { const int t = ri; ri = rj; rj = t; }
			parent[rj] = ri;
			size[ri] += size[rj];
		}
	}
	long clusters = 0;
	for (int i = 0; i < N; i++) {
		const int r = find(i);
		if (decision[r] == 0) {
			decision[r] = (next() & 1) ? 1 : 2;
			clusters++;
		}
		if (decision[r] == 1) spins[i] = (int8_t)-spins[i];
	}
	return clusters;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s L SWEEPS [K] [SEED]\n", argv[0]);
		return 2;
	}
	const int L = atoi(argv[1]);
	const long sweeps = atol(argv[2]);
	const double K = argc > 3 ? atof(argv[3]) : 0.5 * log(1 + sqrt(2.0));
	seed_state(argc > 4 ? strtoull(argv[4], NULL, 10) : 1);
	if (L < 4 || L > 1024 || sweeps < 1 || !(K >= 0)) {
		fprintf(stderr, "need 4 <= L <= 1024, SWEEPS >= 1 and K >= 0\n");
		return 2;
	}
	N = L * L;
	B = 2 * N;
	spins = malloc(N);
	bondI = malloc(sizeof(int32_t) * B);
	bondJ = malloc(sizeof(int32_t) * B);
	parent = malloc(sizeof(int32_t) * N);
	size = malloc(sizeof(int32_t) * N);
	decision = malloc(N);
	for (int y = 0, b = 0; y < L; y++)
		for (int x = 0; x < L; x++) {
			const int i = y * L + x;
			bondI[b] = i; bondJ[b++] = y * L + (x + 1) % L;
			bondI[b] = i; bondJ[b++] = ((y + 1) % L) * L + x;
		}
	for (int i = 0; i < N; i++) spins[i] = (next() >> 31) ? 1 : -1; /* hot start */
	threshold = -expm1(-2 * K) * 4294967296.0;
	for (int w = 0; w < 20; w++) sweep();
	long clusters = 0;
	const double start = now_seconds();
	for (long s = 0; s < sweeps; s++) clusters += sweep();
	const double seconds = now_seconds() - start;
	printf("{\"L\":%d,\"sweeps\":%ld,\"K\":%.17g,\"seconds\":%.6f,\"sweepsPerSecond\":%.6e,\"clusterUpdatesPerSecond\":%.6e,\"spinsPerSecond\":%.6e,\"meanClusters\":%.3f}\n",
	       L, sweeps, K, seconds, sweeps / seconds, clusters / seconds, (double)N * sweeps / seconds, (double)clusters / sweeps);
	free(spins); free(bondI); free(bondJ); free(parent); free(size); free(decision);
	return 0;
}
