/* SPDX-License-Identifier: BSD-2-Clause */
/* Task entry: the kernel sets sp; call main() and end the run with its result. */
#include <l4/abi.h>

	.section .text.start, "ax"
	.arm
	.global	_start
_start:
	mov	fp, #0
	mov	lr, #0
	bl	main
	mov	r7, #L4_SYS_SYSTEM_OFF
	svc	#0
	udf	#0			/* not privileged: stop here with a fault */
