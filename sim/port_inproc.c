/* SPDX-License-Identifier: BSD-2-Clause */
/* The in-process port: messages go straight to the host UE model and its answers come back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port.h"
#include "ue_host.h"

struct port_inproc {
	struct port base;
	struct ue_host ue;
};

static int inproc_send(struct port *p, enum port_link link, const uint8_t *msg, uint32_t len)
{
	struct port_inproc *ip = (struct port_inproc *)p;

	ue_host_rx(&ip->ue, link == PORT_HOST, msg, len);
	return 0;
}

static int inproc_recv(struct port *p, enum port_link link, uint8_t *buf, uint32_t cap,
		       uint32_t timeout_ms)
{
	struct port_inproc *ip = (struct port_inproc *)p;
	int n = ue_host_tx(&ip->ue, link == PORT_HOST, buf, cap);

	(void)timeout_ms;
	if (n > 0)
		return n;
	/* Nothing queued now never changes: the model answers synchronously. */
	snprintf(p->err, sizeof(p->err), "the host UE model has no %s message",
		 link == PORT_HOST ? "host-link" : "radio");
	return PORT_ETIMEOUT;
}

static int inproc_finish(struct port *p, uint32_t timeout_ms)
{
	(void)timeout_ms;
	return ((struct port_inproc *)p)->ue.done ? 0 : 1;
}

static void inproc_free(struct port *p)
{
	struct port_inproc *ip = (struct port_inproc *)p;

	ue_host_free(&ip->ue);
	free(ip);
}

static const struct port_ops inproc_ops = {
	.send = inproc_send, .recv = inproc_recv, .finish = inproc_finish, .free = inproc_free};

struct port *port_inproc_new(unsigned idx, uint64_t seed)
{
	struct port_inproc *ip = calloc(1, sizeof(*ip));
	struct ue_host_config cfg = {.idx = idx, .seed = seed};

	if (!ip)
		return NULL;
	ip->base.ops = &inproc_ops;
	ip->base.idx = idx;
	if (ue_host_init(&ip->ue, &cfg) < 0) {
		free(ip);
		return NULL;
	}
	return &ip->base;
}

struct ue_host *port_inproc_ue(struct port *p)
{
	return p->ops == &inproc_ops ? &((struct port_inproc *)p)->ue : NULL;
}
