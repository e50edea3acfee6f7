/* SPDX-License-Identifier: BSD-2-Clause */
/* Runs every KTEST case of the image and prints the [test] protocol (tests/README.md). */
#include "ktest.h"

#include <l4/syscall.h>

extern const struct ktest_case __start_ktest_cases[], __stop_ktest_cases[];

/* The first failure of the running case. */
static struct {
	bool failed;
	bool has_values;
	const char *file;
	const char *what;
	int line;
	int64_t got, want;
} fail;

static void put_i64(int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (v < 0)
		l4_debug_putc('-');
	if (mag > 0xffffffffull) {
		l4_debug_puts("(high ");
		l4_debug_putu((uint32_t)(mag >> 32));
		l4_debug_puts(") ");
	}
	l4_debug_putu((uint32_t)mag);
}

void ktest_fail(const char *file, int line, const char *what, int64_t got, int64_t want,
		bool has_values)
{
	if (fail.failed)
		return;
	fail.failed = true;
	fail.file = file;
	fail.line = line;
	fail.what = what;
	fail.got = got;
	fail.want = want;
	fail.has_values = has_values;
}

static void report(const struct ktest_case *c)
{
	l4_debug_puts(fail.failed ? "[test] fail " : "[test] pass ");
	l4_debug_puts(c->name);
	if (fail.failed) {
		l4_debug_puts(" ");
		l4_debug_puts(fail.file);
		l4_debug_puts(":");
		l4_debug_putu((uint32_t)fail.line);
		l4_debug_puts(": ");
		l4_debug_puts(fail.what);
		if (fail.has_values) {
			l4_debug_puts(" (got ");
			put_i64(fail.got);
			l4_debug_puts(", want ");
			put_i64(fail.want);
			l4_debug_puts(")");
		}
	}
	l4_debug_puts("\n");
}

int main(const struct l4_bootinfo *bi);

#define KTEST_MAX_CASES 128

int main(const struct l4_bootinfo *bi)
{
	static const struct ktest_case *cases[KTEST_MAX_CASES];
	const struct ktest_case *c;
	uint32_t passed = 0, failed = 0;
	unsigned n = 0, i, j;

	ktest_bootinfo = bi;
	for (c = __start_ktest_cases; c < __stop_ktest_cases && n < KTEST_MAX_CASES; c++) {
		for (j = n++; j > 0 && cases[j - 1]->line > c->line; j--)
			cases[j] = cases[j - 1];
		cases[j] = c;
	}
	for (i = 0; i < n; i++) {
		c = cases[i];
		fail.failed = false;
		c->fn();
		report(c);
		if (fail.failed)
			failed++;
		else
			passed++;
	}
	l4_debug_puts("[test] summary ");
	l4_debug_putu(passed);
	l4_debug_puts(" ");
	l4_debug_putu(failed);
	l4_debug_puts("\n");
	return failed ? 1 : 0;
}
