/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from head.S: bring up the machine, build the root task, run it. */
#include "boot.h"
#include "config.h"
#include "kmem.h"
#include "panic.h"
#include "printk.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include <arch/trap.h>
#include <plat/platform.h>

void kernel_main(void);

void kernel_main(void)
{
	plat_console_init();
	printk("\nl4e kernel %s (%s, trace %s) on qemu-virt cortex-a7\n", KERNEL_VERSION,
	       CONFIG_DEBUG ? "debug" : "release", CONFIG_TRACE ? "on" : "off");
	arch_init();
	if (CONFIG_SELFTEST_PANIC)
		__asm__ volatile(
			".word 0xe7f000f0"); /* permanently undefined: test the panic path */
	gic_init();
	timer_init();
	timer_selftest();
	kmem_init();
	space_init();
	quota_init();
	sched_init();
	printk("kernel: %u threads, %u spaces, %u endpoints, %u notifications, %u caps per space, "
	       "%u quotas%s\n",
	       CONFIG_MAX_THREADS, CONFIG_MAX_SPACES, CONFIG_MAX_ENDPOINTS,
	       CONFIG_MAX_NOTIFICATIONS, L4_CAP_SLOTS, CONFIG_MAX_KMEM,
	       CONFIG_KDEBUG ? ", KDEBUG" : "");
	boot_root_task();
	sched_return();
}
