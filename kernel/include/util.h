/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers every kernel file uses: attributes, alignment, bit macros. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define __noreturn   __attribute__((noreturn))
#define __aligned(n) __attribute__((aligned(n)))
#define __packed     __attribute__((packed))
#define __used	     __attribute__((used))
#define __section(s) __attribute__((section(s)))

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define BIT(n)		 (1u << (n))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((a)-1))
#define IS_ALIGNED(x, a) (((x) & ((a)-1)) == 0)
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef uint32_t paddr_t;
typedef uint32_t vaddr_t;
