/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults: messages to the fault endpoint, handler replies (resume, new pc, stop), isolation. */
#include "kthread.h"
#include "ktest.h"

#define FAULT_ADDR_UNMAPPED 0x3000u
#define KERNEL_ADDR	    0xc0000000u

static volatile uint32_t progress;

static void undef_then_continue(uint32_t arg)
{
	(void)arg;
	__asm__ volatile(".word 0xe7f000f1" ::: "memory"); /* permanently undefined */
	progress = 1;
}

static void write_to(uint32_t addr)
{
	*(volatile uint32_t *)addr = 0xdead;
	progress = 2;
}

static void bad_syscall(uint32_t nr)
{
	register uint32_t r7 __asm__("r7") = nr;

	__asm__ volatile("svc #0" : : "r"(r7) : "r0", "memory");
	progress = 3;
}

static void recovered(uint32_t arg)
{
	(void)arg;
	progress = 4;
}

static l4_cap_t ep;
static struct kt_thread t;

/* Starts fn(arg) with a fault endpoint and receives its first fault message. */
static int expect_fault(kt_fn fn, uint32_t arg, l4_word_t mr[L4_MSG_REGS], l4_tag_t *tag,
			bool own_space)
{
	l4_word_t badge;

	progress = 0;
	ep = kt_create(L4_OBJ_ENDPOINT);
	if (kt_thread_start(&t, fn, arg, 100, ep, own_space))
		return -1;
	return l4_recv(ep, tag, mr, &badge);
}

static void cleanup(void)
{
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

KTEST(fault_undefined_instruction_message_and_skip)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(expect_fault(undef_then_continue, 0, mr, &tag, false), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), L4_LABEL_FAULT);
	KT_ASSERT_EQ(l4_tag_len(tag), L4_FAULT_MSG_LEN);
	KT_ASSERT_EQ(mr[0], L4_FAULT_UNDEF);
	KT_ASSERT_EQ(*(uint32_t *)mr[1], 0xe7f000f1u);
	/* Skip the instruction: new pc, same sp (read with exchange_registers). */
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 0), 0);
	mr[0] = mr[1] + 4;
	mr[1] = l4_utcb()->mr[13];
	KT_ASSERT_EQ(l4_reply(l4_tag(L4_FAULT_SET_PC, 0, 2), mr), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(progress, 1);
	cleanup();
}

KTEST(fault_data_abort_unmapped_then_restart_elsewhere)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(expect_fault(write_to, FAULT_ADDR_UNMAPPED, mr, &tag, false), 0);
	KT_ASSERT_EQ(mr[0], L4_FAULT_DABT);
	KT_ASSERT_EQ(mr[2], FAULT_ADDR_UNMAPPED);
	KT_ASSERT((mr[3] & 0x800) != 0); /* DFSR.WnR: it was a write */
	/* Restart the thread in another function with a fresh stack. */
	t.utcb->user[0] = (uint32_t)recovered;
	mr[0] = (uint32_t)kt_entry;
	mr[1] = t.stack_top;
	KT_ASSERT_EQ(l4_reply(l4_tag(L4_FAULT_SET_PC, 0, 2), mr), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(progress, 4);
	cleanup();
}

KTEST(fault_write_to_kernel_memory_from_another_space)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(expect_fault(write_to, KERNEL_ADDR, mr, &tag, true), 0);
	KT_ASSERT_EQ(mr[0], L4_FAULT_DABT);
	KT_ASSERT_EQ(mr[2], KERNEL_ADDR);
	/* Leave it stopped; it must not run on. */
	KT_ASSERT_EQ(l4_reply(l4_tag(L4_FAULT_STOP, 0, 0), mr), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 0), 0);
	KT_ASSERT_EQ(l4_utcb()->mr[15], mr[1]); /* still at the faulting instruction */
	/* A stopped thread resumes only by command: it faults again at once. */
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_RESUME, 0, 0), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &mr[7]), 0);
	KT_ASSERT_EQ(mr[2], KERNEL_ADDR);
	cleanup();
}

KTEST(fault_prefetch_abort_on_jump_to_nowhere)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(expect_fault((kt_fn)0x20000000u, 0, mr, &tag, false), 0);
	KT_ASSERT_EQ(mr[0], L4_FAULT_PABT);
	KT_ASSERT_EQ(mr[1], 0x20000000u);
	KT_ASSERT_EQ(mr[2], 0x20000000u);
	cleanup();
}

KTEST(fault_unknown_syscall_message_and_resume)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(expect_fault(bad_syscall, 0x7e, mr, &tag, false), 0);
	KT_ASSERT_EQ(mr[0], L4_FAULT_SYSCALL);
	KT_ASSERT_EQ(mr[2], 0x7e);
	KT_ASSERT_EQ(l4_reply(l4_tag(L4_FAULT_RESUME, 0, 0), mr), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(progress, 3); /* resumed after the svc */
	cleanup();
}

KTEST(fault_handler_may_rewrite_registers)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;
	struct l4_utcb *u = l4_utcb();

	KT_ASSERT_EQ(expect_fault(undef_then_continue, 0, mr, &tag, false), 0);
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 0), 0);
	u->mr[15] += 4;	    /* pc past the undefined instruction */
	u->mr[16] |= 0x1df; /* try to become privileged: ignored */
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 1), 0);
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 0), 0);
	KT_ASSERT_EQ(u->mr[16] & 0x1ff, 0x10); /* still user mode, interrupts on */
	KT_ASSERT_EQ(l4_thread_regs(t.cap, 7), -L4_EINVAL);
	KT_ASSERT_EQ(l4_thread_regs(L4_ROOT_CAP_THREAD, 0), -L4_EINVAL); /* not itself */
	KT_ASSERT_EQ(l4_reply(l4_tag(L4_FAULT_RESUME, 0, 0), mr), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(progress, 1);
	cleanup();
}

KTEST(fault_without_handler_stops_only_that_thread)
{
	struct kt_thread bad;

	progress = 0;
	KT_ASSERT_EQ(kt_thread_start(&bad, write_to, KERNEL_ADDR, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(progress, 0); /* stopped at the write, reported on the console */
	KT_ASSERT_EQ(l4_thread_regs(bad.cap, 0), 0);
	KT_ASSERT(l4_utcb()->mr[15] > 0x10000); /* its pc: in write_to */
	kt_thread_destroy(&bad);
}
