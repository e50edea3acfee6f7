/* SPDX-License-Identifier: BSD-2-Clause */
/* A freestanding printf-style formatter shared by printk and its host tests. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_out_fn)(char c, void *arg);

/*
 * Formats `fmt` with `ap`, calling `out` once per character. Supports the
 * conversions %c %s %d %i %u %x %X %p %% with the flags '-' and '0', a
 * decimal field width and the length modifiers l and ll. An unknown
 * conversion is copied through literally. Returns the number of characters
 * produced.
 */
int fmt_vformat(fmt_out_fn out, void *arg, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0; returns the full length. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
