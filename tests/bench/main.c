/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry/exit benchmarks in icount cycles (needs a CONFIG_USER_PMU=1 kernel). */
#include <l4/syscall.h>

#define SAMPLES 1001

int main(void);

static uint32_t samples[SAMPLES];

static inline uint32_t cycles(void)
{
	uint32_t v;

	__asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
	return v;
}

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

static void report(const char *name)
{
	sort(samples, SAMPLES);
	l4_debug_puts("BENCH ");
	l4_debug_puts(name);
	l4_debug_puts(" min=");
	l4_debug_putu(samples[0]);
	l4_debug_puts(" median=");
	l4_debug_putu(samples[SAMPLES / 2]);
	l4_debug_puts(" max=");
	l4_debug_putu(samples[SAMPLES - 1]);
	l4_debug_puts("\n");
}

int main(void)
{
	unsigned i;

	/* Two back-to-back counter reads: the measurement's own cost. */
	for (i = 0; i < SAMPLES; i++) {
		uint32_t t0 = cycles();

		samples[i] = cycles() - t0;
	}
	report("cycle_read");

	/* The shortest full system call: trap, dispatch, error return. */
	for (i = 0; i < SAMPLES; i++) {
		uint32_t t0 = cycles();

		l4_debug_kstat(L4_KSTAT_COUNT);
		samples[i] = cycles() - t0;
	}
	report("syscall_null");
	return 0;
}
