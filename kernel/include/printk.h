/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console output. */
#pragma once

#include "util.h"

void console_putc(char c);
void console_write(const char *s, size_t len);

/* printf to the kernel console; a no-op when CONFIG_CONSOLE is 0. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
