/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel panic: reason, faulting state, power off with PANIC_EXIT_STATUS. */
#include "panic.h"
#include "fmt.h"
#include "printk.h"
#include <arch/trap.h>
#include <plat/platform.h>
#include <stdarg.h>

static bool panicking;

static void panic_out(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

static __noreturn void panic_common(const struct arch_regs *regs, const char *fmt, va_list ap)
{
	if (panicking)
		plat_poweroff(PANIC_EXIT_STATUS);
	panicking = true;
	printk("\nKERNEL PANIC: ");
	fmt_vformat(panic_out, NULL, fmt, ap);
	printk("\n");
	if (regs)
		arch_dump_regs(regs);
	arch_dump_cpu_state();
	plat_poweroff(PANIC_EXIT_STATUS);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(NULL, fmt, ap);
}

void panic_regs(const struct arch_regs *regs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(regs, fmt, ap);
}
