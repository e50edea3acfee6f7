/* SPDX-License-Identifier: BSD-2-Clause */
/* System-call dispatch. */
#pragma once

struct arch_regs;

#include <stdint.h>

/* Thread operations (thread.c). */
int sys_thread_config(uint32_t tslot, uint32_t sslot, uint32_t utcb, uint32_t fslot, uint32_t prio);
int sys_thread_ctl(uint32_t tslot, uint32_t op, uint32_t a, uint32_t b);
int sys_thread_regs(uint32_t tslot, uint32_t write);

/* Handles the system call in `regs` (r7 = number) and writes the result to r0. */
void syscall_dispatch(struct arch_regs *regs);
