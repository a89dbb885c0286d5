/*
 * C reference for the Wolff cluster kernels (src-core/ising/torus/wolff.ts and the general
 * src-core/ising/mc/wolff.ts): the same algorithm on the uniform L×L torus at zero
 * field, so `npm run bench` can report their speed relative to compiled code.
 * Wolff single-cluster update: U. Wolff, Phys. Rev. Lett. 62, 361 (1989).
 *   - xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c), seeded by splitmix64
 *     exactly as src-core/random/xoshiro128ss.ts;
 *   - int8 spins, neighbour table (right, left, down, up);
 *   - seed site uniform in [0, N) by rejecting the incomplete last block of 2^32;
 *   - growth with a stack; a site joins when it has the seed's sign and a draw r satisfies
 *     r < (1 − e^{−2K})·2^32; members are flipped as they join, so every bond is tried at most
 *     once (the growth order does not change the distribution of the cluster).
 * Build: gcc -O2 -o wolff wolff.c -lm
 * Usage: wolff L UPDATES [K] [SEED]   (K defaults to Kc = ½ ln(1+√2))
 * A hot start, then untimed warm-up updates until 20·N spins were grown (at least 100 updates),
 * then UPDATES timed cluster updates. Prints one JSON object:
 *   {"L":..,"updates":..,"K":..,"seconds":..,"clusterUpdatesPerSecond":..,"spinsPerSecond":..,"meanClusterSize":..}
 * spinsPerSecond counts spins added to clusters (the fair unit: the work is proportional to it).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common.h"

static int8_t *spins;
static int32_t *nb, *stack;
static int N;
static double threshold;
static uint64_t limit; /* 2^32 − (2^32 mod N): 2^32 itself when N divides 2^32 */

/* One cluster update; returns the cluster size. */
static long update(void) {
	uint32_t r = next();
	while ((uint64_t)r >= limit) r = next();
	const int seed = (int)(r % (uint32_t)N);
	const int8_t v = spins[seed];
	spins[seed] = (int8_t)-v;
	stack[0] = seed;
	int top = 1;
	long size = 1;
	while (top > 0) {
		const int b = 4 * stack[--top];
		for (int d = 0; d < 4; d++) {
			const int j = nb[b + d];
			if (spins[j] == v && (double)next() < threshold) {
				spins[j] = (int8_t)-v;
				stack[top++] = j;
				size++;
			}
		}
	}
	return size;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s L UPDATES [K] [SEED]\n", argv[0]);
		return 2;
	}
	const int L = atoi(argv[1]);
	const long updates = atol(argv[2]);
	const double K = argc > 3 ? atof(argv[3]) : 0.5 * log(1 + sqrt(2.0));
	seed_state(argc > 4 ? strtoull(argv[4], NULL, 10) : 1);
	if (L < 4 || L > 1024 || updates < 1 || !(K >= 0)) {
		fprintf(stderr, "need 4 <= L <= 1024, UPDATES >= 1 and K >= 0\n");
		return 2;
	}
	N = L * L;
	spins = malloc(N);
	nb = malloc(sizeof(int32_t) * 4 * N);
	stack = malloc(sizeof(int32_t) * N);
	for (int y = 0; y < L; y++)
		for (int x = 0; x < L; x++) {
			const int i = y * L + x;
			nb[4 * i] = y * L + (x + 1) % L;
			nb[4 * i + 1] = y * L + (x + L - 1) % L;
			nb[4 * i + 2] = ((y + 1) % L) * L + x;
			nb[4 * i + 3] = ((y + L - 1) % L) * L + x;
		}
	for (int i = 0; i < N; i++) spins[i] = (next() >> 31) ? 1 : -1; /* hot start */
	threshold = -expm1(-2 * K) * 4294967296.0;
	limit = 4294967296ULL - 4294967296ULL % (uint64_t)N;
	long warm = 0, warmUpdates = 0;
	while (warm < 20L * N || warmUpdates < 100) {
		warm += update();
		warmUpdates++;
	}
	long grown = 0;
	const double start = now_seconds();
	for (long u = 0; u < updates; u++) grown += update();
	const double seconds = now_seconds() - start;
	printf("{\"L\":%d,\"updates\":%ld,\"K\":%.17g,\"seconds\":%.6f,\"clusterUpdatesPerSecond\":%.6e,\"spinsPerSecond\":%.6e,\"meanClusterSize\":%.6f}\n",
	       L, updates, K, seconds, updates / seconds, grown / seconds, (double)grown / updates);
	free(spins); free(nb); free(stack);
	return 0;
}
