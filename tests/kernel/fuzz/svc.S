/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's raw system call: every argument register set, every result register kept. */

	.syntax	unified
	.text
	.arm

/*
 * void fuzz_svc(uint32_t regs[12]): loads r0..r11 from regs (r7 is the number), traps,
 * stores r0..r11 back. r12 survives the trap (the kernel restores the whole frame).
 */
	.global	fuzz_svc
	.type	fuzz_svc, %function
fuzz_svc:
	push	{r4-r11, lr}
	mov	r12, r0
	ldm	r12, {r0-r11}
	svc	#0
	.global	fuzz_svc_return
fuzz_svc_return:
	stm	r12, {r0-r11}
	pop	{r4-r11, pc}
	.size	fuzz_svc, . - fuzz_svc

/* Where a fuzz thread ends: the root, its fault handler, sees this undefined instruction. */
	.global	fuzz_done
	.type	fuzz_done, %function
fuzz_done:
	udf	#0x11
	b	fuzz_done
	.size	fuzz_done, . - fuzz_done
