/* SPDX-License-Identifier: BSD-2-Clause */
/* Small text helpers for tasks (no printf in the task libc): append strings, numbers, formats. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Appends `s` to the NUL-terminated `buf` of `size` bytes, truncating; returns buf. */
char *l4e_cat(char *buf, size_t size, const char *s);
/* Appends `v` in decimal. */
char *l4e_catu(char *buf, size_t size, uint32_t v);
/* Appends `v` in decimal with its sign. */
char *l4e_cati(char *buf, size_t size, int32_t v);
/* Appends `v` as 0x and `digits` hex digits (at least; 0: as many as needed). */
char *l4e_catx(char *buf, size_t size, uint32_t v, unsigned digits);

/*
 * A small printf without floating point: writes `fmt` into `buf` (`size` bytes, always
 * NUL-terminated when size > 0, truncating) and returns the length written.
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with the flags - 0 + space #, a width and a
 * precision (numbers or *), and the lengths hh h l ll z. At a conversion it does not
 * know (%f, %n) it copies the rest of `fmt` as text.
 */
size_t l4e_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t l4e_vformat(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
