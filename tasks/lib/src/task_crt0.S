/* SPDX-License-Identifier: BSD-2-Clause */
/* A task ELF's entry point (first in its text): every thread starts in l4e_task_start. */
	.section .text.start, "ax"
	.arm
	.global	_start
_start:
	b	l4e_task_start
