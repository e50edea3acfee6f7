/* SPDX-License-Identifier: BSD-2-Clause */
/* In-QEMU test cases for a root task: KTEST registers, KT_ASSERT* check, main() runs all. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct l4_bootinfo;

/* The root task's boot information (what the kernel passed in r0). */
extern const struct l4_bootinfo *ktest_bootinfo;

struct ktest_case {
	const char *name;
	void (*fn)(void);
	int line; /* cases run in source order */
};

#define KTEST(fn_name)                                                                         \
	static void fn_name(void);                                                             \
	static const struct ktest_case ktest_case_##fn_name                                    \
		__attribute__((used, section("ktest_cases"))) = {#fn_name, fn_name, __LINE__}; \
	static void fn_name(void)

/* Records a failure of the running case; the first one is reported. */
void ktest_fail(const char *file, int line, const char *what, int64_t got, int64_t want,
		bool has_values);

#define KT_ASSERT(cond)                                                     \
	do {                                                                \
		if (!(cond)) {                                              \
			ktest_fail(__FILE__, __LINE__, #cond, 0, 0, false); \
			return;                                             \
		}                                                           \
	} while (0)

#define KT_ASSERT_EQ(got, want)                                                          \
	do {                                                                             \
		int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                       \
		if (g_ != w_) {                                                          \
			ktest_fail(__FILE__, __LINE__, #got " == " #want, g_, w_, true); \
			return;                                                          \
		}                                                                        \
	} while (0)
