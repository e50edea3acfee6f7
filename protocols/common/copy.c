/* SPDX-License-Identifier: BSD-2-Clause */
/* Payload copies four bytes at a time: the firmware libc copies byte by byte. */
#include "l2/buf.h"

/*
 * Unaligned 32-bit accesses through __builtin_memcpy compile to single LDR/STR on ARMv7
 * (the kernel clears SCTLR.A, ARM ARM B4.1.130) and x86, and stay within the buffers.
 */
static inline uint32_t load32(const uint8_t *p)
{
	uint32_t w;

	__builtin_memcpy(&w, p, 4);
	return w;
}

static inline void store32(uint8_t *p, uint32_t w)
{
	__builtin_memcpy(p, &w, 4);
}

void l2_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (; n >= 16; d += 16, s += 16, n -= 16) {
		uint32_t a = load32(s), b = load32(s + 4), c = load32(s + 8), e = load32(s + 12);

		store32(d, a);
		store32(d + 4, b);
		store32(d + 8, c);
		store32(d + 12, e);
	}
	for (; n >= 4; d += 4, s += 4, n -= 4)
		store32(d, load32(s));
	while (n--)
		*d++ = *s++;
}

void l2_xor(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (; n >= 4; dst += 4, src += 4, n -= 4)
		store32(dst, load32(dst) ^ load32(src));
	while (n--)
		*dst++ ^= *src++;
}
