/* SPDX-License-Identifier: BSD-2-Clause */
/* String functions for tasks (C11 §7.24): word-wise copy and fill, the rest byte-wise. */
#include <stdint.h>
#include <string.h>

/* A word that may alias any object (memcpy and memset work on every type). */
typedef uint32_t __attribute__((may_alias)) word_t;

/* Word at a time when both pointers share their alignment; bytes otherwise. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
		while (n && ((uintptr_t)d & 3)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 16; n -= 16, d += 16, s += 16) {
			((word_t *)(void *)d)[0] = ((const word_t *)(const void *)s)[0];
			((word_t *)(void *)d)[1] = ((const word_t *)(const void *)s)[1];
			((word_t *)(void *)d)[2] = ((const word_t *)(const void *)s)[2];
			((word_t *)(void *)d)[3] = ((const word_t *)(const void *)s)[3];
		}
		for (; n >= 4; n -= 4, d += 4, s += 4)
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else if (d > s) {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint32_t w = 0x01010101u * (unsigned char)c;

	while (n && ((uintptr_t)d & 3)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 16; n -= 16, d += 16) {
		((word_t *)(void *)d)[0] = w;
		((word_t *)(void *)d)[1] = w;
		((word_t *)(void *)d)[2] = w;
		((word_t *)(void *)d)[3] = w;
	}
	for (; n >= 4; n -= 4, d += 4)
		*(word_t *)(void *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}
