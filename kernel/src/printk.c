/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console: printk over the platform UART. */
#include "printk.h"
#include "config.h"
#include "fmt.h"
#include <plat/platform.h>

void console_putc(char c)
{
	if (!CONFIG_CONSOLE)
		return;
	if (c == '\n')
		plat_console_putc('\r');
	plat_console_putc(c);
}

void console_write(const char *s, size_t len)
{
	while (len--)
		console_putc(*s++);
}

static void printk_out(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	if (!CONFIG_CONSOLE)
		return;
	va_start(ap, fmt);
	fmt_vformat(printk_out, NULL, fmt, ap);
	va_end(ap);
}
