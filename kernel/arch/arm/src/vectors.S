/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception vectors, the common trap entry and the return to a saved context. */
#include <arch/prof.inc>
#include <arch/regs.h>
#include <uapi/l4/abi.h>

/*
 * While a thread runs, SP_svc points just past its struct arch_regs (the
 * TCB's first member). Every exception stores the return PC and SPSR there
 * with SRSDB to the SVC stack, switches to SVC mode and stores the user-bank
 * r0-r14 below them, so a trap from user mode saves straight into the TCB.
 * Only then does the kernel stack come into use.
 */
.macro TRAP_ENTRY kind, lradj
	.if \lradj
	sub	lr, lr, #\lradj
	.endif
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	sub	sp, sp, #(ARCH_REG_PC * 4)
	stmia	sp, {r0-r14}^
	mov	r1, #\kind
	b	trap_common
.endm

	.section .text.vectors, "ax"
	.arm
	.balign	32
	.global	arm_vectors
arm_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_hyp
	b	vec_irq
	b	vec_fiq

vec_reset:	TRAP_ENTRY ARCH_TRAP_RESET, 0
vec_undef:	TRAP_ENTRY ARCH_TRAP_UNDEF, 4
vec_svc:	b	svc_entry
vec_pabt:	TRAP_ENTRY ARCH_TRAP_PABT, 4
vec_dabt:	TRAP_ENTRY ARCH_TRAP_DABT, 8
vec_hyp:	TRAP_ENTRY ARCH_TRAP_HYP, 0
vec_irq:	TRAP_ENTRY ARCH_TRAP_IRQ, 4
vec_fiq:	TRAP_ENTRY ARCH_TRAP_FIQ, 4

/*
 * System calls from user mode: call, reply-and-receive, send and receive (and
 * their non-blocking forms) try the IPC fastpath (fastpath.S) straight away,
 * through a table on the number; it falls back to the general path.
 */
#if L4_SYS_CALL != 1 || L4_SYS_REPLY_RECV != 2 || L4_SYS_SEND != 3 || L4_SYS_NBSEND != 4 || \
	L4_SYS_RECV != 5 || L4_SYS_NBRECV != 6
#error "svc_entry's table: the fastpath's system calls are numbers 1 to 6"
#endif
svc_entry:
	srsdb	sp!, #PSR_MODE_SVC
	sub	sp, sp, #(ARCH_REG_PC * 4)
	stmia	sp, {r0-r14}^
	/*
	 * (An SVC the kernel takes itself is the unintercepted semihosting exit: its frame
	 * is on the kernel stack and the stamp lands in a frame of the path powering off.)
	 */
	ACCT_KENTRY sp, lr
	cmp	r7, #L4_SYS_NBRECV
	ldrls	pc, [pc, r7, lsl #2]			/* pc reads as this + 8: the table */
	b	svc_general
	.word	svc_general				/* 0 */
	.word	fastpath_call				/* L4_SYS_CALL */
	.word	fastpath_reply_recv			/* L4_SYS_REPLY_RECV */
	.word	fastpath_send				/* L4_SYS_SEND */
	.word	fastpath_send				/* L4_SYS_NBSEND */
	.word	fastpath_recv				/* L4_SYS_RECV */
	.word	fastpath_recv				/* L4_SYS_NBRECV */
	/*
	 * Everything else, including the one SVC the kernel itself may take (an
	 * unintercepted semihosting exit, which sets r7 = 0): arm_trap() tells
	 * user from kernel by the saved CPSR.
	 */
svc_general:
	mov	r0, sp
	ldr	sp, =kernel_stack_top
	mov	r1, #ARCH_TRAP_SVC
	bl	arm_trap
	b	.

/*
 * r1 = trap kind, sp = the saved frame. A trap from a privileged mode (the
 * idle thread or a kernel bug) records the real SP_svc and LR_svc. The C
 * handler runs on the kernel stack, except when the frame already sits on
 * it (a fault inside the kernel), where it continues below the frame.
 */
trap_common:
	/* From idle too (its frame is its TCB): unused there, idle has no kernel time. */
	ACCT_KENTRY sp, r2
	mov	r0, sp
	ldr	r2, [r0, #(ARCH_REG_CPSR * 4)]
	and	r2, r2, #PSR_MODE_MASK
	cmp	r2, #PSR_MODE_USR
	beq	1f
	add	r3, r0, #(ARCH_REG_COUNT * 4)
	str	r3, [r0, #(ARCH_REG_SP * 4)]
	str	lr, [r0, #(ARCH_REG_LR * 4)]
	ldr	r3, =kernel_stack_base
	cmp	r0, r3
	blo	1f
	ldr	r3, =kernel_stack_top
	cmp	r0, r3
	blo	2f
1:	ldr	sp, =kernel_stack_top
2:	bl	arm_trap
	b	.

	.text
	.global	arch_restore
arch_restore:
	add	sp, r0, #(ARCH_REG_PC * 4)
	ldmdb	sp, {r0-r14}^
	nop				/* no banked access right after LDM^ (ARM ARM B9.3.6) */
	rfeia	sp!

	/* Entered with IRQs masked (sched.c switch_to): wait, then take what woke us. */
	.global	arch_idle_loop
arch_idle_loop:
	dsb
	wfi
	cpsie	i
	cpsid	i
	b	arch_idle_loop

	.section .bss.kstack, "aw", %nobits
	.balign	8
	.global	kernel_stack_base
	.global	kernel_stack_top
kernel_stack_base:
	.space	CONFIG_KSTACK_SIZE
kernel_stack_top:
