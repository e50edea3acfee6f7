/* SPDX-License-Identifier: BSD-2-Clause */
/* Marks memory unreadable under AddressSanitizer (no-ops without it): words past a message. */
#pragma once

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>

static inline void test_poison(const volatile void *p, size_t n)
{
	__asan_poison_memory_region(p, n);
}

static inline void test_unpoison(const volatile void *p, size_t n)
{
	__asan_unpoison_memory_region(p, n);
}
#else
static inline void test_poison(const volatile void *p, size_t n)
{
	(void)p, (void)n;
}

static inline void test_unpoison(const volatile void *p, size_t n)
{
	(void)p, (void)n;
}
#endif
