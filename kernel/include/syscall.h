/* SPDX-License-Identifier: BSD-2-Clause */
/* System-call dispatch. */
#pragma once

struct arch_regs;

/* Handles the system call in `regs` (r7 = number) and writes the result to r0. */
void syscall_dispatch(struct arch_regs *regs);
