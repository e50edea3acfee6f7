/* SPDX-License-Identifier: BSD-2-Clause */
/* Root-task entry: the kernel sets sp and r0 = boot info; main(bootinfo)'s result ends the run. */
#include <l4/abi.h>

	.section .text.start, "ax"
	.arm
	.global	_start
_start:
	mov	fp, #0
	mov	lr, #0
	bl	main
	mov	r2, r0
	mov	r0, #L4_ROOT_CAP_SYSTEM
	mov	r1, #L4_SYSTEM_OFF
	mov	r7, #L4_SYS_SYSTEM
	svc	#0
	udf	#0			/* no system capability: stop here with a fault */
