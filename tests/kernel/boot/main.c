/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot and system-call tests: user mode, the debug calls' success and error paths. */
#include "ktest.h"

#include <l4/syscall.h>
#include <string.h>

/* tests/kernel/boot/regs.S: returns 0 or the number of the first clobbered register. */
int syscall_clobber_check(void);

static uint32_t zeroed[1024];
static uint32_t initialised = 0x5eed1234u;

KTEST(boot_runs_in_user_mode)
{
	uint32_t cpsr;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	KT_ASSERT_EQ(cpsr & 0x1f, 0x10);
	KT_ASSERT_EQ(cpsr & 0x80, 0); /* IRQs unmasked in user mode */
}

KTEST(boot_bss_zero_and_data_loaded)
{
	unsigned i;

	for (i = 0; i < 1024; i++)
		KT_ASSERT_EQ(zeroed[i], 0);
	KT_ASSERT_EQ(initialised, 0x5eed1234u);
	zeroed[1023] = 7;
	initialised = 1;
	KT_ASSERT_EQ(zeroed[1023] + initialised, 8);
}

KTEST(boot_stack_is_usable)
{
	volatile uint8_t buf[8192];
	unsigned i, sum = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	for (i = 0; i < sizeof(buf); i++)
		sum += buf[i];
	KT_ASSERT_EQ(sum, 32 * (255 * 256 / 2));
}

KTEST(sys_debug_write_returns_length)
{
	static const char msg[] = "debug write ok\n";

	KT_ASSERT_EQ(l4_debug_write(msg, sizeof(msg) - 1), sizeof(msg) - 1);
	KT_ASSERT_EQ(l4_debug_write(msg, 0), 0);
	KT_ASSERT_EQ(l4_debug_write((const void *)0x10, 0), 0); /* nothing read */
}

KTEST(sys_debug_write_rejects_bad_pointers)
{
	KT_ASSERT_EQ(l4_debug_write(NULL, 4), -L4_EFAULT);
	KT_ASSERT_EQ(l4_debug_write((const void *)0x1000, 4), -L4_EFAULT);
	KT_ASSERT_EQ(l4_debug_write((const void *)0xc0000000u, 16), -L4_EFAULT);  /* kernel */
	KT_ASSERT_EQ(l4_debug_write((const void *)0xf9000000u, 4), -L4_EFAULT);	  /* device */
	KT_ASSERT_EQ(l4_debug_write((const void *)0x7fffff00u, 256), -L4_EFAULT); /* to 2 GiB */
	KT_ASSERT_EQ(l4_debug_write((const void *)0xffffff80u, 200), -L4_EFAULT); /* wraps */
}

KTEST(sys_debug_write_rejects_range_into_unmapped)
{
	/* The root stack is [0x7ffec000, 0x7fff0000); the pages on either side are unmapped. */
	char *bottom = (char *)0x7ffec000u, *top = (char *)0x7fff0000u;

	memcpy(bottom, "ok\n", 3);
	KT_ASSERT_EQ(l4_debug_write(bottom, 3), 3);
	KT_ASSERT_EQ(l4_debug_write(bottom - 1, 4), -L4_EFAULT);
	KT_ASSERT_EQ(l4_debug_write(top - 2, 4), -L4_EFAULT);
}

KTEST(sys_debug_write_rejects_oversize)
{
	static char big[L4_DEBUG_WRITE_MAX + 1];

	memset(big, '.', sizeof(big));
	KT_ASSERT_EQ(l4_debug_write(big, sizeof(big)), -L4_EINVAL);
}

KTEST(sys_debug_kstat_counts_syscalls)
{
	int a = l4_debug_kstat(L4_KSTAT_SYSCALLS);
	int b = l4_debug_kstat(L4_KSTAT_SYSCALLS);

	KT_ASSERT(a > 0);
	KT_ASSERT_EQ(b - a, 1);
	KT_ASSERT(l4_debug_kstat(L4_KSTAT_IRQS) >= 0);
}

KTEST(sys_debug_kstat_rejects_bad_index)
{
	KT_ASSERT_EQ(l4_debug_kstat(L4_KSTAT_COUNT), -L4_EINVAL);
	KT_ASSERT_EQ(l4_debug_kstat(0x80000000u), -L4_EINVAL);
}

KTEST(sys_unknown_number_is_enosys)
{
	KT_ASSERT_EQ(l4_syscall2(0x7f, 1, 2), -L4_ENOSYS);
	KT_ASSERT_EQ(l4_syscall2(0xffffffffu, 0, 0), -L4_ENOSYS);
}

KTEST(sys_preserves_registers)
{
	KT_ASSERT_EQ(syscall_clobber_check(), 0);
}

/* The task libc's word-wise memcpy, memmove and memset against byte-by-byte results. */
KTEST(libc_copy_and_fill_every_alignment_and_length)
{
	static uint8_t src[96], dst[96], ref[96];
	unsigned so, d0, n, i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (so = 0; so < 4; so++) {
		for (d0 = 0; d0 < 4; d0++) {
			for (n = 0; n <= 40; n++) {
				for (i = 0; i < sizeof(dst); i++)
					dst[i] = ref[i] = 0xee;
				for (i = 0; i < n; i++)
					ref[d0 + i] = src[so + i];
				memcpy(dst + d0, src + so, n);
				KT_ASSERT_EQ(memcmp(dst, ref, sizeof(dst)), 0);
				memset(dst + d0, 0x5a, n);
				for (i = 0; i < n; i++)
					ref[d0 + i] = 0x5a;
				KT_ASSERT_EQ(memcmp(dst, ref, sizeof(dst)), 0);
			}
		}
	}
	for (i = 0; i < 32; i++)
		dst[i] = (uint8_t)i;
	memmove(dst + 3, dst, 20); /* overlapping, forwards */
	KT_ASSERT_EQ(dst[3], 0);
	KT_ASSERT_EQ(dst[22], 19);
	memmove(dst, dst + 5, 20); /* overlapping, backwards */
	KT_ASSERT_EQ(dst[0], 2);
}
