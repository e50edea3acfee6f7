/* SPDX-License-Identifier: BSD-2-Clause */
/* Ending the run: semihosting exit with a status, else PSCI SYSTEM_OFF. */
#include "config.h"
#include <arch/cpu.h>
#include <plat/platform.h>

/* Arm semihosting v2, SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit. */
#define SEMIHOST_SYS_EXIT_EXTENDED   0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
/* PSCI 0.2 SYSTEM_OFF, SMC32 calling convention (ARM DEN 0022). */
#define PSCI_SYSTEM_OFF 0x84000008u

void plat_poweroff_psci(void)
{
	register uint32_t r0 __asm__("r0") = PSCI_SYSTEM_OFF;

	__asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0) : : "memory");
	for (;;)
		wfi();
}

void plat_poweroff(int status)
{
	if (CONFIG_SEMIHOSTING) {
		/*
		 * QEMU intercepts `svc 0x123456` from PL1 when started with
		 * -semihosting; without it the SVC traps to arm_trap(), which
		 * falls back to plat_poweroff_psci().
		 */
		volatile uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
		register uint32_t r0 __asm__("r0") = SEMIHOST_SYS_EXIT_EXTENDED;
		register uint32_t r1 __asm__("r1") = (uint32_t)(uintptr_t)block;
		register uint32_t r7 __asm__("r7") = 0; /* never an IPC number (vectors.S) */

		__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	}
	plat_poweroff_psci();
}
