/* SPDX-License-Identifier: BSD-2-Clause */
/* Small text helpers for tasks (no printf in the task libc): append strings and numbers. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Appends `s` to the NUL-terminated `buf` of `size` bytes, truncating; returns buf. */
char *l4e_cat(char *buf, size_t size, const char *s);
/* Appends `v` in decimal. */
char *l4e_catu(char *buf, size_t size, uint32_t v);
