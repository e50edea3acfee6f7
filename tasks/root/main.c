/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task: the first user-mode (PL0) program the kernel starts. */
#include <l4/syscall.h>

int main(const struct l4_bootinfo *bi);

int main(const struct l4_bootinfo *bi)
{
	uint32_t cpsr;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	l4_debug_puts("root: hello from user mode (");
	l4_debug_puts((cpsr & 0x1f) == 0x10 ? "PL0" : "not PL0!");
	l4_debug_puts("), ");
	l4_debug_putu(bi->ram_size / 1024);
	l4_debug_puts(" KiB of RAM to hand out\n");
	return 0;
}
