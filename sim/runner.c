/* SPDX-License-Identifier: BSD-2-Clause */
/* The lockstep loop: HELLO/CONFIG, then per subframe AP data, DL, UL, host link, eNB; then END. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "l2/sec.h"
#include "runner.h"
#include "ue_host.h"

#define END_TIMEOUT_MS 60000

void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->log)
		return;
	fprintf(s->log, "%u ", s->sf);
	va_start(ap, fmt);
	vfprintf(s->log, fmt, ap);
	va_end(ap);
	fputc('\n', s->log);
}

static void enb_log_hook(void *ctx, enum l2_log_level level, const char *event, int32_t a,
			 int32_t b)
{
	static const char *const lv[] = {"error", "warn", "info", "debug"};

	sim_log(ctx, "enb %s %s %d %d", lv[level & 3], event, a, b);
}

static void fail(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	sim_log(s, "error %s", s->error);
}

static void tshark_args(struct sim *s);

/* ---------------------------------------------------------------- traffic ends */

static int io_send(void *ctx, enum flow_dir dir, unsigned ue, uint8_t drb, const uint8_t *pkt,
		   uint16_t len)
{
	struct sim *s = ctx;
	struct sim_ue *u;
	unsigned at;

	if (ue >= s->cfg->enb.n_ue)
		return -1;
	if (dir == FLOW_DL)
		return enb_tx_ip(&s->enb, ue, drb, pkt, len) < 0 ? -1 : 0;
	u = &s->ue[ue];
	/* Attach mode: the AP sends only once the modem has given it its address. */
	if (s->cfg->enb.attach && !u->ap.has_addr)
		return -1;
	if (u->ob_n == SIM_OUTBOX) {
		u->ob_refused++;
		return -1;
	}
	at = (u->ob_head + u->ob_n++) % SIM_OUTBOX;
	u->outbox[at].len = len;
	u->outbox[at].drb = drb;
	memcpy(u->outbox[at].p, pkt, len);
	return 0;
}

/* The network side receives an UL packet out of the eNB's DRB. */
static void net_rx(void *ctx, unsigned ue, uint8_t rb_id, const uint8_t *pkt, uint16_t len)
{
	struct sim *s = ctx;

	(void)rb_id;
	traffic_rx(&s->traffic, s->sf, FLOW_UL, ue, pkt, len, &s->io);
}

/* ---------------------------------------------------------------- captures */

static int file_sink(void *ctx, const void *data, uint32_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : L2_EMSGSIZE;
}

/*
 * The UEId of the captures: UE index + 1, plus 16 for each re-establishment, so Wireshark
 * (which learns PDCP COUNTs and RLC SNs per UEId) starts afresh with the new connection's
 * reset PDCP and RLC, as the eNB and the UE do.
 */
static uint16_t sim_ueid(const struct sim *s, unsigned ue)
{
	return (uint16_t)(ue + 1 +
			  SIM_UEID_STEP *
				  (s->enb.ue[ue].stats.reconnections % SIM_UEID_GENERATIONS));
}

static void capture(struct sim *s, struct pcap_writer *w, bool dl, unsigned ue, uint8_t rnti_type,
		    uint16_t rnti, uint8_t retx, bool crc_ok, const uint8_t *tb, uint32_t len)
{
	struct mac_lte_ctx c = {.direction = dl ? MAC_LTE_DL : MAC_LTE_UL,
				.rnti_type = rnti_type,
				.rnti = rnti,
				.ueid = sim_ueid(s, ue),
				.sfn = (uint16_t)(s->sf / 10 % 1024),
				.subframe = (uint8_t)(s->sf % 10),
				.retx = retx,
				.crc_ok = crc_ok};

	if (s->f_enb && s->f_ue)
		pcap_write_mac(w, (uint64_t)s->sf * 1000 + (dl ? 0 : 500), &c, tb, len);
}

/* nas.pcap: the plain NAS messages (attach mode), for the nas-eps dissector. */
static void nas_capture(void *ctx, unsigned ue, bool ul, const uint8_t *pdu, uint32_t len)
{
	struct sim *s = ctx;

	uint64_t t = (uint64_t)s->sf * 1000;

	(void)ue, (void)ul;
	/* In the order the network saw them, 1 us apart within a subframe. */
	s->nas_time = t > s->nas_time ? t : s->nas_time + 1;
	if (s->f_nas)
		pcap_write_pdu(&s->pcap_nas, s->nas_time, "nas-eps", pdu, len);
}

/* ---------------------------------------------------------------- receiving */

static const char *port_error_name(int err)
{
	switch (err) {
	case PORT_ETIMEOUT:
		return "timeout";
	case PORT_EDEAD:
		return "UE gone";
	case PORT_ETOOBIG:
		return "oversized message";
	default:
		return "link error";
	}
}

/*
 * QEMU may pad a short frame to the 60-byte Ethernet minimum: the header's length is the
 * message, the rest is padding.
 */
static uint32_t trim_padding(const uint8_t *p, uint32_t n)
{
	uint32_t len;

	if (n < LINK_HDR_LEN || n > 60)
		return n;
	len = (uint32_t)p[14] | (uint32_t)p[15] << 8;
	return len >= LINK_HDR_LEN && len < n ? len : n;
}

static void refuse(struct sim *s, struct sim_ue *u, uint32_t *counter, const char *why, uint32_t a)
{
	(*counter)++;
	sim_log(s, "ue %u refused %s %u", u->idx, why, a);
}

/*
 * The UE's radio answer of type `type` (for `sf` when a UL). 0 with `m` parsed in s->rx; 1
 * when the answer was refused (malformed, out of sequence, unexpected: counted and logged;
 * docs/radio-link.md §6.5 has the caller treat it as an answer with nothing in it); -1 when
 * the run is over (s->error).
 */
static int expect_radio(struct sim *s, struct sim_ue *u, uint8_t type, uint32_t sf,
			struct link_msg *m)
{
	const struct sim_ue_config *uc = &s->cfg->ue[u->idx];
	int n = u->port->ops->recv(u->port, PORT_RADIO, s->rx, LINK_MAX_MSG, uc->timeout_ms);

	if (n == PORT_ETOOBIG) {
		refuse(s, u, &u->refused.malformed, "oversized", 0);
		return 1;
	}
	if (n < 0) {
		fail(s, "UE %u: %s waiting for its answer to subframe %u: %s%s%s", u->idx,
		     port_error_name(n), sf, u->port->err, u->console[0] ? "; console: " : "",
		     u->console);
		return -1;
	}
	n = (int)trim_padding(s->rx, (uint32_t)n);
	/* The radio link's magic with another version: the peers were built apart. */
	if (n >= (int)LINK_HDR_LEN && s->rx[0] == (RL_MAGIC & 0xff) && s->rx[1] == RL_MAGIC >> 8 &&
	    s->rx[2] != LINK_VERSION) {
		fail(s,
		     "UE %u speaks radio-link version %u, this simulator version %u: build both "
		     "from one tree (scons sim)",
		     u->idx, s->rx[2], LINK_VERSION);
		return -1;
	}
	if (link_parse(s->rx, (uint32_t)n, m) < 0 || m->magic != RL_MAGIC) {
		refuse(s, u, &u->refused.malformed, "malformed", (uint32_t)n);
		return 1;
	}
	/* §6.4: a gap or a repeat is refused and does not move what comes next. */
	if (m->seq != u->rx_seq[PORT_RADIO]) {
		refuse(s, u, &u->refused.sequence, "sequence", m->seq);
		return 1;
	}
	u->rx_seq[PORT_RADIO]++;
	if (m->type != type || (type == RL_MSG_UL && m->subframe != sf)) {
		refuse(s, u, &u->refused.unexpected, "type", m->type);
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- the AP's AT side */

static void at_queue(struct sim_ue *u, const char *cmd)
{
	struct sim_ap *a = &u->ap;

	if (a->q_n == SIM_AT_QUEUE)
		return;
	snprintf(a->queue[(a->q_head + a->q_n++) % SIM_AT_QUEUE], sizeof(a->queue[0]), "%s", cmd);
}

static bool starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

/* One line from the modem: a final result code, an information response or a URC. */
static void at_line(struct sim *s, struct sim_ue *u, const char *text, uint16_t len)
{
	struct sim_ap *a = &u->ap;
	char line[AP_AT_MAX + 1];
	unsigned v[4], stat;

	memcpy(line, text, len);
	line[len] = 0;
	a->at_lines++;
	sim_log(s, "ue %u at< %s", u->idx, line);
	if (!strcmp(line, "OK") || !strcmp(line, "ERROR") || starts(line, len, "+CME ERROR")) {
		a->waiting = false;
		a->at_errors += strcmp(line, "OK") != 0;
		return;
	}
	if (sscanf(line, "+CEREG: %u", &stat) == 1 && !strchr(line, ',')) {
		/* The URC (+CEREG=1): registered, home network or roaming (TS 27.007 §10.1.22). */
		if ((stat == 1 || stat == 5) && !a->registered) {
			a->registered = true;
			a->registrations++;
			a->attach_sf = s->sf;
			if (a->registrations == 1)
				a->attach_subframes = s->sf - a->cfun_sf;
			at_queue(u, "AT+CGPADDR=1");
			at_queue(u, "AT+CSQ");
		} else if (stat != 1 && stat != 5 && a->registered) {
			a->registered = a->has_addr = false;
			a->deregistrations++;
		}
		return;
	}
	if (sscanf(line, "+CGPADDR: 1,\"%u.%u.%u.%u\"", &v[0], &v[1], &v[2], &v[3]) == 4) {
		uint32_t want = pkt_ue_addr(u->idx);

		a->addr[0] = (uint8_t)v[0], a->addr[1] = (uint8_t)v[1];
		a->addr[2] = (uint8_t)v[2], a->addr[3] = (uint8_t)v[3];
		a->has_addr = a->registered;
		if ((uint32_t)(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]) != want)
			sim_log(s, "ue %u error: address %s is not the flows' %u.%u.%u.%u", u->idx,
				line, want >> 24, want >> 16 & 255, want >> 8 & 255, want & 255);
		return;
	}
	if (sscanf(line, "+CSQ: %u", &v[0]) == 1)
		a->csq = (int)v[0];
}

/* Read the host link until the UE's count of host-link messages is reached. */
static int drain_host(struct sim *s, struct sim_ue *u, uint32_t ap_tx)
{
	const struct sim_ue_config *uc = &s->cfg->ue[u->idx];

	if ((int32_t)(ap_tx - u->ap_rx) < 0) {
		refuse(s, u, &u->refused.unexpected, "ap_tx_backwards", ap_tx);
		return 0;
	}
	while (u->ap_rx != ap_tx) {
		struct link_msg m;
		struct link_item it;
		uint32_t pos = 0;
		int n = u->port->ops->recv(u->port, PORT_HOST, s->rx, LINK_MAX_MSG, uc->timeout_ms);

		if (n == PORT_ETOOBIG) {
			u->ap_rx++;
			refuse(s, u, &u->refused.malformed, "host_oversized", 0);
			continue;
		}
		if (n < 0) {
			fail(s, "UE %u: %s on the host link at subframe %u (%u of %u messages): %s",
			     u->idx, port_error_name(n), s->sf, u->ap_rx, ap_tx, u->port->err);
			return -1;
		}
		u->ap_rx++;
		n = (int)trim_padding(s->rx, (uint32_t)n);
		if (link_parse(s->rx, (uint32_t)n, &m) < 0 || m.magic != AP_MAGIC) {
			refuse(s, u, &u->refused.malformed, "host_malformed", (uint32_t)n);
			continue;
		}
		if (m.seq != u->rx_seq[PORT_HOST]) {
			refuse(s, u, &u->refused.sequence, "host_sequence", m.seq);
			u->rx_seq[PORT_HOST] = m.seq + 1;
			continue;
		}
		u->rx_seq[PORT_HOST]++;
		if (m.type == AP_MSG_AT_RSP) {
			const char *text;
			uint16_t len;

			while (link_next(&m, &pos, &it))
				if (ap_get_at(&it, &text, &len) == 0)
					at_line(s, u, text, len);
			continue;
		}
		if (m.type != AP_MSG_DATA_DL) {
			refuse(s, u, &u->refused.unexpected, "host_type", m.type);
			continue;
		}
		u->ap_dl_msgs++;
		while (link_next(&m, &pos, &it)) {
			const uint8_t *pkt;
			uint16_t len;
			uint8_t rb;

			if (ap_get_ip(&it, &rb, &pkt, &len) < 0)
				continue;
			u->ap_dl_pkts++;
			traffic_rx(&s->traffic, s->sf, FLOW_DL, u->idx, pkt, len, &s->io);
		}
	}
	return 0;
}

static int send_msg(struct sim *s, struct sim_ue *u, enum port_link link, int len)
{
	int err;

	if (len < 0) {
		fail(s, "UE %u: cannot build a message (%d)", u->idx, len);
		return -1;
	}
	err = u->port->ops->send(u->port, link, s->msg, (uint32_t)len);
	if (err < 0) {
		fail(s, "UE %u: %s sending at subframe %u: %s%s%s", u->idx, port_error_name(err),
		     s->sf, u->port->err, u->console[0] ? "; console: " : "", u->console);
		return -1;
	}
	u->tx_seq[link]++;
	return 0;
}

/* An IDLE answer, then whatever host-link messages it counts. */
static int expect_idle(struct sim *s, struct sim_ue *u, uint32_t sf)
{
	struct link_msg m;
	struct link_item it;
	struct rl_idle idle;
	uint32_t pos = 0;

	int r = expect_radio(s, u, RL_MSG_IDLE, sf, &m);

	/* A refused answer is an IDLE with nothing new on the host link. */
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (!link_next(&m, &pos, &it) || rl_get_idle(&it, &idle) < 0)
		return 0;
	return drain_host(s, u, idle.ap_tx);
}

/* ---------------------------------------------------------------- boot and end */

static int boot(struct sim *s, struct sim_ue *u)
{
	const struct sim_config *c = s->cfg;
	struct link_writer w;
	struct link_msg m;
	struct link_item it;
	struct rl_hello hello;
	struct rl_cfg_mac mac = c->enb.mac;
	uint32_t pos = 0;
	unsigned i;
	int r;

	if (!u->port) {
		fail(s, "UE %u has no port", u->idx);
		return -1;
	}
	/* Nothing goes to the UE before its HELLO: anything else is refused meanwhile. */
	while ((r = expect_radio(s, u, RL_MSG_HELLO, 0, &m)) > 0)
		;
	if (r < 0)
		return -1;
	link_next(&m, &pos, &it);
	rl_get_hello(&it, &hello);
	u->fw_version = hello.fw_version;
	u->max_tbs = hello.max_tbs < LINK_MAX_TBS ? hello.max_tbs : LINK_MAX_TBS;
	if (u->max_tbs < ENB_MSG3_TBS) {
		fail(s, "UE %u: its HELLO takes TBs of %u bytes at most", u->idx, hello.max_tbs);
		return -1;
	}
	s->enb.ue[u->idx].max_tbs = (uint16_t)u->max_tbs;
	sim_log(s, "ue %u hello fw_version %08x max_tbs %u", u->idx, hello.fw_version,
		hello.max_tbs);
	/* CONFIG, the RRC stand-in: MAC, the bearers, security. */
	link_writer_init(&w, s->msg, LINK_MAX_MSG, RL_MAGIC, RL_MSG_CONFIG, u->tx_seq[PORT_RADIO],
			 0);
	mac.ue_id = (uint16_t)u->idx;
	rl_put_cfg_mac(&w, &mac);
	/* Attach mode: the MAC only; RRC brings the bearers and NAS the keys. */
	for (i = 0; i < c->enb.n_bearers && !c->enb.attach; i++)
		rl_put_cfg_bearer(&w, &c->enb.bearer[i]);
	if (!c->enb.attach)
		rl_put_cfg_security(&w, &c->enb.sec);
	if (c->enb.drx_on)
		rl_put_cfg_drx(&w, &c->enb.drx);
	if (c->enb.paging_on) {
		struct rl_cfg_paging pg;

		enb_paging_ue(&s->enb, u->idx, &pg);
		rl_put_cfg_paging(&w, &pg);
	}
	if (send_msg(s, u, PORT_RADIO, link_finish(&w)) < 0)
		return -1;
	return expect_idle(s, u, 0);
}

static void end(struct sim *s)
{
	/* After an error a UE may be hung: a short wait, then sim_free kills it. */
	uint32_t wait = s->error[0] ? 1000 : END_TIMEOUT_MS;
	bool failed = s->error[0] != 0;
	unsigned i;

	for (i = 0; i < s->cfg->enb.n_ue && !failed; i++) {
		struct sim_ue *u = &s->ue[i];
		struct link_writer w;

		if (!u->port)
			continue;
		/* §6.2: the IDLE answering END is not waited for, the UE's exit is. */
		link_writer_init(&w, s->msg, LINK_MAX_MSG, RL_MAGIC, RL_MSG_END,
				 u->tx_seq[PORT_RADIO], s->sf);
		send_msg(s, u, PORT_RADIO, link_finish(&w));
	}
	for (i = 0; i < s->cfg->enb.n_ue; i++) {
		struct sim_ue *u = &s->ue[i];

		if (!u->port)
			continue;
		u->exit_status = u->port->ops->finish(u->port, wait);
		if (u->exit_status != 0 && !s->error[0] && s->cfg->ue[i].kind == UE_QEMU)
			fail(s, "UE %u: exit status %d after END: %s; console: %s", i,
			     u->exit_status, u->exit_status < 0 ? u->port->err : "", u->console);
	}
}

/* ---------------------------------------------------------------- one subframe */

/* The AP's batch of UL IP packets for this subframe, answered by IDLE. */
static int send_ap_batch(struct sim *s, struct sim_ue *u)
{
	struct link_writer w;

	link_writer_init(&w, s->msg, LINK_MAX_MSG, AP_MAGIC, AP_MSG_DATA_UL, u->tx_seq[PORT_HOST],
			 s->sf);
	while (u->ob_n && w.n_items < LINK_MAX_ITEMS) {
		unsigned at = u->ob_head;

		if (w.len + LINK_ITEM_HDR + AP_IP_FIXED + u->outbox[at].len > LINK_MAX_MSG)
			break;
		ap_put_ip(&w, u->outbox[at].drb, u->outbox[at].p, u->outbox[at].len);
		u->ob_head = (u->ob_head + 1) % SIM_OUTBOX;
		u->ob_n--;
	}
	u->ap_ul_msgs++;
	u->wake_at = s->sf; /* a message wakes the firmware */
	return send_msg(s, u, PORT_HOST, link_finish(&w));
}

/*
 * The HARQ retransmission number a receiver's capture shows: 0 for the first copy that
 * receiver decoded (its earlier copies never reached it), so Wireshark's RLC analysis does
 * not take the first data it sees for a repeat.
 */
static uint8_t first_copy(uint8_t *seen, uint8_t pid, uint8_t retx, bool decoded)
{
	uint8_t *bit = &seen[pid & 7], shown;

	if (retx == 0) {
		*bit = decoded;
		return 0;
	}
	shown = *bit ? retx : 0;
	*bit |= decoded;
	return shown;
}

static int send_dl(struct sim *s, struct sim_ue *u)
{
	const struct enb_ue *eu = &s->enb.ue[u->idx];
	const struct enb_dl_out *o = &eu->out;
	struct link_writer w;
	unsigned k;

	link_writer_init(&w, s->msg, LINK_MAX_MSG, RL_MAGIC, RL_MSG_DL, u->tx_seq[PORT_RADIO],
			 s->sf);
	/* Faults to inject, in file order, one per message: the first unsent one for this UE
	 * goes out in its first DL message at or after its subframe. */
	for (k = 0; k < s->cfg->n_faults; k++) {
		const struct sim_fault *f = &s->cfg->fault[k];
		struct rl_fault rf;

		if ((u->faults_sent & (1u << k)) || (f->ue >= 0 && (unsigned)f->ue != u->idx))
			continue;
		if (s->sf >= f->at_ms) {
			memcpy(rf.task, f->task, RL_FAULT_NAME);
			rl_put_fault(&w, &rf);
			u->faults_sent |= 1u << k;
			sim_log(s, "sf %u ue %u: fault injected into task %s", s->sf, u->idx,
				f->task);
		}
		break;
	}
	for (k = 0; k < o->n_phich; k++)
		rl_put_phich(&w, &o->ph[k]);
	for (k = 0; k < o->n_tb; k++) {
		const struct enb_dl_tb *t = &o->tb[k];
		uint8_t *p = rl_put_dl_tb_begin(&w, &t->tb);
		uint8_t shown;
		bool hit;

		if (!p)
			break;
		memcpy(p, t->tb.tb, t->tb.tbs);
		link_put_tb_end(&w);
		capture(s, &s->pcap_enb, true, u->idx, t->rnti_type, t->tb.rnti, t->retx, true, p,
			t->tb.tbs);
		/* The channel, after the CRC: bits in the TB or its parity. */
		hit = chan_apply(&s->chan, u->idx, CHAN_DL, s->sf, k, p, t->tb.tbs + CRC24_LEN);
		u->dl_corrupted += hit;
		if (t->rnti_type == MAC_LTE_C_RNTI)
			u->dl_corrupt[t->tb.harq_pid & 7] = hit;
		shown = t->rnti_type == MAC_LTE_C_RNTI
				? first_copy(u->dl_seen, t->tb.harq_pid, t->retx, !hit)
				: t->retx;
		if (!hit)
			capture(s, &s->pcap_ue, true, u->idx, t->rnti_type, t->tb.rnti, shown, true,
				p, t->tb.tbs);
	}
	for (k = 0; k < o->n_grant; k++)
		rl_put_ul_grant(&w, &o->grant[k]);
	return send_msg(s, u, PORT_RADIO, link_finish(&w));
}

static void rx_ul_tb(struct sim *s, struct sim_ue *u, struct link_item *it, unsigned k)
{
	uint8_t *body = s->rx + (it->body - s->rx), retx = 0, shown;
	struct rl_ul_tb tb;
	bool hit;

	if (rl_get_ul_tb(it, &tb) < 0)
		return;
	/* The UE's view: as sent. The eNB's: after the channel, its own CRC check. */
	memcpy(s->tb, tb.tb, tb.tbs);
	hit = chan_apply(&s->chan, u->idx, CHAN_UL, s->sf, k, body + RL_UL_TB_FIXED,
			 tb.tbs + CRC24_LEN);
	u->ul_corrupted += hit;
	rl_get_ul_tb(it, &tb);
	if (hit && tb.crc_ok)
		u->ul_corrupt_passed++;
	enb_rx_ul_tb(&s->enb, u->idx, s->sf, &tb, &retx);
	shown = first_copy(u->ul_seen, tb.harq_pid, retx, tb.crc_ok);
	capture(s, &s->pcap_ue, false, u->idx, MAC_LTE_C_RNTI, tb.rnti, retx, true, s->tb, tb.tbs);
	if (tb.crc_ok)
		capture(s, &s->pcap_enb, false, u->idx, MAC_LTE_C_RNTI, tb.rnti, shown, true, tb.tb,
			tb.tbs);
}

/* RL_ITEM_TASK_CYCLES: each task's cycles for the subframe whose DONE follows. */
static void rx_task_cycles(struct sim *s, struct sim_ue *u, const struct link_item *it)
{
	static struct rl_task_cycles t;
	uint32_t i;
	unsigned k;

	if (rl_get_task_cycles(it, &t) < 0)
		return;
	u->task_items++;
	for (i = 0; i < t.n; i++) {
		for (k = 0; k < u->n_tasks && strcmp(u->task[k].name, t.e[i].task) != 0; k++)
			;
		if (k == u->n_tasks) {
			if (k == SIM_TASKS) {
				u->task_overflow++;
				continue;
			}
			u->task[k].cycles = calloc(s->cfg->duration_ms + 1, sizeof(uint32_t));
			if (!u->task[k].cycles) {
				u->task_overflow++;
				continue;
			}
			memcpy(u->task[k].name, t.e[i].task, RL_TASK_NAME);
			u->n_tasks++;
		}
		if (u->n_cycles <= s->cfg->duration_ms)
			u->task[k].cycles[u->n_cycles] = t.e[i].cycles;
	}
}

static int rx_ul(struct sim *s, struct sim_ue *u)
{
	struct link_msg m;
	struct link_item it;
	uint32_t pos = 0, ap_tx = u->ap_rx;
	unsigned k = 0;

	int r = expect_radio(s, u, RL_MSG_UL, s->sf, &m);

	if (r < 0)
		return -1;
	/* A refused answer stands for DONE(N, N + 1) and nothing else (§6.5). */
	if (r > 0)
		u->wake_at = s->sf + 1;
	while (r == 0 && link_next(&m, &pos, &it)) {
		struct rl_harq_ack a;
		struct rl_prach pr;
		struct rl_done d;

		switch (it.type) {
		case RL_ITEM_UL_TB:
			rx_ul_tb(s, u, &it, k++);
			break;
		case RL_ITEM_HARQ_ACK:
			if (rl_get_harq_ack(&it, &a) < 0)
				break;
			/* A TB the channel hit cannot pass the UE's CRC check. */
			if (a.ack && u->dl_corrupt[a.harq_pid & 7])
				u->dl_corrupt_acked++;
			enb_rx_harq_ack(&s->enb, u->idx, s->sf, &a);
			break;
		case RL_ITEM_SR:
			enb_rx_sr(&s->enb, u->idx, s->sf);
			break;
		case RL_ITEM_PRACH:
			if (rl_get_prach(&it, &pr) == 0)
				enb_rx_prach(&s->enb, u->idx, s->sf, &pr);
			break;
		case RL_ITEM_TASK_CYCLES:
			rx_task_cycles(s, u, &it);
			break;
		case RL_ITEM_DONE:
			if (rl_get_done(&it, &d) < 0)
				break;
			u->cycles[u->n_cycles++] = d.cycles;
			u->deadline_misses += d.cycles > s->cfg->cpu_hz / 1000;
			u->wake_at = d.wake_at;
			ap_tx = d.ap_tx;
			break;
		}
	}
	memset(u->dl_corrupt, 0, sizeof(u->dl_corrupt));
	enb_ul_end(&s->enb, u->idx, s->sf);
	return drain_host(s, u, ap_tx);
}

static void progress(struct sim *s, bool last)
{
	static struct timespec t0, shown;
	struct timespec now;
	double wall, since;

	if (!s->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->sf == 0 && !last) {
		t0 = shown = now;
		return;
	}
	since = (double)(now.tv_sec - shown.tv_sec) + (double)(now.tv_nsec - shown.tv_nsec) / 1e9;
	if (!last && since < 0.25)
		return;
	shown = now;
	wall = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "\r%s: subframe %u/%u (%3.0f%%), %.2fx real time, ETA %.0f s   %s",
		s->cfg->name, s->sf, s->cfg->duration_ms, 100.0 * s->sf / s->cfg->duration_ms,
		wall > 0 ? s->sf / 1000.0 / wall : 0.0,
		s->sf ? wall * (s->cfg->duration_ms - s->sf) / s->sf : 0.0, last ? "\n" : "");
}

/*
 * Attach mode, the AP of `u` this subframe: the SIM at first, then its commands one at a
 * time (each answered by IDLE, the modem's lines counted in it): +CMEE=2, +CEREG=1,
 * +CGDCONT, +CFUN=1; on "+CEREG: 1" +CGPADDR=1 and +CSQ; +CFUN=0 at the detach time.
 */
static int ap_step(struct sim *s, struct sim_ue *u)
{
	const struct sim_config *c = s->cfg;
	struct sim_ap *a = &u->ap;
	struct link_writer w;
	uint32_t detach_at =
		c->detach_ms < 0 ? c->duration_ms + (uint32_t)c->detach_ms : (uint32_t)c->detach_ms;
	const char *cmd;

	if (!a->sim_sent) {
		a->sim_sent = true;
		a->csq = -1;
		link_writer_init(&w, s->msg, LINK_MAX_MSG, AP_MAGIC, AP_MSG_SIM,
				 u->tx_seq[PORT_HOST], s->sf);
		ap_put_sim(&w, &c->ue[u->idx].sim);
		if (send_msg(s, u, PORT_HOST, link_finish(&w)) < 0 || expect_idle(s, u, s->sf) < 0)
			return -1;
		at_queue(u, "AT+CMEE=2");
		at_queue(u, "AT+CEREG=1");
		at_queue(u, "AT+CGDCONT=1,\"IP\",\"internet\"");
		at_queue(u, "AT+CFUN=1");
	}
	if (c->detach_ms && !a->detach_sent && s->sf >= detach_at) {
		a->detach_sent = true;
		at_queue(u, "AT+CFUN=0");
	}
	if (a->waiting || !a->q_n)
		return 0;
	cmd = a->queue[a->q_head];
	a->q_head = (a->q_head + 1) % SIM_AT_QUEUE;
	a->q_n--;
	a->waiting = true;
	if (!strcmp(cmd, "AT+CFUN=1")) {
		a->cfun_sent = true;
		a->cfun_sf = s->sf;
	}
	sim_log(s, "ue %u at> %s", u->idx, cmd);
	link_writer_init(&w, s->msg, LINK_MAX_MSG, AP_MAGIC, AP_MSG_AT_CMD, u->tx_seq[PORT_HOST],
			 s->sf);
	ap_put_at(&w, cmd, (uint16_t)strlen(cmd));
	u->wake_at = s->sf; /* a message wakes the firmware */
	if (send_msg(s, u, PORT_HOST, link_finish(&w)) < 0)
		return -1;
	return expect_idle(s, u, s->sf);
}

/* The AS keys in use for each capture UEId, for tshark.args at the end (attach mode). */
static void learn_keys(struct sim *s)
{
	unsigned i;

	for (i = 0; i < s->cfg->enb.n_ue; i++) {
		const struct enb_ue *e = &s->enb.ue[i];
		unsigned g = e->stats.reconnections % SIM_UEID_GENERATIONS;
		struct sim_ue *u = &s->ue[i];

		if (e->has_keys &&
		    (!u->gen_keys[g] || memcmp(&u->keys[g], &e->keys, sizeof(e->keys)))) {
			u->keys[g] = e->keys;
			u->gen_keys[g] = true;
			/* Keys without a SecurityModeCommand: a re-establishment (K_eNB*). */
			if (e->ciphering)
				u->reest_gens |= 1u << g;
			else
				u->reest_gens &= ~(1u << g);
		}
	}
}

static int subframe(struct sim *s)
{
	unsigned n = s->cfg->enb.n_ue, i;
	bool batch[ENB_MAX_UES], wants[ENB_MAX_UES], active[ENB_MAX_UES];

	if (s->cfg->enb.attach)
		for (i = 0; i < n; i++)
			if (ap_step(s, &s->ue[i]) < 0)
				return -1;
	traffic_tick(&s->traffic, s->sf, &s->io);
	/* The AP's UL packets go first: one batch to every UE with some, then the IDLEs. */
	for (i = 0; i < n; i++) {
		batch[i] = s->ue[i].ob_n > 0;
		if (batch[i] && send_ap_batch(s, &s->ue[i]) < 0)
			return -1;
	}
	for (i = 0; i < n; i++)
		if (batch[i] && expect_idle(s, &s->ue[i], s->sf) < 0)
			return -1;
	for (i = 0; i < n; i++) {
		struct sim_ue *u = &s->ue[i];

		/* The UE sees the subframes it asked for (wake_at); the eNB schedules it only
		 * in its DRX Active Time (enb_drx.c). */
		wants[i] = (int32_t)(s->sf - u->wake_at) >= 0;
		active[i] = enb_drx_active(&s->enb, i, s->sf);
		s->enb.ue[i].awake = wants[i] && active[i];
		s->enb.ue[i].drx_held += wants[i] && !s->enb.ue[i].awake;
		u->asleep += !wants[i];
		u->awake += wants[i];
	}
	enb_subframe(&s->enb, s->sf);
	/* Every awake UE gets its DL message, then every answer is collected: QEMU instances
	 * run side by side. */
	for (i = 0; i < n; i++)
		if (wants[i] && send_dl(s, &s->ue[i]) < 0)
			return -1;
	for (i = 0; i < n; i++)
		if (wants[i] && rx_ul(s, &s->ue[i]) < 0)
			return -1;
	for (i = 0; i < n; i++) {
		if (s->f_drx)
			fprintf(s->f_drx, "%u,%u,%d,%d,%d,%u\n", s->sf, i, wants[i], active[i],
				batch[i], s->enb.ue[i].out.n_tb);
		enb_drx_end(&s->enb, i, s->sf);
	}
	enb_end_subframe(&s->enb, s->sf);
	if (s->cfg->enb.attach)
		learn_keys(s);
	return 0;
}

int sim_run(struct sim *s)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < s->cfg->enb.n_ue && !err; i++)
		err = boot(s, &s->ue[i]);
	progress(s, false);
	for (s->sf = 0; !err && s->sf < s->cfg->duration_ms; s->sf++) {
		err = subframe(s);
		progress(s, false);
	}
	progress(s, true);
	if (s->cfg->enb.attach && s->cfg->pcap && s->cfg->out_dir[0])
		tshark_args(s);
	end(s);
	return s->error[0] ? -1 : 0;
}

/* ---------------------------------------------------------------- set up */

static FILE *out_file(struct sim *s, const char *name, const char *mode)
{
	char path[700];
	FILE *f;

	if (!s->cfg->out_dir[0])
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", s->cfg->out_dir, name);
	f = fopen(path, mode);
	if (!f)
		fail(s, "cannot write %s", path);
	return f;
}

static void hex(FILE *f, const uint8_t *k, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", k[i]);
}

/*
 * tshark.args: the options (one per line, for xargs -d '\n') that make tshark decode the
 * captures down to IP: the DRBs' LCIDs and RLC modes (mac-lte's static DRB table), and the
 * algorithms and keys (from K_eNB, TS 33.401 §A.7) to decipher PDCP.
 */
static void tshark_args(struct sim *s)
{
	const struct enb_config *c = &s->cfg->enb;
	uint8_t renc[16], rint[16], uenc[16];
	FILE *f = out_file(s, "tshark.args", "w");
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < c->n_bearers; i++) {
		const struct rl_cfg_bearer *b = &c->bearer[i];

		if (b->srb)
			continue;
		fprintf(f, "-o\nuat:drb_logchans:\"LCID %u\",\"%u\",\"%s\"\n", b->lcid, b->rb_id,
			b->rlc_mode == RL_RLC_AM ? "AM"
			: b->um_sn_bits == 5	 ? "UM, SN Len=5"
						 : "UM, SN Len=10");
		fprintf(f, "-o\nrlc-lte.call_pdcp_for_drb:%u-bit SN\n", b->pdcp_sn_bits);
	}
	if (c->attach) {
		/* Wireshark learns the algorithms from each SecurityModeCommand; the keys of
		 * every connection, per UEId, are what the eNB used. */
		fprintf(f, "-o\npdcp-lte.decipher_signalling:TRUE\n");
		fprintf(f, "-o\npdcp-lte.decipher_userplane:TRUE\n");
		for (i = 0; i < c->n_ue * SIM_UEID_GENERATIONS; i++) {
			const struct sim_ue *u = &s->ue[i % c->n_ue];
			unsigned g = i / c->n_ue;

			if (!u->gen_keys[g])
				continue;
			fprintf(f, "-o\nuat:pdcp_lte_ue_keys:\"%u\",\"",
				i % c->n_ue + 1 + SIM_UEID_STEP * g);
			hex(f, u->keys[g].k_rrc_enc, 16);
			fprintf(f, "\",\"");
			hex(f, u->keys[g].k_up_enc, 16);
			fprintf(f, "\",\"");
			hex(f, u->keys[g].k_rrc_int, 16);
			fprintf(f, "\"\n");
		}
		fclose(f);
		return;
	}
	sec_derive_alg_key(c->sec.kenb, SEC_RRC_ENC, c->sec.eea, renc);
	sec_derive_alg_key(c->sec.kenb, SEC_RRC_INT, c->sec.eia, rint);
	sec_derive_alg_key(c->sec.kenb, SEC_UP_ENC, c->sec.eea, uenc);
	fprintf(f, "-o\npdcp-lte.default_ciphering_algorithm:%s\n",
		c->sec.eea ? "EEA2 (AES)" : "EEA0 (NULL)");
	fprintf(f, "-o\npdcp-lte.default_integrity_algorithm:%s\n",
		c->sec.eia ? "EIA2 (AES)" : "EIA0 (NULL)");
	fprintf(f, "-o\npdcp-lte.decipher_userplane:TRUE\n");
	for (i = 0; i < c->n_ue * SIM_UEID_GENERATIONS; i++) {
		fprintf(f, "-o\nuat:pdcp_lte_ue_keys:\"%u\",\"",
			i % c->n_ue + 1 + SIM_UEID_STEP * (i / c->n_ue));
		hex(f, renc, 16);
		fprintf(f, "\",\"");
		hex(f, uenc, 16);
		fprintf(f, "\",\"");
		hex(f, rint, 16);
		fprintf(f, "\"\n");
	}
	fclose(f);
}

int sim_init(struct sim *s, struct sim_config *cfg, bool progress_on)
{
	struct pcap_sink sink;
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->progress = progress_on;
	s->log = out_file(s, "sim.log", "w");
	if (!s->log && cfg->out_dir[0])
		return -1;
	cfg->enb.rx_ip = net_rx;
	cfg->enb.log = enb_log_hook;
	cfg->enb.nas = nas_capture;
	cfg->enb.ctx = s;
	s->io = (struct traffic_io){.ctx = s, .send = io_send};
	if (enb_init(&s->enb, &cfg->enb) < 0 ||
	    chan_init(&s->chan, &cfg->chan, cfg->enb.n_ue) < 0 ||
	    traffic_init(&s->traffic, cfg->flow, cfg->n_flows, cfg->seed) < 0) {
		fail(s, "bad configuration (eNB, channel or flows)");
		return -1;
	}
	if (cfg->enb.drx_on && cfg->out_dir[0]) {
		/* Per subframe and UE: whether it saw the subframe, whether the eNB held it in
		 * DRX Active Time, whether a host-link message woke it, its DL TBs. */
		s->f_drx = out_file(s, "drx.csv", "w");
		if (!s->f_drx)
			return -1;
		fputs("subframe,ue,seen,active,host,dl_tbs\n", s->f_drx);
	}
	if (cfg->pcap && cfg->out_dir[0]) {
		if (!cfg->enb.attach)
			tshark_args(s); /* attach mode: at the end, with the keys of the run */
		s->f_enb = out_file(s, "enb.pcap", "wb");
		s->f_ue = out_file(s, "ue.pcap", "wb");
		if (!s->f_enb || !s->f_ue)
			return -1;
		sink = (struct pcap_sink){.ctx = s->f_enb, .write = file_sink};
		pcap_open(&s->pcap_enb, &sink, PCAP_EXPORTED_PDU);
		sink.ctx = s->f_ue;
		pcap_open(&s->pcap_ue, &sink, PCAP_EXPORTED_PDU);
		if (cfg->enb.attach) {
			s->f_nas = out_file(s, "nas.pcap", "wb");
			if (!s->f_nas)
				return -1;
			sink.ctx = s->f_nas;
			pcap_open(&s->pcap_nas, &sink, PCAP_EXPORTED_PDU);
		}
	}
	for (i = 0; i < cfg->enb.n_ue; i++) {
		struct sim_ue *u = &s->ue[i];

		u->idx = i;
		u->cycles = calloc(cfg->duration_ms + 1, sizeof(uint32_t));
		u->outbox = calloc(SIM_OUTBOX, sizeof(*u->outbox));
		if (!u->cycles || !u->outbox) {
			fail(s, "out of memory");
			return -1;
		}
		snprintf(u->console, sizeof(u->console), "%s/ue%u.console", cfg->out_dir, i);
		if (cfg->ue[i].kind == UE_EXTERNAL)
			continue;
		if (cfg->ue[i].kind == UE_QEMU)
			u->port = port_qemu_new(i, cfg->ue[i].cmd, u->console);
		else
			u->port = port_inproc_new(i, cfg->seed);
		if (!u->port) {
			fail(s, "UE %u: cannot start it (%s)", i,
			     cfg->ue[i].kind == UE_QEMU ? cfg->ue[i].cmd : "host model");
			return -1;
		}
	}
	return 0;
}

void sim_free(struct sim *s)
{
	unsigned i, j;

	for (i = 0; i < ENB_MAX_UES; i++) {
		if (s->ue[i].port)
			s->ue[i].port->ops->free(s->ue[i].port);
		free(s->ue[i].cycles);
		for (j = 0; j < s->ue[i].n_tasks; j++)
			free(s->ue[i].task[j].cycles);
		free(s->ue[i].outbox);
	}
	enb_free(&s->enb);
	chan_free(&s->chan);
	traffic_free(&s->traffic);
	if (s->f_enb)
		fclose(s->f_enb);
	if (s->f_ue)
		fclose(s->f_ue);
	if (s->f_nas)
		fclose(s->f_nas);
	if (s->f_drx)
		fclose(s->f_drx);
	if (s->log)
		fclose(s->log);
}
