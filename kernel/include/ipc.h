/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC slowpath, notifications and fault delivery. */
#pragma once

#include "object.h"
#include "thread.h"

/* Returned by a system-call handler that already set (or will later set) r0. */
#define SYSCALL_RET_NONE 1

int ipc_send(struct cap *c, bool call, bool blocking);
int ipc_recv(uint32_t slot, bool blocking);
int ipc_reply(void);
int ipc_signal(struct cap *c, uint32_t bits);
/* Delivers a fault of `t` to its fault endpoint, or stops and reports it. */
void fault_deliver(struct tcb *t, unsigned kind, uint32_t addr, uint32_t status);
/* Removes `t` from whatever it is blocked in, with `err` as that call's result. */
void ipc_abort(struct tcb *t, int err);
/*
 * Copies the message of `from` (registers, UTCB words or fault message) to `to`;
 * `call` marks it L4_TAG_F_CALL (a reply is owed).
 */
void ipc_transfer(struct tcb *from, struct tcb *to, uint32_t badge, bool call);
