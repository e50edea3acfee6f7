/* SPDX-License-Identifier: BSD-2-Clause */
/* Small text helpers for tasks (l4e/text.h). */
#include <l4e/text.h>
#include <string.h>

char *l4e_cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	while (*s && n + 1 < size)
		buf[n++] = *s++;
	if (n < size)
		buf[n] = '\0';
	return buf;
}

char *l4e_catu(char *buf, size_t size, uint32_t v)
{
	char digits[11];
	unsigned n = 0;

	do {
		digits[sizeof(digits) - 2 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	digits[sizeof(digits) - 1] = '\0';
	return l4e_cat(buf, size, &digits[sizeof(digits) - 1 - n]);
}
