/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task: the first user-mode (PL0) program the kernel starts. */
#include <l4/syscall.h>

int main(void);

int main(void)
{
	uint32_t cpsr;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	l4_debug_puts("root: hello from user mode (");
	l4_debug_puts((cpsr & 0x1f) == 0x10 ? "PL0" : "not PL0!");
	l4_debug_puts("), ");
	l4_debug_putu((uint32_t)l4_debug_kstat(L4_KSTAT_SYSCALLS));
	l4_debug_puts(" system calls so far\n");
	return 0;
}
