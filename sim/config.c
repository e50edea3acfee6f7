/* SPDX-License-Identifier: BSD-2-Clause */
/* Parse the runner's key = value configuration into the eNB, channel, traffic and UE settings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "l2/paging.h"

/* Highest index seen per indexed family, to infer the counts. */
static int seen_bearer = -1, seen_outage = -1, seen_ue = -1;

void config_defaults(struct sim_config *c)
{
	static const struct rl_cfg_bearer srb = {.srb = true,
						 .rlc_mode = RL_RLC_AM,
						 .pdcp_sn_bits = 5,
						 .priority = 1,
						 .pbr_kbps = 0xffff,
						 .bsd_ms = 1000,
						 .t_poll_retx_ms = 45,
						 .t_reordering_ms = 35,
						 .t_status_prohibit_ms = 0,
						 .max_retx = 32};
	unsigned i;

	memset(c, 0, sizeof(*c));
	seen_bearer = seen_outage = seen_ue = -1;
	snprintf(c->name, sizeof(c->name), "sim");
	snprintf(c->out_dir, sizeof(c->out_dir), ".");
	c->seed = 1;
	c->duration_ms = 1000;
	c->cpu_hz = 1000000000;
	c->pcap = true;
	c->enb.n_ue = 1;
	c->enb.prbs_dl = c->enb.prbs_ul = 50;
	c->enb.bytes_per_prb_dl = c->enb.bytes_per_prb_ul = 72;
	c->enb.policy = SCHED_RR;
	c->enb.max_harq_tx_dl = 4;
	c->enb.sr_grant = 64;
	c->enb.rar_window = 10;
	c->enb.rlc_max_sdus = 512;
	c->enb.mac = (struct rl_cfg_mac){.max_harq_tx = 4,
					 .preamble_trans_max = 10,
					 .periodic_bsr_ms = 20,
					 .retx_bsr_ms = 320,
					 .rar_window = 10,
					 .cr_timer = 64,
					 .num_preambles = 64};
	/* SRB1 (LCID 1), SRB2 (LCID 2), DRB1 (LCID 3, AM, 12-bit PDCP SN). */
	for (i = 0; i < 3; i++) {
		c->enb.bearer[i] = srb;
		c->enb.bearer[i].rb_id = (uint8_t)(i < 2 ? i + 1 : 1);
		c->enb.bearer[i].lcid = (uint8_t)(i + 1);
	}
	c->enb.bearer[1].priority = 3;
	c->enb.bearer[2].srb = false;
	c->enb.bearer[2].pdcp_sn_bits = 12;
	c->enb.bearer[2].um_sn_bits = 10;
	c->enb.bearer[2].priority = 5;
	c->enb.bearer[2].lcg = 1;
	c->enb.bearer[2].t_poll_retx_ms = 40;
	c->enb.bearer[2].poll_pdu = 16;
	c->enb.bearer[2].poll_byte = 25000;
	c->enb.bearer[2].t_status_prohibit_ms = 10;
	c->enb.n_bearers = 3;
	c->enb.sec.eea = 2;
	c->enb.sec.eia = 2;
	for (i = 0; i < 32; i++)
		c->enb.sec.kenb[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < ENB_MAX_UES; i++) {
		/* TS 35.208 test set 1's K (a different last byte per UE) and OPc; IMSIs in PLMN
		 * 001/01; the HSS one step ahead of the card: a fresh SQN. */
		static const uint8_t k[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
					      0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
		static const uint8_t opc[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
						0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf};
		struct sim_ue_config *u = &c->ue[i];

		u->timeout_ms = 30000;
		snprintf(u->sim.imsi, sizeof(u->sim.imsi), "0010100000%05u", (unsigned)i + 1);
		memcpy(u->sim.k, k, 16);
		u->sim.k[15] = (uint8_t)(u->sim.k[15] + i);
		memcpy(u->sim.opc, opc, 16);
		u->sim.sqn = 0;
		u->hss_sqn = 32;
	}
	c->detach_ms = -100;
}

static int fail(char *err, unsigned cap, const char *fmt, const char *a)
{
	snprintf(err, cap, fmt, a);
	return -1;
}

static int num(const char *v, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 0);
	return errno || end == v || *end || v[0] == '-' || *out > max ? -1 : 0;
}

static int real(const char *v, double *out)
{
	char *end;

	*out = strtod(v, &end);
	return end == v || *end ? -1 : 0;
}

#define U(field, max)                                                                         \
	do {                                                                                  \
		uint64_t x_;                                                                  \
		if (num(value, (max), &x_) < 0)                                               \
			return fail(err, cap, "bad value for %s (an integer expected)", key); \
		(field) = x_;                                                                 \
		return 0;                                                                     \
	} while (0)

#define D(field)                                                                            \
	do {                                                                                \
		if (real(value, &(field)) < 0)                                              \
			return fail(err, cap, "bad value for %s (a number expected)", key); \
		return 0;                                                                   \
	} while (0)

/* "family.N.rest": N and rest; -1 when `key` is not of that family. */
static int indexed(const char *key, const char *family, unsigned max, const char **rest)
{
	size_t n = strlen(family);
	char *end;
	unsigned long i;

	if (strncmp(key, family, n) != 0 || key[n] != '.')
		return -1;
	i = strtoul(key + n + 1, &end, 10);
	if (end == key + n + 1 || *end != '.' || i >= max)
		return -2;
	*rest = end + 1;
	return (int)i;
}

static int set_bearer(struct rl_cfg_bearer *b, const char *f, const char *key, const char *value,
		      char *err, unsigned cap)
{
	if (!strcmp(f, "rb_id"))
		U(b->rb_id, 32);
	if (!strcmp(f, "lcid"))
		U(b->lcid, 10);
	if (!strcmp(f, "srb"))
		U(b->srb, 1);
	if (!strcmp(f, "rlc")) {
		if (!strcmp(value, "am"))
			b->rlc_mode = RL_RLC_AM;
		else if (!strcmp(value, "um"))
			b->rlc_mode = RL_RLC_UM;
		else
			return fail(err, cap, "bad value for %s (am or um)", key);
		return 0;
	}
	if (!strcmp(f, "pdcp_sn_bits"))
		U(b->pdcp_sn_bits, 12);
	if (!strcmp(f, "um_sn_bits"))
		U(b->um_sn_bits, 10);
	if (!strcmp(f, "priority"))
		U(b->priority, 16);
	if (!strcmp(f, "lcg"))
		U(b->lcg, 3);
	if (!strcmp(f, "pbr_kbps"))
		U(b->pbr_kbps, 0xffff);
	if (!strcmp(f, "bsd_ms"))
		U(b->bsd_ms, 0xffff);
	if (!strcmp(f, "t_poll_retx_ms"))
		U(b->t_poll_retx_ms, 0xffff);
	if (!strcmp(f, "t_reordering_ms"))
		U(b->t_reordering_ms, 0xffff);
	if (!strcmp(f, "t_status_prohibit_ms"))
		U(b->t_status_prohibit_ms, 0xffff);
	if (!strcmp(f, "poll_pdu"))
		U(b->poll_pdu, 0xffff);
	if (!strcmp(f, "poll_byte"))
		U(b->poll_byte, UINT32_MAX);
	if (!strcmp(f, "max_retx"))
		U(b->max_retx, 0xffff);
	if (!strcmp(f, "discard_ms"))
		U(b->discard_ms, 0xffff);
	return fail(err, cap, "unknown key %s", key);
}

static int set_dir(struct chan_dir_config *d, const char *f, const char *key, const char *value,
		   char *err, unsigned cap)
{
	if (!strcmp(f, "bler"))
		D(d->bler);
	if (!strcmp(f, "burst"))
		U(d->burst, 1);
	if (!strcmp(f, "bad_bler"))
		D(d->bad_bler);
	if (!strcmp(f, "p_gb"))
		D(d->p_gb);
	if (!strcmp(f, "p_bg"))
		D(d->p_bg);
	return fail(err, cap, "unknown key %s", key);
}

static int set_flow(struct flow_config *fl, const char *f, const char *key, const char *value,
		    char *err, unsigned cap)
{
	if (!strcmp(f, "ue"))
		U(fl->ue, ENB_MAX_UES - 1);
	if (!strcmp(f, "type")) {
		if (!strcmp(value, "cbr"))
			fl->type = FLOW_CBR;
		else if (!strcmp(value, "full"))
			fl->type = FLOW_FULL;
		else if (!strcmp(value, "echo"))
			fl->type = FLOW_ECHO;
		else
			return fail(err, cap, "bad value for %s (cbr, full or echo)", key);
		return 0;
	}
	if (!strcmp(f, "dir")) {
		if (!strcmp(value, "dl"))
			fl->dir = FLOW_DL;
		else if (!strcmp(value, "ul"))
			fl->dir = FLOW_UL;
		else
			return fail(err, cap, "bad value for %s (dl or ul)", key);
		return 0;
	}
	if (!strcmp(f, "drb"))
		U(fl->drb, 32);
	if (!strcmp(f, "size"))
		U(fl->size, PKT_MAX);
	if (!strcmp(f, "rate_kbps"))
		U(fl->rate_kbps, 10000000);
	if (!strcmp(f, "interval_ms"))
		U(fl->interval_ms, UINT32_MAX);
	if (!strcmp(f, "window"))
		U(fl->window, UINT32_MAX);
	if (!strcmp(f, "start_ms"))
		U(fl->start_ms, UINT32_MAX);
	if (!strcmp(f, "stop_ms"))
		U(fl->stop_ms, UINT32_MAX);
	return fail(err, cap, "unknown key %s", key);
}

static int hexbytes(const char *v, uint8_t *out, unsigned n)
{
	unsigned i;

	if (strlen(v) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		char b[3] = {v[2 * i], v[2 * i + 1], 0}, *end;

		out[i] = (uint8_t)strtoul(b, &end, 16);
		if (*end)
			return -1;
	}
	return 0;
}

int config_set(struct sim_config *c, const char *key, const char *value, char *err, unsigned cap)
{
	const char *f;
	int i;

	if (!strcmp(key, "name")) {
		snprintf(c->name, sizeof(c->name), "%s", value);
		return 0;
	}
	if (!strcmp(key, "out_dir")) {
		snprintf(c->out_dir, sizeof(c->out_dir), "%s", value);
		return 0;
	}
	if (!strcmp(key, "seed"))
		U(c->seed, UINT64_MAX);
	if (!strcmp(key, "duration_ms"))
		U(c->duration_ms, 100000000);
	if (!strcmp(key, "cpu_hz"))
		U(c->cpu_hz, UINT32_MAX);
	if (!strcmp(key, "pcap"))
		U(c->pcap, 1);
	if (!strcmp(key, "ues"))
		U(c->enb.n_ue, ENB_MAX_UES);
	if (!strcmp(key, "cell.prbs_dl"))
		U(c->enb.prbs_dl, 1000);
	if (!strcmp(key, "cell.prbs_ul"))
		U(c->enb.prbs_ul, 1000);
	if (!strcmp(key, "cell.bytes_per_prb_dl"))
		U(c->enb.bytes_per_prb_dl, 0xffff);
	if (!strcmp(key, "cell.bytes_per_prb_ul"))
		U(c->enb.bytes_per_prb_ul, 0xffff);
	if (!strcmp(key, "cell.scheduler")) {
		if (!strcmp(value, "rr"))
			c->enb.policy = SCHED_RR;
		else if (!strcmp(value, "pf"))
			c->enb.policy = SCHED_PF;
		else
			return fail(err, cap, "bad value for %s (rr or pf)", key);
		return 0;
	}
	if (!strncmp(key, "drx.", 4)) {
		c->enb.drx_on = true;
		if (!strcmp(key, "drx.on_duration"))
			U(c->enb.drx.on_duration, 0xffff);
		if (!strcmp(key, "drx.inactivity"))
			U(c->enb.drx.inactivity, 0xffff);
		if (!strcmp(key, "drx.retx"))
			U(c->enb.drx.retx, 0xff);
		if (!strcmp(key, "drx.long_cycle"))
			U(c->enb.drx.long_cycle, 0xffff);
		if (!strcmp(key, "drx.start_offset"))
			U(c->enb.drx.start_offset, 0xffff);
		if (!strcmp(key, "drx.short_cycle"))
			U(c->enb.drx.short_cycle, 0xffff);
		if (!strcmp(key, "drx.short_cycle_timer"))
			U(c->enb.drx.short_cycle_timer, 0xff);
	}
	if (!strncmp(key, "paging.", 7)) {
		c->enb.paging_on = true;
		if (!strcmp(key, "paging.t"))
			U(c->enb.paging.t, 256);
		if (!strcmp(key, "paging.nb"))
			U(c->enb.paging.nb, 1024);
		if (!strcmp(key, "paging.ue_id"))
			U(c->enb.paging.ue_id, 1023);
		if (!strcmp(key, "paging.mmec"))
			U(c->enb.paging.mmec, 0xff);
		if (!strcmp(key, "paging.m_tmsi"))
			U(c->enb.paging.m_tmsi, 0xffffffffu);
	}
	if (!strcmp(key, "cell.max_harq_tx_dl"))
		U(c->enb.max_harq_tx_dl, 8);
	if (!strcmp(key, "cell.sr_grant"))
		U(c->enb.sr_grant, LINK_MAX_TBS);
	if (!strcmp(key, "cell.rlc_queue_sdus"))
		U(c->enb.rlc_max_sdus, 4096);
	if (!strcmp(key, "mac.max_harq_tx"))
		U(c->enb.mac.max_harq_tx, 8);
	if (!strcmp(key, "mac.preamble_trans_max"))
		U(c->enb.mac.preamble_trans_max, 200);
	if (!strcmp(key, "mac.periodic_bsr_ms"))
		U(c->enb.mac.periodic_bsr_ms, 0xffff);
	if (!strcmp(key, "mac.retx_bsr_ms"))
		U(c->enb.mac.retx_bsr_ms, 0xffff);
	if (!strcmp(key, "mac.rar_window")) {
		uint64_t x;

		if (num(value, 10, &x) < 0 || x < 2)
			return fail(err, cap, "bad value for %s (2..10)", key);
		c->enb.mac.rar_window = (uint8_t)x;
		c->enb.rar_window = (uint16_t)x;
		return 0;
	}
	if (!strcmp(key, "mac.cr_timer"))
		U(c->enb.mac.cr_timer, 64);
	if (!strcmp(key, "mac.num_preambles"))
		U(c->enb.mac.num_preambles, 64);
	if (!strcmp(key, "l3")) {
		if (!strcmp(value, "configured"))
			c->enb.attach = false;
		else if (!strcmp(value, "attach"))
			c->enb.attach = true;
		else
			return fail(err, cap, "bad value for %s (configured or attach)", key);
		return 0;
	}
	if (!strcmp(key, "l3.detach_ms")) {
		char *end;
		long v = strtol(value, &end, 10);

		if (!*value || *end || v < -100000000 || v > 100000000)
			return fail(err, cap, "bad value for %s (milliseconds)", key);
		c->detach_ms = (int32_t)v;
		return 0;
	}
	if (!strcmp(key, "security.eea"))
		U(c->enb.sec.eea, 2);
	if (!strcmp(key, "security.eia"))
		U(c->enb.sec.eia, 2);
	if (!strcmp(key, "security.kenb")) {
		if (hexbytes(value, c->enb.sec.kenb, 32) < 0)
			return fail(err, cap, "bad value for %s (64 hex digits)", key);
		return 0;
	}
	if (!strncmp(key, "channel.dl.", 11))
		return set_dir(&c->chan.dir[CHAN_DL], key + 11, key, value, err, cap);
	if (!strncmp(key, "channel.ul.", 11))
		return set_dir(&c->chan.dir[CHAN_UL], key + 11, key, value, err, cap);
	if ((i = indexed(key, "bearer", ENB_MAX_BEARERS, &f)) != -1) {
		if (i < 0)
			return fail(err, cap, "bad index in %s", key);
		if (i > seen_bearer) {
			/* A scenario that names bearers names all of them. */
			if (seen_bearer < 0)
				c->enb.n_bearers = 0;
			seen_bearer = i;
		}
		if ((unsigned)i + 1 > c->enb.n_bearers)
			c->enb.n_bearers = (unsigned)i + 1;
		return set_bearer(&c->enb.bearer[i], f, key, value, err, cap);
	}
	if ((i = indexed(key, "outage", CHAN_MAX_OUTAGES, &f)) != -1) {
		struct chan_outage *o = &c->chan.outage[i < 0 ? 0 : i];

		if (i < 0)
			return fail(err, cap, "bad index in %s", key);
		if ((unsigned)i + 1 > c->chan.n_outages) {
			c->chan.n_outages = (unsigned)i + 1;
			o->dl = o->ul = true;
			o->ue = -1;
		}
		if (!strcmp(f, "start_ms"))
			U(o->start, UINT32_MAX);
		if (!strcmp(f, "end_ms"))
			U(o->end, UINT32_MAX);
		if (!strcmp(f, "dl"))
			U(o->dl, 1);
		if (!strcmp(f, "ul"))
			U(o->ul, 1);
		if (!strcmp(f, "ue")) {
			if (!strcmp(value, "-1")) {
				o->ue = -1;
				return 0;
			}
			U(o->ue, ENB_MAX_UES - 1);
		}
		return fail(err, cap, "unknown key %s", key);
	}
	if ((i = indexed(key, "fault", SIM_MAX_FAULTS, &f)) != -1) {
		struct sim_fault *o = &c->fault[i < 0 ? 0 : i];

		if (i < 0)
			return fail(err, cap, "bad index in %s", key);
		if ((unsigned)i + 1 > c->n_faults) {
			c->n_faults = (unsigned)i + 1;
			o->ue = -1;
		}
		if (!strcmp(f, "task")) {
			struct link_writer w;
			struct rl_fault rf = {{0}};
			uint8_t buf[64];

			if (strlen(value) >= RL_FAULT_NAME)
				return fail(err, cap, "%s: a task name has at most 15 characters",
					    key);
			memcpy(rf.task, value, strlen(value));
			link_writer_init(&w, buf, sizeof(buf), RL_MAGIC, RL_MSG_DL, 0, 0);
			rl_put_fault(&w, &rf);
			if (w.err)
				return fail(err, cap, "%s: not a task name", key);
			memcpy(o->task, rf.task, RL_FAULT_NAME);
			return 0;
		}
		if (!strcmp(f, "at_ms"))
			U(o->at_ms, UINT32_MAX);
		if (!strcmp(f, "ue")) {
			if (!strcmp(value, "-1")) {
				o->ue = -1;
				return 0;
			}
			U(o->ue, ENB_MAX_UES - 1);
		}
		return fail(err, cap, "unknown key %s", key);
	}
	if ((i = indexed(key, "flow", TRAFFIC_MAX_FLOWS, &f)) != -1) {
		if (i < 0)
			return fail(err, cap, "bad index in %s", key);
		if ((unsigned)i + 1 > c->n_flows) {
			struct flow_config *fl = &c->flow[i];

			c->n_flows = (unsigned)i + 1;
			fl->drb = 1;
			fl->size = 1400;
			fl->window = 100000;
			fl->stop_ms = UINT32_MAX;
		}
		return set_flow(&c->flow[i], f, key, value, err, cap);
	}
	if ((i = indexed(key, "ue", ENB_MAX_UES, &f)) != -1) {
		struct sim_ue_config *u = &c->ue[i < 0 ? 0 : i];

		if (i < 0)
			return fail(err, cap, "bad index in %s", key);
		if (i > seen_ue)
			seen_ue = i;
		if (!strcmp(f, "kind")) {
			if (!strcmp(value, "host"))
				u->kind = UE_HOST;
			else if (!strcmp(value, "qemu"))
				u->kind = UE_QEMU;
			else
				return fail(err, cap, "bad value for %s (host or qemu)", key);
			return 0;
		}
		if (!strcmp(f, "cmd")) {
			if (strlen(value) >= sizeof(u->cmd))
				return fail(err, cap, "%s is too long", key);
			snprintf(u->cmd, sizeof(u->cmd), "%s", value);
			return 0;
		}
		if (!strcmp(f, "timeout_ms"))
			U(u->timeout_ms, UINT32_MAX);
		if (!strcmp(f, "bytes_per_prb_dl"))
			U(c->enb.ue_bpp_dl[i], 0xffff);
		if (!strcmp(f, "bytes_per_prb_ul"))
			U(c->enb.ue_bpp_ul[i], 0xffff);
		if (!strcmp(f, "imsi")) {
			size_t n = strlen(value);

			if (n < 6 || n > 15 || strspn(value, "0123456789") != n)
				return fail(err, cap, "bad value for %s (6 to 15 digits)", key);
			memset(u->sim.imsi, 0, sizeof(u->sim.imsi));
			memcpy(u->sim.imsi, value, n);
			return 0;
		}
		if (!strcmp(f, "k") || !strcmp(f, "opc") || !strcmp(f, "hss_k")) {
			uint8_t *dst = !strcmp(f, "k")	   ? u->sim.k
				       : !strcmp(f, "opc") ? u->sim.opc
							   : u->hss_k;

			if (hexbytes(value, dst, 16) < 0)
				return fail(err, cap, "bad value for %s (32 hex digits)", key);
			u->hss_k_set |= dst == u->hss_k;
			return 0;
		}
		if (!strcmp(f, "sqn"))
			U(u->sim.sqn, 0xffffffffffffull);
		if (!strcmp(f, "hss_sqn"))
			U(u->hss_sqn, 0xffffffffffffull);
		return fail(err, cap, "unknown key %s", key);
	}
	return fail(err, cap, "unknown key %s", key);
}

int config_check(struct sim_config *c, char *err, unsigned cap)
{
	char what[64];
	unsigned i, k;

	if (c->enb.n_ue == 0)
		return fail(err, cap, "%s", "ues must be 1 or more");
	/* The HSS: each UE's subscription, the card's K unless hss_k says otherwise. */
	for (i = 0; i < c->enb.n_ue; i++) {
		const struct sim_ue_config *u = &c->ue[i];
		struct enb_subscriber *sb = &c->enb.sub[i];

		for (k = 0; k < i; k++)
			if (!memcmp(c->ue[k].sim.imsi, u->sim.imsi, sizeof(u->sim.imsi))) {
				snprintf(what, sizeof(what), "ue.%u has the IMSI of ue.%u", i, k);
				return fail(err, cap, "%s", what);
			}
		memcpy(sb->imsi, u->sim.imsi, sizeof(sb->imsi));
		memcpy(sb->k, u->hss_k_set ? u->hss_k : u->sim.k, 16);
		memcpy(sb->opc, u->sim.opc, 16);
		sb->sqn = u->hss_sqn;
	}
	if (seen_ue >= (int)c->enb.n_ue) {
		snprintf(what, sizeof(what), "ue.%d is beyond ues", seen_ue);
		return fail(err, cap, "%s", what);
	}
	for (i = 0; i < c->n_faults; i++)
		if (!c->fault[i].task[0] ||
		    (c->fault[i].ue >= 0 && (unsigned)c->fault[i].ue >= c->enb.n_ue))
			return fail(err, cap, "%s", "every fault needs a task and an existing UE");
	if (c->duration_ms == 0 || c->cpu_hz < 1000)
		return fail(err, cap, "%s", "duration_ms and cpu_hz must be positive");
	if (!c->enb.prbs_dl || !c->enb.prbs_ul || !c->enb.bytes_per_prb_dl ||
	    !c->enb.bytes_per_prb_ul)
		return fail(err, cap, "%s",
			    "the cell needs PRBs and bytes per PRB in both directions");
	if (c->enb.mac.num_preambles == 0 || c->enb.mac.preamble_trans_max == 0 ||
	    c->enb.mac.max_harq_tx == 0 || c->enb.max_harq_tx_dl == 0)
		return fail(err, cap, "%s",
			    "mac.num_preambles, preamble_trans_max and the HARQ "
			    "limits must be at least 1");
	if (c->enb.drx_on &&
	    mac_drx_configure(&(struct mac_drx){0},
			      &(struct mac_drx_config){.on_duration = c->enb.drx.on_duration,
						       .inactivity = c->enb.drx.inactivity,
						       .retx = c->enb.drx.retx,
						       .long_cycle = c->enb.drx.long_cycle,
						       .start_offset = c->enb.drx.start_offset,
						       .short_cycle = c->enb.drx.short_cycle,
						       .short_cycle_timer =
							       c->enb.drx.short_cycle_timer}) != 0)
		return fail(err, cap, "%s",
			    "drx.*: a DRX-Config TS 36.331 does not allow (value sets, offset "
			    "inside the long cycle, long cycle a multiple of the short one)");
	if (c->enb.paging_on &&
	    (c->enb.attach ||
	     paging_occasion(&(struct paging_config){.t = c->enb.paging.t, .nb = c->enb.paging.nb},
			     &(struct paging_occasion){0}) != 0))
		return fail(err, cap, "%s",
			    "paging.*: T one of 32, 64, 128, 256 and nB one of 4T .. T/32 "
			    "(TS 36.304 §7), configured mode only");
	if ((c->enb.sec.eea != 0 && c->enb.sec.eea != 2) ||
	    (c->enb.sec.eia != 0 && c->enb.sec.eia != 2))
		return fail(err, cap, "%s", "security.eea and security.eia are 0 or 2");
	for (i = 0; i < c->enb.n_bearers; i++) {
		struct rl_cfg_bearer *b = &c->enb.bearer[i];

		snprintf(what, sizeof(what), "bearer.%u", i);
		if (b->lcid == 0 || b->rb_id == 0)
			return fail(err, cap, "%s needs rb_id and lcid", what);
		if (b->srb ? b->pdcp_sn_bits != 5 || b->rlc_mode != RL_RLC_AM
			   : (b->pdcp_sn_bits != 7 && b->pdcp_sn_bits != 12) ||
				     (b->rlc_mode == RL_RLC_AM && b->pdcp_sn_bits != 12))
			return fail(err, cap, "%s: PDCP SN length does not fit the bearer", what);
		if (b->rlc_mode == RL_RLC_UM && b->um_sn_bits != 5 && b->um_sn_bits != 10)
			return fail(err, cap, "%s: um_sn_bits is 5 or 10", what);
		if (b->rlc_mode == RL_RLC_AM && b->max_retx == 0)
			return fail(err, cap, "%s: max_retx must be at least 1", what);
		for (k = 0; k < i; k++)
			if (c->enb.bearer[k].lcid == b->lcid)
				return fail(err, cap, "%s: its LCID is taken", what);
	}
	for (i = 0; i < c->chan.n_outages; i++)
		if (c->chan.outage[i].end <= c->chan.outage[i].start)
			return fail(err, cap, "%s", "an outage ends before it starts");
	for (i = 0; i < c->n_flows; i++) {
		struct flow_config *fl = &c->flow[i];
		bool drb = false;

		snprintf(what, sizeof(what), "flow.%u", i);
		if (fl->ue >= c->enb.n_ue)
			return fail(err, cap, "%s: no such UE", what);
		for (k = 0; k < c->enb.n_bearers; k++)
			drb |= !c->enb.bearer[k].srb && c->enb.bearer[k].rb_id == fl->drb;
		if (!drb)
			return fail(err, cap, "%s: no such DRB", what);
		if (fl->size < PKT_MIN || fl->size > PKT_MAX)
			return fail(err, cap, "%s: size is out of range", what);
		if ((fl->type == FLOW_CBR && !fl->rate_kbps) ||
		    (fl->type == FLOW_ECHO && !fl->interval_ms) ||
		    (fl->type == FLOW_FULL && fl->window < fl->size))
			return fail(err, cap, "%s: rate_kbps, interval_ms or window missing", what);
	}
	for (i = 0; i < c->enb.n_ue; i++)
		if (c->ue[i].kind == UE_QEMU && !c->ue[i].cmd[0]) {
			snprintf(what, sizeof(what), "ue.%u", i);
			return fail(err, cap, "%s: a qemu UE needs cmd", what);
		}
	c->enb.seed = c->seed;
	c->chan.seed = c->seed;
	c->enb.mac.cpu_hz = c->cpu_hz;
	return 0;
}

int config_load(struct sim_config *c, const char *path, char *err, unsigned cap)
{
	char line[2048], msg[256];
	unsigned n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, cap, "%s: error: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key = line, *eq, *value, *end;

		n++;
		line[strcspn(line, "\r\n")] = 0;
		while (*key == ' ' || *key == '\t')
			key++;
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			snprintf(err, cap, "%s:%u: error: expected key = value", path, n);
			fclose(f);
			return -1;
		}
		value = eq + 1;
		for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = 0;
		while (*value == ' ' || *value == '\t')
			value++;
		for (end = value + strlen(value);
		     end > value && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = 0;
		if (config_set(c, key, value, msg, sizeof(msg)) < 0) {
			snprintf(err, cap, "%s:%u: error: %s", path, n, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}
