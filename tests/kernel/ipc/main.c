/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC system calls: call, reply-and-receive, send, receive, non-blocking, badges, long messages. */
#include "kthread.h"
#include "ktest.h"

#define LABEL_ADD   1  /* reply: every word + 1 */
#define LABEL_BADGE 2  /* reply: MR0 = the caller's badge */
#define CHILD_EP    10 /* slot of the endpoint in a server's own space */

/* Echo server: replies with label + 100 and the words changed as the label asks. */
static void echo_server(uint32_t ep)
{
	struct l4_utcb *u = l4_utcb();
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	unsigned i, len;

	l4_recv(ep, &tag, mr, &badge);
	for (;;) {
		len = l4_tag_len(tag);
		if (l4_tag_label(tag) == LABEL_BADGE) {
			mr[0] = badge;
		} else {
			for (i = 0; i < len && i < L4_MSG_REGS; i++)
				mr[i] += 1;
			for (i = L4_MSG_REGS; i < len; i++)
				u->mr[i] += 1;
		}
		tag = l4_tag(l4_tag_label(tag) + 100, 0, len);
		l4_reply_recv(ep, &tag, mr, &badge);
	}
}

static struct kt_thread server;
static l4_cap_t ep;

/*
 * The root runs at the highest priority, so a thread it starts runs only once
 * the root blocks: there is time to give it its caps after the start.
 */
static int start_server(bool own_space, unsigned prio)
{
	int err;

	ep = kt_create(L4_OBJ_ENDPOINT);
	err = kt_thread_start(&server, echo_server, own_space ? CHILD_EP : ep, prio, 0, own_space);
	if (!err && own_space)
		err = kt_thread_give(&server, ep, CHILD_EP);
	return err;
}

static void stop_server(void)
{
	kt_thread_destroy(&server);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static uint64_t fastpath_count(void)
{
	struct l4_kstats ks;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &ks);
	return ks.fastpath;
}

static void check_echo(unsigned len)
{
	l4_word_t mr[L4_MSG_REGS] = {10, 11, 12, 13, 14, 15, 16, 17};
	l4_tag_t tag = l4_tag(LABEL_ADD, 0, len);
	unsigned i;

	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), LABEL_ADD + 100);
	KT_ASSERT_EQ(l4_tag_len(tag), len);
	for (i = 0; i < len; i++)
		KT_ASSERT_EQ(mr[i], 11 + i);
}

KTEST(ipc_call_same_space_takes_fastpath)
{
	uint64_t before;

	KT_ASSERT_EQ(start_server(false, 100), 0);
	kt_let_others_run(); /* the server waits in its receive: calls can take the fastpath */
	before = fastpath_count();
	check_echo(4);
	check_echo(0);
	check_echo(8);
	KT_ASSERT_EQ(fastpath_count() - before, 6); /* 3 calls + 3 replies */
	stop_server();
}

KTEST(ipc_call_cross_space)
{
	uint64_t before;

	KT_ASSERT_EQ(start_server(true, 100), 0);
	kt_let_others_run();
	before = fastpath_count();
	check_echo(4);
	check_echo(7);
	KT_ASSERT_EQ(fastpath_count() - before, 4);
	stop_server();
}

KTEST(ipc_long_message_through_the_utcb)
{
	struct l4_utcb *u = l4_utcb();
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(LABEL_ADD, 0, L4_MSG_WORDS);
	unsigned i;

	KT_ASSERT_EQ(start_server(true, 100), 0);
	for (i = L4_MSG_REGS; i < L4_MSG_WORDS; i++)
		u->mr[i] = 1000 + i;
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_len(tag), L4_MSG_WORDS);
	KT_ASSERT_EQ(mr[0], 1);
	for (i = L4_MSG_REGS; i < L4_MSG_WORDS; i++)
		KT_ASSERT_EQ(u->mr[i], 1001 + i);
	stop_server();
}

KTEST(ipc_rejects_oversize_message)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(LABEL_ADD, 0, L4_MSG_WORDS + 1);

	KT_ASSERT_EQ(start_server(false, 100), 0);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), -L4_ERANGE);
	tag = l4_tag(LABEL_ADD, 0, 127);
	KT_ASSERT_EQ(l4_send(ep, tag, mr), -L4_ERANGE);
	stop_server();
}

KTEST(ipc_badge_names_the_client)
{
	l4_cap_t b = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(LABEL_BADGE, 0, 1);

	KT_ASSERT_EQ(start_server(true, 100), 0);
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, b, L4_RIGHT_SEND, 0xbad6e), 0);
	KT_ASSERT_EQ(l4_call(b, &tag, mr), 0);
	KT_ASSERT_EQ(mr[0], 0xbad6e);
	tag = l4_tag(LABEL_BADGE, 0, 1);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(mr[0], 0);
	l4_cap_delete(b);
	kt_slot_free(b);
	stop_server();
}

static void sender(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS] = {7, 8, 9};

	l4_send(ep_slot, l4_tag(33, 0, 3), mr);
}

KTEST(ipc_send_then_receive)
{
	struct kt_thread s;
	l4_word_t mr[L4_MSG_REGS] = {0}, badge = 1;
	l4_tag_t tag = 0;

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&s, sender, ep, 100, 0, false), 0);
	/* The sender runs only while we block here; it finds us waiting. */
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), 33);
	KT_ASSERT_EQ(mr[0] + mr[1] + mr[2], 24);
	KT_ASSERT_EQ(badge, 0);
	kt_thread_destroy(&s);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

KTEST(ipc_receive_finds_a_queued_sender)
{
	struct kt_thread s;
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	l4_tag_t tag = 0;
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);
	uint32_t bits;

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&s, sender, ep, 100, 0, false), 0);
	/* Let the sender run and queue itself: wait on a notification nobody signals... */
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN);
	kt_let_others_run();
	/* ...the sender ran while we were below it and is now queued on ep. */
	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), 33);
	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &badge), -L4_EAGAIN);
	kt_thread_destroy(&s);
	l4_cap_delete(ep);
	l4_cap_delete(n);
	kt_slot_free(ep), kt_slot_free(n);
}

KTEST(ipc_nonblocking_without_partner_is_eagain)
{
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	l4_tag_t tag = 0;

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, 0, 1), mr), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &badge), -L4_EAGAIN);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

KTEST(ipc_checks_caps_rights_and_types)
{
	l4_cap_t send_only = kt_slot_alloc(), recv_only = kt_slot_alloc();
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	l4_tag_t tag = l4_tag(1, 0, 1);

	ep = kt_create(L4_OBJ_ENDPOINT);
	l4_cap_mint(ep, 0, send_only, L4_RIGHT_SEND, 0);
	l4_cap_mint(ep, 0, recv_only, L4_RIGHT_RECV, 0);
	KT_ASSERT_EQ(l4_call(recv_only, &tag, mr), -L4_EPERM);
	KT_ASSERT_EQ(l4_nbsend(recv_only, tag, mr), -L4_EPERM);
	KT_ASSERT_EQ(l4_nbrecv(send_only, &tag, mr, &badge), -L4_EPERM);
	KT_ASSERT_EQ(l4_call(n, &tag, mr), -L4_ETYPE);
	KT_ASSERT_EQ(l4_call(0, &tag, mr), -L4_ECAP);
	KT_ASSERT_EQ(l4_call(L4_CAP_SLOTS + 5, &tag, mr), -L4_ECAP);
	KT_ASSERT_EQ(l4_nbrecv(L4_ROOT_CAP_RAM, &tag, mr, &badge), -L4_ETYPE);
	KT_ASSERT_EQ(l4_reply_recv(L4_ROOT_CAP_RAM, &tag, mr, &badge), -L4_ETYPE);
	KT_ASSERT_EQ(l4_reply(l4_tag(0, 0, 0), mr), -L4_EDEAD); /* nobody called us */
	l4_cap_delete(send_only), l4_cap_delete(recv_only), l4_cap_delete(n), l4_cap_delete(ep);
	kt_slot_free(send_only), kt_slot_free(recv_only), kt_slot_free(n), kt_slot_free(ep);
}

static volatile int client_result = 1;

static void client(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(1, 0, 1);

	client_result = l4_call(ep_slot, &tag, mr);
}

/* Receives one call and never answers. */
static void mute_server(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep_slot, &tag, mr, &badge);
	for (;;)
		l4_thread_ctl(server.cap, L4_THREAD_SUSPEND, 0, 0);
}

KTEST(ipc_caller_of_destroyed_server_gets_edead)
{
	struct kt_thread c;
	uint32_t bits;
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&server, mute_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&c, client, ep, 90, 0, false), 0);
	/* Sleep briefly below both: the server takes the call, the client waits for a reply. */
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN);
	kt_let_others_run();
	KT_ASSERT_EQ(client_result, 1); /* still blocked */
	kt_thread_destroy(&server);
	kt_let_others_run();
	KT_ASSERT_EQ(client_result, -L4_EDEAD);
	kt_thread_destroy(&c);
	l4_cap_delete(ep), l4_cap_delete(n);
	kt_slot_free(ep), kt_slot_free(n);
}

static volatile int recv_result = 1;

static void receiver(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	recv_result = l4_recv(ep_slot, &tag, mr, &badge);
}

KTEST(ipc_deleted_endpoint_wakes_waiters_with_edead)
{
	struct kt_thread r;
	l4_cap_t mine = kt_slot_alloc();

	ep = kt_create(L4_OBJ_ENDPOINT);
	l4_cap_copy(ep, 0, mine);
	KT_ASSERT_EQ(kt_thread_start(&r, receiver, mine, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(recv_result, 1);
	l4_cap_revoke(ep);
	l4_cap_delete(ep);
	kt_let_others_run();
	KT_ASSERT_EQ(recv_result, -L4_EDEAD);
	kt_thread_destroy(&r);
	kt_slot_free(ep), kt_slot_free(mine);
}

static volatile uint32_t seen_flags[2];

/* Records the flags of two messages, replying only to what owes a reply. */
static void flag_recorder(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	unsigned i;

	for (i = 0; i < 2; i++) {
		l4_recv(ep_slot, &tag, mr, &badge);
		seen_flags[i] = l4_tag_flags(tag);
		if (l4_tag_flags(tag) & L4_TAG_F_CALL)
			l4_reply(l4_tag(0, L4_TAG_F_CALL, 0),
				 mr); /* the flag is ignored on input */
	}
}

KTEST(ipc_call_flag_tells_a_call_from_a_send)
{
	struct kt_thread t;
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(5, 0, 1);

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&t, flag_recorder, ep, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CALL, 0); /* a reply never owes one */
	/* A sender cannot forge the flag; the general path clears and sets it too. */
	KT_ASSERT_EQ(l4_send(ep, l4_tag(6, L4_TAG_F_CALL | L4_TAG_F_SLOWPATH, 1), mr), 0);
	KT_ASSERT_EQ(seen_flags[0] & L4_TAG_F_CALL, L4_TAG_F_CALL);
	KT_ASSERT_EQ(seen_flags[1] & L4_TAG_F_CALL, 0);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* Capabilities in messages (L4_TAG_F_CAP). */
#define LABEL_TAKE_CAP	5  /* report the cap received, signal it, reply with our endpoint */
#define LABEL_CHECK_CAP 6  /* report what the receive slot holds now */
#define LABEL_LONG_CAP	7  /* reply with 16 words and L4_TAG_F_CAP */
#define SERVER_RECV	20 /* the cap server's receive slot */

static void cap_server(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep_slot, &tag, mr, &badge);
	for (;;) {
		unsigned len = l4_tag_len(tag);
		struct l4_ret info = l4_cap_info(SERVER_RECV);
		uint32_t got = len ? mr[len - 1] : 0;

		mr[0] = l4_tag_flags(tag) & L4_TAG_F_CAP;
		mr[1] = got;
		mr[2] = info.err ? (uint32_t)info.err : info.r1;
		if (l4_tag_label(tag) == LABEL_LONG_CAP) {
			/* 16 words, the last (a UTCB word) naming our endpoint: never granted. */
			l4_utcb()->mr[15] = ep_slot;
			tag = l4_tag(l4_tag_label(tag) + 100, L4_TAG_F_CAP, 16);
		} else if (l4_tag_label(tag) == LABEL_TAKE_CAP) {
			if (got)
				l4_signal(got, 0x10);
			mr[3] = ep_slot; /* granted back to the caller */
			tag = l4_tag(l4_tag_label(tag) + 100, L4_TAG_F_CAP, 4);
		} else {
			tag = l4_tag(l4_tag_label(tag) + 100, 0, 3);
		}
		l4_reply_recv(ep_slot, &tag, mr, &badge);
	}
}

KTEST(ipc_grants_a_cap_across_spaces_and_revoke_takes_it_back)
{
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION), rs = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {0xabc, n};
	l4_tag_t tag = l4_tag(LABEL_TAKE_CAP, L4_TAG_F_CAP, 2);
	struct l4_ret info;
	uint32_t bits = 0;

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&server, cap_server, CHILD_EP, 100, 0, true), 0);
	KT_ASSERT_EQ(kt_thread_give(&server, ep, CHILD_EP), 0);
	KT_ASSERT_EQ(l4_thread_set_recv_slot(server.cap, SERVER_RECV), 0);
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, rs), 0);

	/* The call carries n; the server sees it in its slot, signals it, grants its ep back. */
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), LABEL_TAKE_CAP + 100);
	KT_ASSERT_EQ(mr[0], L4_TAG_F_CAP);
	KT_ASSERT_EQ(mr[1], SERVER_RECV);
	KT_ASSERT_EQ(mr[2], L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(l4_poll(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x10);
	/* The reply carried the server's endpoint into our receive slot. */
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CAP, L4_TAG_F_CAP);
	KT_ASSERT_EQ(mr[3], rs);
	info = l4_cap_info(rs);
	KT_ASSERT_EQ(info.err, 0);
	KT_ASSERT_EQ(info.r1, L4_OBJ_ENDPOINT);

	/* Revoking our cap deletes the copy the server received. */
	KT_ASSERT_EQ(l4_cap_revoke(n), 0);
	tag = l4_tag(LABEL_CHECK_CAP, 0, 1);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(mr[0], 0);
	KT_ASSERT_EQ(mr[2], (uint32_t)-L4_ECAP);

	/* A long reply cannot carry a cap: the flag is dropped, our slot stays empty. */
	KT_ASSERT_EQ(l4_cap_delete(rs), 0);
	tag = l4_tag(LABEL_LONG_CAP, 0, 1);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), LABEL_LONG_CAP + 100);
	KT_ASSERT_EQ(l4_tag_len(tag), 16);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CAP, 0);
	KT_ASSERT_EQ(l4_cap_info(rs).err, -L4_ECAP);

	/* Starting the server afresh closes its receive slot: a cap sent now stays home. */
	KT_ASSERT_EQ(l4_thread_start(server.cap, (uint32_t)kt_entry, server.stack_top), 0);
	mr[0] = 0xabc, mr[1] = n;
	tag = l4_tag(LABEL_TAKE_CAP, L4_TAG_F_CAP, 2);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(mr[0], 0);
	KT_ASSERT_EQ(mr[1], 0);
	KT_ASSERT_EQ(mr[2], (uint32_t)-L4_ECAP);

	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, 0), 0);
	kt_thread_destroy(&server);
	l4_cap_delete(rs), l4_cap_delete(n), l4_cap_delete(ep);
	kt_slot_free(rs), kt_slot_free(n), kt_slot_free(ep);
}

KTEST(ipc_cap_transfer_checks_rights_slots_and_length)
{
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION), no_grant_ep = kt_slot_alloc();
	l4_cap_t no_grant_n = kt_slot_alloc(), empty = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {n, n, n, n, n, n, n, n};

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, no_grant_ep, L4_RIGHT_SEND, 0), 0);
	KT_ASSERT_EQ(l4_cap_mint(n, 0, no_grant_n, L4_RIGHT_SEND, 0), 0);
	/* Nobody receives: a message that passes the checks gets -L4_EAGAIN. */
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 8), mr), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_nbsend(no_grant_ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), -L4_EPERM);
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 0), mr), -L4_ERANGE);
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, L4_MSG_REGS + 1), mr), -L4_ERANGE);
	mr[0] = no_grant_n;
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), -L4_EPERM);
	mr[0] = empty;
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), -L4_ECAP);
	mr[0] = L4_CAP_SLOTS + 3;
	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), -L4_ECAP);
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, L4_CAP_SLOTS), -L4_EINVAL);
	l4_cap_delete(no_grant_ep), l4_cap_delete(no_grant_n), l4_cap_delete(n), l4_cap_delete(ep);
	kt_slot_free(no_grant_ep), kt_slot_free(no_grant_n), kt_slot_free(n), kt_slot_free(ep);
	kt_slot_free(empty);
}

static volatile l4_cap_t granted;

/* Sends `granted` three times (same space: the root's slots are its slots). */
static void cap_sender(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS] = {0x55, granted};

	for (int i = 0; i < 3; i++) {
		mr[1] = granted;
		l4_send(ep_slot, l4_tag(7, L4_TAG_F_CAP, 2), mr);
	}
}

KTEST(ipc_receiver_without_a_free_slot_gets_no_cap)
{
	struct kt_thread s;
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION), rs = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	l4_tag_t tag = 0;
	struct l4_ret info;

	granted = n;
	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&s, cap_sender, ep, 100, 0, false), 0);
	/* No receive slot: the message arrives, the cap does not, the word reads 0. */
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, 0), 0);
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), 7);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CAP, 0);
	KT_ASSERT_EQ(mr[0], 0x55);
	KT_ASSERT_EQ(mr[1], 0);
	/* A full receive slot: the same. */
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, L4_ROOT_CAP_RAM), 0);
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CAP, 0);
	KT_ASSERT_EQ(mr[1], 0);
	info = l4_cap_info(L4_ROOT_CAP_RAM);
	KT_ASSERT_EQ(info.r1, L4_OBJ_MEMORY);
	/* A free one: the cap arrives there. */
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, rs), 0);
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_CAP, L4_TAG_F_CAP);
	KT_ASSERT_EQ(mr[1], rs);
	info = l4_cap_info(rs);
	KT_ASSERT_EQ(info.r1, L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(l4_thread_set_recv_slot(L4_ROOT_CAP_THREAD, 0), 0);
	kt_thread_destroy(&s);
	l4_cap_delete(rs), l4_cap_delete(n), l4_cap_delete(ep);
	kt_slot_free(rs), kt_slot_free(n), kt_slot_free(ep);
}

/*
 * Issue 11, finding 3: one reply right per thread. A receive on an endpoint while a
 * reply is still owed is refused (-L4_EBUSY); a notification wait is not. Before, the
 * second receive overwrote the first caller's reply right, and that caller's abort then
 * cleared the second caller's, which waited forever.
 */
static l4_cap_t owing_go;
static volatile int owing_res[4] = {1, 1, 1, 1};
static volatile unsigned owing_label[3];
static volatile int call_res[2] = {1, 1};

static void owing_server(uint32_t ep_slot)
{
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	l4_tag_t tag = 0;
	uint32_t bits;

	owing_res[0] = l4_recv(ep_slot, &tag, mr, &badge);
	owing_label[0] = l4_tag_label(tag);
	owing_res[1] = l4_nbrecv(ep_slot, &tag, mr, &badge);
	owing_label[1] = l4_tag_label(tag);
	l4_wait(owing_go, &bits); /* still owing: a notification wait is fine */
	owing_res[2] = l4_recv(ep_slot, &tag, mr, &badge);
	owing_label[2] = l4_tag_label(tag);
	owing_res[3] = l4_reply(l4_tag(7, 0, 0), mr);
}

static void labelled_caller(uint32_t label)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(label, 0, 0);

	call_res[label - 1] = l4_call(ep, &tag, mr);
}

KTEST(ipc_recv_while_owing_a_reply_is_ebusy)
{
	struct kt_thread s, a, b;

	ep = kt_create(L4_OBJ_ENDPOINT);
	owing_go = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(kt_thread_start(&s, owing_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&a, labelled_caller, 1, 110, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&b, labelled_caller, 2, 105, 0, false), 0);
	kt_let_others_run(); /* A and B queue their calls; S takes A's, then tries B's */
	KT_ASSERT_EQ(owing_res[0], 0);
	KT_ASSERT_EQ(owing_label[0], 1);
	KT_ASSERT_EQ(owing_res[1], -L4_EBUSY);
	/* A goes away: S owes nothing now and takes B's call, and its reply reaches B. */
	KT_ASSERT_EQ(l4_thread_ctl(a.cap, L4_THREAD_SUSPEND, 0, 0), 0);
	KT_ASSERT_EQ(l4_signal(owing_go, 1), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(owing_res[2], 0);
	KT_ASSERT_EQ(owing_label[2], 2);
	KT_ASSERT_EQ(owing_res[3], 0);
	KT_ASSERT_EQ(call_res[1], 0);
	kt_thread_destroy(&s), kt_thread_destroy(&a), kt_thread_destroy(&b);
	l4_cap_delete(ep), l4_cap_delete(owing_go);
	kt_slot_free(ep), kt_slot_free(owing_go);
}

/* A server started afresh owes nothing: its caller learns it is gone. */
KTEST(ipc_thread_start_of_a_server_owing_a_reply_fails_the_call_with_edead)
{
	struct kt_thread c;

	client_result = 1;
	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(kt_thread_start(&server, mute_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&c, client, ep, 90, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(client_result, 1); /* the server holds the call */
	KT_ASSERT_EQ(l4_thread_start(server.cap, (uint32_t)kt_entry, server.stack_top), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(client_result, -L4_EDEAD);
	kt_thread_destroy(&c);
	kt_thread_destroy(&server);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}
