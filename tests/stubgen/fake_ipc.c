/* SPDX-License-Identifier: BSD-2-Clause */
/* A fake in-process IPC transport: l4_call/l4_send hand the message to a dispatcher. */
#include "fake_ipc.h"
#include "poison.h"

#include <string.h>

struct fake_ipc fake_ipc;

/* Client and server threads each have a UTCB; the fake copies words between them. */
static struct l4_utcb client_utcb, server_utcb;
static struct l4_utcb *current = &client_utcb;

struct l4_utcb *l4_utcb(void)
{
	return current;
}

void fake_ipc_reset(fake_ipc_server_fn server)
{
	memset(&fake_ipc, 0, sizeof(fake_ipc));
	fake_ipc.server = server;
	current = &client_utcb;
}

void fake_ipc_unpoison(void)
{
	test_unpoison(client_utcb.mr, sizeof(client_utcb.mr));
}

void fake_ipc_as_server(bool server)
{
	current = server ? &server_utcb : &client_utcb;
}

/* Copies a message of `len` words as the kernel would: registers and UTCB words only. */
static void transfer(l4_word_t *to_mr, const l4_word_t *from_mr, struct l4_utcb *to,
		     const struct l4_utcb *from, unsigned len)
{
	for (unsigned i = 0; i < L4_MSG_REGS; i++)
		to_mr[i] = i < len ? from_mr[i] : FAKE_IPC_POISON;
	for (unsigned i = 0; i < L4_MSG_WORDS; i++)
		to->mr[i] = i >= L4_MSG_REGS && i < len ? from->mr[i] : FAKE_IPC_POISON;
}

/* Like the kernel: a call arrives with L4_TAG_F_CALL, anything else without; a reply never. */
static l4_tag_t mark_call(l4_tag_t tag, bool call)
{
	tag &= ~((l4_tag_t)L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT);
	return call ? tag | ((l4_tag_t)L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT) : tag;
}

static int deliver(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], bool *reply, bool call)
{
	l4_word_t smr[L4_MSG_REGS];
	unsigned len = l4_tag_len(*tag);

	if (fake_ipc.fail < 0)
		return fake_ipc.fail;
	if (ep != FAKE_IPC_EP || !fake_ipc.server)
		return -L4_ECAP;
	if (len > L4_MSG_WORDS)
		return -L4_ERANGE;
	transfer(smr, mr, &server_utcb, &client_utcb, len);
	*tag = mark_call(*tag, call);
	fake_ipc.last_tag = *tag;
	for (unsigned i = 0; i < len; i++)
		fake_ipc.last[i] = i < L4_MSG_REGS ? smr[i] : server_utcb.mr[i];
	current = &server_utcb;
	*reply = fake_ipc.server(tag, smr, fake_ipc.badge);
	current = &client_utcb;
	if (*reply) {
		*tag = mark_call(*tag, false);
		len = l4_tag_len(*tag);
		if (len > L4_MSG_WORDS)
			return -L4_ERANGE;
		transfer(mr, smr, &client_utcb, &server_utcb, len);
		if (fake_ipc.poison_replies && len < L4_MSG_WORDS) {
			unsigned first = len > L4_MSG_REGS ? len : L4_MSG_REGS;

			test_poison(&client_utcb.mr[first],
				    (L4_MSG_WORDS - first) * sizeof(l4_word_t));
		}
	}
	return 0;
}

int l4_call(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS])
{
	bool reply = false;
	int err = deliver(ep, tag, mr, &reply, true);

	if (err < 0)
		return err;
	fake_ipc.calls++;
	if (!reply) {
		/* The real caller would block forever; the test notes it. */
		fake_ipc.unexpected = true;
		return -L4_EDEAD;
	}
	return 0;
}

int l4_send(l4_cap_t ep, l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS])
{
	l4_word_t copy[L4_MSG_REGS];
	bool reply = false;
	int err;

	memcpy(copy, mr, sizeof(copy));
	err = deliver(ep, &tag, copy, &reply, false);
	if (err < 0)
		return err;
	fake_ipc.sends++;
	if (reply)
		fake_ipc.unexpected = true;
	return 0;
}

static const struct fake_ipc_msg *script;
static unsigned script_len, script_pos;

void fake_ipc_script(const struct fake_ipc_msg *msgs, unsigned n)
{
	script = msgs;
	script_len = n;
	script_pos = 0;
}

/* The next scripted request, as the server thread receives it. */
static int next_request(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge)
{
	const struct fake_ipc_msg *m;
	unsigned len;

	if (script_pos >= script_len)
		return -L4_EDEAD;
	m = &script[script_pos++];
	len = l4_tag_len(m->tag);
	current = &server_utcb;
	for (unsigned i = 0; i < L4_MSG_WORDS; i++) {
		l4_word_t w = i < len ? m->w[i] : FAKE_IPC_POISON;

		if (i < L4_MSG_REGS)
			mr[i] = w;
		else
			server_utcb.mr[i] = w;
	}
	*tag = m->tag;
	*badge = fake_ipc.badge;
	return 0;
}

int l4_nbsend(l4_cap_t ep, l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS])
{
	return l4_send(ep, tag, mr);
}

int l4_recv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge)
{
	if (ep != FAKE_IPC_EP)
		return -L4_ECAP;
	fake_ipc.recvs++;
	return next_request(tag, mr, badge);
}

int l4_nbrecv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge)
{
	return l4_recv(ep, tag, mr, badge);
}

/* Records the reply (its register words), then receives the next scripted request. */
int l4_reply_recv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge)
{
	if (ep != FAKE_IPC_EP)
		return -L4_ECAP;
	fake_ipc.reply_recvs++;
	if (fake_ipc.nreplies < 8) {
		fake_ipc.replies[fake_ipc.nreplies] = *tag;
		for (unsigned i = 0; i < L4_MSG_REGS; i++)
			fake_ipc.reply_words[fake_ipc.nreplies][i] = mr[i];
		fake_ipc.nreplies++;
	}
	return next_request(tag, mr, badge);
}

int l4_reply(l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS])
{
	(void)tag, (void)mr;
	return -L4_EDEAD;
}
