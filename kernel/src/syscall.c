/* SPDX-License-Identifier: BSD-2-Clause */
/* System-call dispatch: every argument is checked, every error is a return code. */
#include "syscall.h"
#include "config.h"
#include "printk.h"
#include "space.h"
#include "thread.h"
#include <arch/regs.h>
#include <plat/platform.h>
#include <uapi/l4/abi.h>

static int sys_debug_write(uint32_t uptr, uint32_t len)
{
	if (len > L4_DEBUG_WRITE_MAX)
		return -L4_EINVAL;
	if (!user_range_ok(uptr, len, false))
		return -L4_EFAULT;
	console_write((const char *)(uintptr_t)uptr, len);
	return (int)len;
}

static int sys_debug_kstat(uint32_t which)
{
	switch (which) {
	case L4_KSTAT_SYSCALLS:
		return (int)(kstats.syscalls & 0x7fffffff);
	case L4_KSTAT_IRQS:
		return (int)(kstats.irqs & 0x7fffffff);
	case L4_KSTAT_SWITCHES:
		return (int)(kstats.switches & 0x7fffffff);
	default:
		return -L4_EINVAL;
	}
}

void syscall_dispatch(struct arch_regs *regs)
{
	uint32_t *r = regs->r;
	int ret;

	kstats.syscalls++;
	switch (r[7]) {
	case L4_SYS_DEBUG_PUTC:
		console_putc((char)r[0]);
		ret = 0;
		break;
	case L4_SYS_DEBUG_WRITE:
		ret = sys_debug_write(r[0], r[1]);
		break;
	case L4_SYS_DEBUG_KSTAT:
		ret = sys_debug_kstat(r[0]);
		break;
	case L4_SYS_SYSTEM_OFF:
		if (!current->privileged) {
			ret = -L4_EPERM;
			break;
		}
		printk("system off: status %d, requested by '%s'\n", (int)r[0], current->name);
		plat_poweroff((int)r[0]);
	default:
		ret = -L4_ENOSYS;
		break;
	}
	r[0] = (uint32_t)ret;
}
