/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the task text helpers and their small printf (tasks/lib/src/text.c). */
#include "test.h"

#include <l4e/text.h>
#include <string.h>

static char buf[64];

#define FMT(want, ...)                                                 \
	do {                                                           \
		size_t n_ = l4e_format(buf, sizeof(buf), __VA_ARGS__); \
		CU_ASSERT_STRING_EQUAL(buf, want);                     \
		CU_ASSERT_EQUAL(n_, strlen(want));                     \
	} while (0)

/* Formats the compiler's printf checks would refuse (what a stray '%' does at run time). */
static size_t unchecked(const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = l4e_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return n;
}

static void format_signed_values(void)
{
	FMT("rssi -91 dBm", "rssi %d dBm", -91);
	FMT("-2147483648 2147483647", "%d %i", (int)0x80000000u, 0x7fffffff);
	FMT("0", "%d", 0);
	FMT("-9223372036854775808", "%lld", (long long)0x8000000000000000ull);
	FMT("-7", "%ld", -7L);
}

static void format_unsigned_and_hex(void)
{
	FMT("4294967205", "%u", (unsigned)-91);
	FMT("0xffffffa5 0XFFFFFFA5", "0x%x 0X%X", (unsigned)-91, (unsigned)-91);
	FMT("0x0000002a", "0x%08x", 42u);
	FMT("18446744073709551615", "%llu", ~0ull);
}

static void format_width_flags_and_text(void)
{
	FMT("[  -42]", "[%5d]", -42);
	FMT("[-0042]", "[%05d]", -42);
	FMT("[-42  ]", "[%-5d]", -42);
	FMT("[ab   |   ab]", "[%-5s|%5s]", "ab", "ab");
	FMT("c=x 100%", "c=%c 100%%", 'x');
	FMT("[  7]", "[%*u]", 3, 7u);
	FMT("[7  ]", "[%*u]", -3, 7u);
	FMT("0x2a 0X2A 0 052", "%#x %#X %#x %#o", 42u, 42u, 0u, 42u);
	FMT("+5 -5  5", "%+d %+d % d", 5, -5, 5);
	FMT("00042 -0042 [  042]", "%.5d %.4d [%5.3d]", 42, -42, 42);
	FMT("ab|", "%.2s|", "abcdef");
	FMT("0x0000002a", "%p", (void *)42);
	FMT("255 65535 7", "%hhu %hu %zu", 255, 65535, (size_t)7);
	CU_ASSERT_EQUAL(unchecked("%d %q %d stays", 1, 2), 13);
	CU_ASSERT_STRING_EQUAL(buf, "1 %q %d stays"); /* the rest, as text */
	CU_ASSERT_EQUAL(unchecked("trailing %"), 10);
	CU_ASSERT_STRING_EQUAL(buf, "trailing %");
	unchecked("%s", (const char *)NULL);
	CU_ASSERT_STRING_EQUAL(buf, "(null)");
}

static void format_truncates_and_terminates(void)
{
	char small[6] = "zzzzz";

	CU_ASSERT_EQUAL(l4e_format(small, sizeof(small), "%d", -123456), 5);
	CU_ASSERT_STRING_EQUAL(small, "-1234");
	CU_ASSERT_EQUAL(l4e_format(small, 1, "abc"), 0);
	CU_ASSERT_STRING_EQUAL(small, "");
	small[0] = 'q';
	CU_ASSERT_EQUAL(l4e_format(small, 0, "abc"), 0);
	CU_ASSERT_EQUAL(small[0], 'q');
}

static void cat_helpers(void)
{
	char line[32] = "v=";

	l4e_cati(line, sizeof(line), -91);
	l4e_cat(line, sizeof(line), " u=");
	l4e_catu(line, sizeof(line), 4000000000u);
	l4e_cat(line, sizeof(line), " x=");
	l4e_catx(line, sizeof(line), 0xa5, 8);
	CU_ASSERT_STRING_EQUAL(line, "v=-91 u=4000000000 x=0x000000a5");
	l4e_catx(line, sizeof(line), 1, 0);
	CU_ASSERT_EQUAL(strlen(line), sizeof(line) - 1); /* cut, still terminated */
}

TEST_SUITE(tasks_text, TEST_CASE(format_signed_values), TEST_CASE(format_unsigned_and_hex),
	   TEST_CASE(format_width_flags_and_text), TEST_CASE(format_truncates_and_terminates),
	   TEST_CASE(cat_helpers))
