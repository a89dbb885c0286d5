/*
 * What every C reference of the benchmarks shares: xoshiro128** 1.1
 * (https://prng.di.unimi.it/xoshiro128starstar.c), seeded from splitmix64 exactly as
 * src-core/random/xoshiro128ss.ts does (low 32 bits first), and a monotonic clock.
 */
#ifndef BLOCKSPIN_BENCH_COMMON_H
#define BLOCKSPIN_BENCH_COMMON_H
#include <stdint.h>
#include <time.h>

static uint32_t s[4];

static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next(void) {
	const uint32_t result = rotl(s[1] * 5, 7) * 9;
	const uint32_t t = s[1] << 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 11);
	return result;
}

static uint64_t splitmix64_next(uint64_t *x) {
	uint64_t z = (*x += 0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static void seed_state(uint64_t seed) {
	uint64_t x = seed;
	const uint64_t z1 = splitmix64_next(&x), z2 = splitmix64_next(&x);
	s[0] = (uint32_t)z1; s[1] = (uint32_t)(z1 >> 32); s[2] = (uint32_t)z2; s[3] = (uint32_t)(z2 >> 32);
}

static double now_seconds(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

#endif
