/* SPDX-License-Identifier: BSD-2-Clause */
/* Fills r1-r6, r8-r12, sp and lr with patterns, makes a system call, checks them all. */
#include <l4/abi.h>

	.text
	.arm
	.global	syscall_clobber_check
syscall_clobber_check:
	push	{r4-r11, lr}
	mov	r0, sp
	ldr	lr, =0xa5a5000e
	ldr	r1, =0xa5a50001
	ldr	r2, =0xa5a50002
	ldr	r3, =0xa5a50003
	ldr	r4, =0xa5a50004
	ldr	r5, =0xa5a50005
	ldr	r6, =0xa5a50006
	ldr	r8, =0xa5a50008
	ldr	r9, =0xa5a50009
	ldr	r10, =0xa5a5000a
	ldr	r11, =0xa5a5000b
	ldr	r12, =0xa5a5000c
	push	{r0}
	mov	r0, #L4_KSTAT_SYSCALLS
	mov	r7, #L4_SYS_DEBUG_KSTAT
	svc	#0
	pop	{r0}
	cmp	r0, sp
	movne	r0, #13
	bne	9f
	ldr	r0, =0xa5a5000e
	cmp	lr, r0
	movne	r0, #14
	bne	9f
	.irp	n, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12
	ldr	r0, =(0xa5a50000 + \n)
	cmp	r\n, r0
	movne	r0, #\n
	bne	9f
	.endr
	mov	r0, #0
9:	pop	{r4-r11, pc}
	.ltorg
