/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for the kernel formatter (kernel/src/fmt.c) against the C library's snprintf. */
#include "test.h"

#include <fmt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK_LIKE_LIBC(...)                                            \
	do {                                                            \
		char ours[128], libc[128];                              \
		int n1 = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__); \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);     \
		CU_ASSERT_STRING_EQUAL(ours, libc);                     \
		CU_ASSERT_EQUAL(n1, n2);                                \
	} while (0)

static void fmt_integers(void)
{
	CHECK_LIKE_LIBC("%d %i %u", 0, -1, 42u);
	CHECK_LIKE_LIBC("%d %d", INT_MIN, INT_MAX);
	CHECK_LIKE_LIBC("%u %x %X", UINT_MAX, 0xdeadbeefu, 0xdeadbeefu);
	CHECK_LIKE_LIBC("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x1234ul);
	CHECK_LIKE_LIBC("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefull);
}

static void fmt_width_and_flags(void)
{
	CHECK_LIKE_LIBC("[%8d] [%-8d] [%08d]", 42, 42, 42);
	CHECK_LIKE_LIBC("[%08x] [%-4x] [%2x]", 0xbeefu, 0xau, 0x12345u);
	CHECK_LIKE_LIBC("[%08d] [%5d]", -42, -42);
	CHECK_LIKE_LIBC("[%10s] [%-10s] [%2s]", "abc", "abc", "abcdef");
	CHECK_LIKE_LIBC("[%3c] [%-3c]", 'x', 'y');
}

static void fmt_strings_chars_percent(void)
{
	CHECK_LIKE_LIBC("%s/%c/%%", "path", '!');
	CHECK_LIKE_LIBC("%s", "");
}

static void fmt_pointer_and_null(void)
{
	char buf[64];
	fmt_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1000);
	CU_ASSERT_STRING_EQUAL(buf, "0x1000");
	const char *volatile null = NULL;

	fmt_snprintf(buf, sizeof(buf), "%s", null);
	CU_ASSERT_STRING_EQUAL(buf, "(null)");
}

static void fmt_truncates_and_terminates(void)
{
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	CU_ASSERT_EQUAL(fmt_snprintf(buf, 4, "%s", "abcdef"), 6);
	CU_ASSERT_STRING_EQUAL(buf, "abc");
	CU_ASSERT_EQUAL(buf[4], 'z');
	CU_ASSERT_EQUAL(fmt_snprintf(buf, 0, "%d", 12345), 5);
	CU_ASSERT_EQUAL(buf[0], 'a');
	CU_ASSERT_EQUAL(fmt_snprintf(buf, 1, "x"), 1);
	CU_ASSERT_STRING_EQUAL(buf, "");
}

/* These formats are deliberately invalid; the compiler's format check would refuse them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void fmt_unknown_conversion_copied(void)
{
	char buf[32];

	CU_ASSERT_EQUAL(fmt_snprintf(buf, sizeof(buf), "a%qb"), 4);
	CU_ASSERT_STRING_EQUAL(buf, "a%qb");
	CU_ASSERT_EQUAL(fmt_snprintf(buf, sizeof(buf), "end%"), 4);
	CU_ASSERT_STRING_EQUAL(buf, "end%");
	CU_ASSERT_EQUAL(fmt_snprintf(buf, sizeof(buf), "w%05"), 4);
	CU_ASSERT_STRING_EQUAL(buf, "w%05");
}
#pragma GCC diagnostic pop

TEST_SUITE(kernel_fmt, TEST_CASE(fmt_integers), TEST_CASE(fmt_width_and_flags),
	   TEST_CASE(fmt_strings_chars_percent), TEST_CASE(fmt_pointer_and_null),
	   TEST_CASE(fmt_truncates_and_terminates), TEST_CASE(fmt_unknown_conversion_copied))
