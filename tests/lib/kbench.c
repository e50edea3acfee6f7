/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark helpers (kbench.h). */
#include "kbench.h"

#include <l4/syscall.h>

uint32_t kbench_samples[KBENCH_SAMPLES];

static void sort(uint32_t *a, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++) {
		uint32_t v = a[i];

		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

void kbench_error(const char *name, const char *why)
{
	l4_debug_puts("BENCH-ERROR ");
	l4_debug_puts(name);
	l4_debug_puts(" ");
	l4_debug_puts(why);
	l4_debug_puts("\n");
}

uint32_t kbench_report(const char *name, unsigned n)
{
	if (n == 0) {
		kbench_error(name, "no samples");
		return 0;
	}
	sort(kbench_samples, n);
	l4_debug_puts("BENCH ");
	l4_debug_puts(name);
	l4_debug_puts(" min=");
	l4_debug_putu(kbench_samples[0]);
	l4_debug_puts(" median=");
	l4_debug_putu(kbench_samples[n / 2]);
	l4_debug_puts(" max=");
	l4_debug_putu(kbench_samples[n - 1]);
	l4_debug_puts("\n");
	return kbench_samples[n / 2];
}
