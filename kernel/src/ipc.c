/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC slowpath: endpoints, replies, notifications and fault messages. */
#include "ipc.h"
#include "config.h"
#include "kdebug.h"
#include "panic.h"
#include "printk.h"
#include "space.h"
#include "trace.h"
#include <arch/trap.h>

void wq_append(struct wait_queue *q, struct tcb *t)
{
	KASSERT(!q->head == !q->tail);
	KASSERT(!q->tail || !q->tail->wq_next);
	KASSERT(t != q->head && t != q->tail);
	t->wq_next = NULL;
	t->wq_prev = q->tail;
	if (q->tail)
		q->tail->wq_next = t;
	else
		q->head = t;
	q->tail = t;
}

void wq_remove(struct wait_queue *q, struct tcb *t)
{
	KASSERT(t->wq_prev ? t->wq_prev->wq_next == t : q->head == t);
	KASSERT(t->wq_next ? t->wq_next->wq_prev == t : q->tail == t);
	if (t->wq_prev)
		t->wq_prev->wq_next = t->wq_next;
	else
		q->head = t->wq_next;
	if (t->wq_next)
		t->wq_next->wq_prev = t->wq_prev;
	else
		q->tail = t->wq_prev;
	t->wq_next = t->wq_prev = NULL;
}

static void ep_dequeue(struct endpoint *ep, struct tcb *t)
{
	wq_remove(&ep->q, t);
	if (!ep->q.head && !CONFIG_SELFTEST_QUEUE)
		ep->state = EP_IDLE;
}

static void ep_enqueue(struct endpoint *ep, struct tcb *t, enum ep_state state,
		       enum thread_state tstate)
{
	KASSERT(ep->state == EP_IDLE ? !ep->q.head : ep->state == state && ep->q.head);
	wq_append(&ep->q, t);
	ep->state = (uint8_t)state;
	sched_block(t, tstate);
	t->blocked_on = ep;
}

/* Message registers MR0..MR7 live in r2..r6, r8..r10 (<l4/abi.h>). */
_Static_assert(__builtin_offsetof(struct arch_regs, r[8]) == 32, "arch_copy_msg offsets");

/* The register of message word i (MR0..MR4 in r2..r6, MR5..MR7 in r8..r10). */
static inline unsigned mr_reg(unsigned i)
{
	return i < 5 ? 2 + i : 3 + i;
}

#define TAG_F_CAP ((uint32_t)L4_TAG_F_CAP << L4_TAG_FLAGS_SHIFT)

/* The cap the last word of a message names (length 1..L4_MSG_REGS, checked by the caller). */
static struct cap *msg_cap(struct tcb *t, unsigned len)
{
	return cap_lookup(t->space, t->regs.r[mr_reg(len - 1)]);
}

/*
 * A sender's checks before a message with L4_TAG_F_CAP goes anywhere (send and call).
 */
static int check_cap_send(const struct cap *ep_cap, uint32_t tag)
{
	unsigned len = tag & L4_TAG_LEN_MASK;
	struct cap *c;

	if (len == 0 || len > L4_MSG_REGS)
		return -L4_ERANGE;
	if (!(ep_cap->rights & L4_RIGHT_GRANT))
		return -L4_EPERM;
	c = msg_cap(current, len);
	if (!c || c->type == L4_OBJ_NULL)
		return -L4_ECAP;
	return c->rights & L4_RIGHT_GRANT ? 0 : -L4_EPERM;
}

/*
 * Delivers the cap of a message into the receiver's receive slot; returns the tag it sees.
 * The sender's cap is looked up again: it may have gone while the sender was queued.
 */
static __attribute__((noinline, cold)) uint32_t transfer_cap(struct tcb *from, struct tcb *to,
							     uint32_t tag)
{
	unsigned len = tag & L4_TAG_LEN_MASK;
	struct cap *src, *dst = NULL;

	if (len == 0 || len > L4_MSG_REGS)
		return tag & ~TAG_F_CAP; /* (a reply's tag is not checked before) */
	src = msg_cap(from, len);
	if (src && src->type != L4_OBJ_NULL && (src->rights & L4_RIGHT_GRANT) && to->recv_slot &&
	    to->space)
		dst = cap_lookup(to->space, to->recv_slot);
	if (dst && dst->type == L4_OBJ_NULL &&
	    cap_copy(src, to->space, to->recv_slot, 0, 0, false) == 0) {
		to->regs.r[mr_reg(len - 1)] = to->recv_slot;
		return tag;
	}
	to->regs.r[mr_reg(len - 1)] = 0;
	return tag & ~TAG_F_CAP;
}

/* A fault message: kind, pc, address, status (L4_FAULT_*). */
static __attribute__((noinline, cold)) uint32_t transfer_fault(struct tcb *from, struct tcb *to)
{
	unsigned i;

	for (i = 0; i < L4_FAULT_MSG_LEN; i++)
		to->regs.r[2 + i] = from->fault_msg[i];
	to->regs.r[6] = to->regs.r[8] = to->regs.r[9] = to->regs.r[10] = 0;
	return ((uint32_t)L4_LABEL_FAULT << L4_TAG_LABEL_SHIFT) | L4_FAULT_MSG_LEN;
}

/* The words past the registers, UTCB to UTCB; returns the tag (truncated if it cannot). */
static __attribute__((noinline)) uint32_t transfer_long(struct tcb *from, struct tcb *to,
							uint32_t tag)
{
	unsigned len = tag & L4_TAG_LEN_MASK, i;
	const uint32_t *src =
		from->utcb && from->space ? space_translate(from->space, from->utcb, false) : NULL;
	uint32_t *dst = thread_utcb(to);

	/*
	 * A cap travels only in a register word (sends check it; a reply's tag is not
	 * checked): a long message never carries one, truncated or not.
	 */
	tag &= ~TAG_F_CAP;
	if (!src || !dst)
		return (tag & ~L4_TAG_LEN_MASK) | L4_MSG_REGS |
		       ((uint32_t)L4_TAG_F_TRUNCATED << L4_TAG_FLAGS_SHIFT);
	for (i = L4_MSG_REGS; i < len; i++)
		dst[i] = src[i];
	return tag;
}

/*
 * The general path's message copy. Register-only messages stay in this function;
 * faults, long messages and capabilities go out of line so the common case keeps
 * its registers (measured: inline, they cost every slowpath round trip 14 cycles).
 */
void ipc_transfer(struct tcb *from, struct tcb *to, uint32_t badge, bool call)
{
	uint32_t tag;

	if (unlikely(from->in_fault)) {
		tag = transfer_fault(from, to);
	} else {
		tag = from->regs.r[1];
		arch_copy_msg(&to->regs, &from->regs);
		if (unlikely((tag & L4_TAG_LEN_MASK) > L4_MSG_REGS))
			tag = transfer_long(from, to, tag);
		if (unlikely(tag & TAG_F_CAP))
			tag = transfer_cap(from, to, tag);
	}
	_Static_assert(L4_TAG_F_CALL == 2, "F_CALL is flag bit 1: `call` shifts into it");
	tag = (tag & ~((uint32_t)L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)) |
	      ((uint32_t)call << (L4_TAG_FLAGS_SHIFT + 1));
	to->regs.r[0] = 0;
	to->regs.r[1] = tag;
	to->regs.r[11] = badge;
	kstats.ipc++;
	if (CONFIG_TRACE) /* from the sender, which need not be current (a queued sender) */
		trace_record(L4_TRACE_IPC | (uint32_t)from->id << 8 | (uint32_t)to->id << 16, tag,
			     badge, arch_cycles());
}

static inline int send_common(struct cap *c, bool call, bool blocking)
{
	struct endpoint *ep = c->obj;
	struct tcb *recv;

	if (ep->state == EP_RECV) {
		recv = ep->q.head;
		KASSERT(recv && recv->state == THREAD_BLOCKED_RECV && recv->blocked_on == ep);
		KDEBUG_LIVE(recv, "receiver in an endpoint queue");
		ep_dequeue(ep, recv);
		ipc_transfer(current, recv, c->badge, call);
		if (call) {
			recv->caller = current;
			KDEBUG_SET(recv->caller_gen, current);
			current->callee = recv;
			KDEBUG_SET(current->callee_gen, recv);
			sched_block(current, THREAD_BLOCKED_REPLY);
		}
		sched_wake_by(recv, L4_WAKE_IPC);
		return call ? SYSCALL_RET_NONE : 0;
	}
	if (!blocking)
		return -L4_EAGAIN;
	current->send_badge = c->badge;
	current->send_is_call = call;
	ep_enqueue(ep, current, EP_SEND, THREAD_BLOCKED_SEND);
	return SYSCALL_RET_NONE;
}

/* A message with a capability: checked, then sent like any other (out of the hot path). */
static __attribute__((noinline, cold)) int send_with_cap(struct cap *c, bool call, bool blocking)
{
	int err = check_cap_send(c, current->regs.r[1]);

	return err ? err : send_common(c, call, blocking);
}

int ipc_send(struct cap *c, bool call, bool blocking)
{
	uint32_t tag = current->regs.r[1];

	if ((tag & L4_TAG_LEN_MASK) > L4_MSG_WORDS)
		return -L4_ERANGE;
	if (unlikely(tag & TAG_F_CAP))
		return send_with_cap(c, call, blocking);
	return send_common(c, call, blocking);
}

static void deliver_notification(struct tcb *t, uint32_t bits)
{
	t->regs.r[0] = 0;
	t->regs.r[1] = (uint32_t)L4_LABEL_NOTIFY << L4_TAG_LABEL_SHIFT;
	t->regs.r[11] = bits;
}

static int ntfn_wait(struct notification *n, bool blocking)
{
	if (n->word) {
		deliver_notification(current, n->word);
		n->word = 0;
		return SYSCALL_RET_NONE;
	}
	if (!blocking)
		return -L4_EAGAIN;
	wq_append(&n->q, current);
	sched_block(current, THREAD_BLOCKED_NTFN);
	current->blocked_on = n;
	kstats.waits++;
	return SYSCALL_RET_NONE;
}

int ipc_recv(uint32_t slot, bool blocking)
{
	struct cap *c = cap_lookup(current->space, slot);
	struct endpoint *ep;
	struct tcb *send;

	if (!c || c->type == L4_OBJ_NULL)
		return -L4_ECAP;
	if (c->type != L4_OBJ_ENDPOINT && c->type != L4_OBJ_NOTIFICATION)
		return -L4_ETYPE;
	if (!(c->rights & L4_RIGHT_RECV))
		return -L4_EPERM;
	if (c->type == L4_OBJ_NOTIFICATION)
		return ntfn_wait(c->obj, blocking);

	ep = c->obj;
	KDEBUG_CHECK(current->bound, current->bound_gen, "bound notification");
	if (current->bound && current->bound->word) {
		deliver_notification(current, current->bound->word);
		current->bound->word = 0;
		return SYSCALL_RET_NONE;
	}
	if (ep->state == EP_SEND) {
		send = ep->q.head;
		KASSERT(send && send->state == THREAD_BLOCKED_SEND && send->blocked_on == ep);
		KDEBUG_LIVE(send, "sender in an endpoint queue");
		ep_dequeue(ep, send);
		send->blocked_on = NULL;
		ipc_transfer(send, current, send->send_badge, send->send_is_call);
		if (send->send_is_call) {
			current->caller = send;
			KDEBUG_SET(current->caller_gen, send);
			send->callee = current;
			KDEBUG_SET(send->callee_gen, current);
			send->state = THREAD_BLOCKED_REPLY;
		} else {
			send->regs.r[0] = 0;
			sched_wake_by(send, L4_WAKE_IPC);
		}
		return SYSCALL_RET_NONE;
	}
	if (!blocking)
		return -L4_EAGAIN;
	ep_enqueue(ep, current, EP_RECV, THREAD_BLOCKED_RECV);
	kstats.waits++;
	return SYSCALL_RET_NONE;
}

/* The handler answered a fault (L4_FAULT_* labels in <l4/abi.h>). */
static void fault_reply(struct tcb *t, uint32_t tag, const uint32_t *r)
{
	t->in_fault = false;
	switch (tag >> L4_TAG_LABEL_SHIFT) {
	case L4_FAULT_RESUME:
		sched_wake_by(t, L4_WAKE_OTHER);
		break;
	case L4_FAULT_SET_PC:
		t->regs.pc = r[2];
		t->regs.sp = r[3];
		sched_wake_by(t, L4_WAKE_OTHER);
		break;
	default:
		t->state = THREAD_SUSPENDED;
		break;
	}
}

int ipc_reply(void)
{
	struct tcb *caller = current->caller;

	if (!caller)
		return -L4_EDEAD;
	KDEBUG_CHECK(caller, current->caller_gen, "caller");
	KASSERT(caller->callee == current);
	current->caller = NULL;
	caller->callee = NULL;
	if (caller->state != THREAD_BLOCKED_REPLY)
		return -L4_EDEAD;
	if (caller->in_fault) {
		fault_reply(caller, current->regs.r[1], current->regs.r);
		return 0;
	}
	ipc_transfer(current, caller, 0, false);
	sched_wake_by(caller, L4_WAKE_IPC);
	return 0;
}

int ipc_signal(struct cap *c, uint32_t bits)
{
	notification_signal(c->obj, c->badge ? c->badge : bits, NTFN_BY_THREAD);
	return 0;
}

void notification_signal(struct notification *n, uint32_t bits, unsigned line)
{
	struct tcb *t = n->q.head;
	unsigned cause = line == NTFN_BY_THREAD ? L4_WAKE_NTFN : L4_WAKE_IRQ;

	KDEBUG_LIVE(t, "waiter on a notification");
	if (t) {
		KASSERT(t->state == THREAD_BLOCKED_NTFN && t->blocked_on == n);
		wq_remove(&n->q, t);
		trace_event(L4_TRACE_NOTIFY, t->id, n->word | bits, line);
		deliver_notification(t, n->word | bits);
		n->word = 0;
		sched_wake_by(t, cause);
		return;
	}
	t = n->bound;
	KDEBUG_CHECK(t, n->bound_gen, "thread bound to a notification");
	if (t && t->state == THREAD_BLOCKED_RECV) {
		KASSERT(t->blocked_on && ((struct endpoint *)t->blocked_on)->state == EP_RECV);
		ep_dequeue(t->blocked_on, t);
		trace_event(L4_TRACE_NOTIFY, t->id, n->word | bits, line);
		deliver_notification(t, n->word | bits);
		n->word = 0;
		sched_wake_by(t, cause);
		return;
	}
	trace_event(L4_TRACE_NOTIFY, 0, bits, line);
	n->word |= bits;
}

void ipc_abort(struct tcb *t, int err)
{
	switch (t->state) {
	case THREAD_BLOCKED_SEND:
	case THREAD_BLOCKED_RECV:
		KASSERT(t->blocked_on);
		ep_dequeue(t->blocked_on, t);
		break;
	case THREAD_BLOCKED_NTFN:
		KASSERT(t->blocked_on);
		wq_remove(&((struct notification *)t->blocked_on)->q, t);
		break;
	case THREAD_BLOCKED_REPLY:
		KDEBUG_CHECK(t->callee, t->callee_gen, "callee");
		if (t->callee && t->callee->caller == t)
			t->callee->caller = NULL;
		t->callee = NULL;
		break;
	default:
		return;
	}
	t->blocked_on = NULL;
	t->regs.r[0] = (uint32_t)err;
}

void ipc_cancel(struct tcb *t, int err)
{
	bool faulting = t->in_fault;

	ipc_abort(t, err);
	if (faulting) {
		t->in_fault = false;
		t->state = THREAD_STOPPED; /* nobody will handle its fault now */
	} else {
		sched_wake_by(t, L4_WAKE_OTHER);
	}
}

static const char *const fault_names[L4_FAULT_KINDS] = L4_FAULT_NAMES;

void fault_deliver(struct tcb *t, unsigned kind, uint32_t addr, uint32_t status)
{
	struct endpoint *ep = t->fault_ep;

	KDEBUG_CHECK(ep, t->fault_ep_gen, "fault endpoint");
	trace_event(L4_TRACE_FAULT, 0, kind, t->regs.pc);
	if (!ep) {
		printk("fault: thread %u '%s': %s at pc %08x, address %08x, status %08x\n", t->id,
		       t->name, fault_names[kind], (unsigned)t->regs.pc, (unsigned)addr,
		       (unsigned)status);
		arch_dump_regs(&t->regs);
		sched_block(t, THREAD_STOPPED);
		if (t->critical)
			panic("root task '%s' stopped by an unhandled %s", t->name,
			      fault_names[kind]);
		return;
	}
	t->in_fault = true;
	t->fault_msg[0] = kind;
	t->fault_msg[1] = t->regs.pc;
	t->fault_msg[2] = addr;
	t->fault_msg[3] = status;
	if (ep->state == EP_RECV) {
		struct tcb *recv = ep->q.head;

		KASSERT(recv && recv->state == THREAD_BLOCKED_RECV && recv->blocked_on == ep);
		KDEBUG_LIVE(recv, "receiver in an endpoint queue");
		ep_dequeue(ep, recv);
		ipc_transfer(t, recv, t->fault_badge, true);
		recv->caller = t;
		KDEBUG_SET(recv->caller_gen, t);
		t->callee = recv;
		KDEBUG_SET(t->callee_gen, recv);
		sched_block(t, THREAD_BLOCKED_REPLY);
		sched_wake_by(recv, L4_WAKE_IPC);
		return;
	}
	t->send_badge = t->fault_badge;
	t->send_is_call = true;
	ep_enqueue(ep, t, EP_SEND, THREAD_BLOCKED_SEND);
}
