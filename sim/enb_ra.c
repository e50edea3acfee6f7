/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB side of contention-based random access (TS 36.321 §5.1): RAR, Msg3, Msg4. */
#include <string.h>

#include "enb_internal.h"
#include "l2/pcap.h"

/*
 * A RAR's 20-bit UL grant (TS 36.213 §6.2): hopping 0, a fixed RB allocation, MCS, TPC
 * index 3 (0 dB), no UL delay, no CSI request. In this simulator the Msg3 grant that counts
 * is the RL_ITEM_UL_GRANT sent with the RAR; this field is there for Wireshark.
 */
#define RAR_UL_GRANT ((2u << 9) | (4u << 5) | (3u << 2))
#define RAR_TA	     10 /* Timing Advance, §6.1.5: any small value */

static uint16_t enb_alloc_rnti(struct enb *e)
{
	uint16_t r = e->next_rnti;

	/* C-RNTIs 0x003D..0xFFF3 (TS 36.321 Table 7.1-1). */
	e->next_rnti = r >= 0xfff3 ? 0x003d : (uint16_t)(r + 1);
	e->stats.c_rnti_next = e->next_rnti;
	return r;
}

int enb_rx_prach(struct enb *e, unsigned ue, uint32_t sf, const struct rl_prach *p)
{
	struct enb_ue *u = &e->ue[ue];
	struct enb_ra *free_ra = NULL;
	unsigned i;

	if (p->preamble >= e->cfg.mac.num_preambles || p->ra_rnti < 1 || p->ra_rnti > 10) {
		u->stats.refused++;
		enb_log(e, L2_LOG_WARN, "enb_prach_refused", (int32_t)ue, p->ra_rnti);
		return L2_EPROTO;
	}
	u->stats.prach++;
	for (i = 0; i < ENB_MAX_RA; i++) {
		struct enb_ra *r = &e->ra[i];

		if (r->state == ENB_RA_FREE) {
			if (!free_ra)
				free_ra = r;
			continue;
		}
		/* The same preamble on the same RA-RNTI in the same subframe: one detection,
		 * one RAR, contention (§5.1.5). */
		if (r->state == ENB_RA_RAR_DUE && r->prach_sf == sf && r->ra_rnti == p->ra_rnti &&
		    r->preamble == p->preamble) {
			r->ues |= 1u << ue;
			return 0;
		}
	}
	if (!free_ra) {
		e->stats.ra_records_full++;
		return L2_ENOMEM;
	}
	*free_ra = (struct enb_ra){.state = ENB_RA_RAR_DUE,
				   .preamble = p->preamble,
				   .ra_rnti = p->ra_rnti,
				   .tc_rnti = enb_alloc_rnti(e),
				   .prach_sf = sf,
				   .ues = 1u << ue};
	return 0;
}

static bool ra_any_awake(const struct enb *e, uint32_t ues)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++)
		if ((ues >> i) & 1 && e->ue[i].awake)
			return true;
	return false;
}

/* One RAR PDU per RA-RNTI with every preamble due on it; the Msg3 grants with it. */
void enb_ra_schedule(struct enb *e, uint32_t sf, uint32_t *prbs_dl, uint32_t *prbs_ul)
{
	uint16_t ra_rnti;
	unsigned i, k;

	for (ra_rnti = 1; ra_rnti <= 10; ra_rnti++) {
		struct mac_rar_pdu pdu = {0};
		struct enb_ra *due[16];
		uint32_t ues = 0;
		int len;

		for (i = 0; i < ENB_MAX_RA; i++) {
			struct enb_ra *r = &e->ra[i];
			int32_t age = (int32_t)(sf - r->prach_sf);

			if (r->state != ENB_RA_RAR_DUE || r->ra_rnti != ra_rnti ||
			    age < ENB_RAR_DELAY)
				continue;
			if (age >= ENB_RAR_DELAY + e->cfg.rar_window) {
				r->state = ENB_RA_FREE; /* the UE's window is over */
				e->stats.ra_expired++;
				continue;
			}
			if (!ra_any_awake(e, r->ues) || pdu.n == 16)
				continue;
			pdu.rar[pdu.n] = (struct mac_rar){.rapid = r->preamble,
							  .ta = RAR_TA,
							  .ul_grant = RAR_UL_GRANT,
							  .tc_rnti = r->tc_rnti};
			due[pdu.n++] = r;
			ues |= r->ues;
		}
		if (!pdu.n)
			continue;
		len = mac_rar_write(e->rar_pdu[ra_rnti - 1], sizeof(e->rar_pdu[0]), &pdu);
		if (len < 0)
			continue;
		*prbs_dl -= enb_prbs((uint32_t)len, e->cfg.bytes_per_prb_dl) < *prbs_dl
				    ? enb_prbs((uint32_t)len, e->cfg.bytes_per_prb_dl)
				    : *prbs_dl;
		for (k = 0; k < e->cfg.n_ue; k++) {
			struct enb_ue *u = &e->ue[k];
			struct enb_dl_out *o = &u->out;

			if (!((ues >> k) & 1) || !u->awake || o->n_tb == ENB_DL_MAX_TB)
				continue;
			o->tb[o->n_tb++] = (struct enb_dl_tb){.tb = {.rnti = ra_rnti,
								     .tbs = (uint16_t)len,
								     .tb = e->rar_pdu[ra_rnti - 1],
								     .crc_ok = true},
							      .rnti_type = MAC_LTE_RA_RNTI};
			u->stats.rar++;
		}
		for (i = 0; i < pdu.n; i++) {
			struct enb_ra *r = due[i];

			r->state = ENB_RA_MSG3;
			r->msg3_sf = sf;
			*prbs_ul -= enb_prbs(ENB_MSG3_TBS, e->cfg.bytes_per_prb_ul) < *prbs_ul
					    ? enb_prbs(ENB_MSG3_TBS, e->cfg.bytes_per_prb_ul)
					    : *prbs_ul;
			for (k = 0; k < e->cfg.n_ue; k++) {
				struct enb_ue *u = &e->ue[k];
				struct enb_dl_out *o = &u->out;
				struct rl_ul_grant *g;

				if (!((r->ues >> k) & 1) || !u->awake ||
				    o->n_grant == ENB_DL_MAX_GRANT)
					continue;
				/* Msg3 takes the process of this subframe, whatever it held. */
				if (u->ul.p[harq_ul_pid(sf)].retx_due) {
					u->ul.p[harq_ul_pid(sf)].retx_due = false;
					u->ul.stats.drops++;
				}
				g = &o->grant[o->n_grant++];
				g->rnti = r->tc_rnti;
				/* Msg3 takes the process: new data (any retx cleared above). */
				harq_ul_grant(&u->ul, sf, r->tc_rnti, ENB_MSG3_TBS, true, &g->tbs,
					      &g->harq_pid, &g->ndi);
			}
		}
	}
}

void enb_ra_msg3(struct enb *e, struct enb_ue *u, uint32_t sf, uint16_t rnti, const uint8_t *tb,
		 uint32_t len)
{
	struct enb_ra *r = NULL;
	struct mac_pdu_view v;
	unsigned i;

	for (i = 0; i < ENB_MAX_RA; i++)
		if (e->ra[i].state == ENB_RA_MSG3 && e->ra[i].tc_rnti == rnti &&
		    (e->ra[i].ues >> u->idx) & 1)
			r = &e->ra[i];
	if (!r) {
		/* Another UE's Msg3 on the same grant was decoded first: a collision. */
		e->stats.msg3_collisions++;
		return;
	}
	if (mac_pdu_parse(tb, len, MAC_UL, &v) < 0) {
		u->stats.ul_malformed++;
		return;
	}
	for (i = 0; i < v.n; i++) {
		const struct mac_elem *el = &v.e[i];

		if (el->lcid == MAC_LCID_CCCH && el->len >= 6) {
			/* §5.1.5: identity = the first 48 bits of the CCCH SDU (§6.1.3.4). */
			enb_ue_connect(e, u, rnti);
			memcpy(u->cri, tb + el->off, 6);
			if (e->l3)
				enb_l3_ccch_rx(e, u, tb + el->off, el->len);
			u->stats.msg3++;
			r->state = ENB_RA_FREE;
			enb_log(e, L2_LOG_INFO, "enb_msg3_ccch", (int32_t)u->idx, rnti);
			return;
		}
		if (el->lcid == MAC_LCID_UL_CRNTI && el->len == 2) {
			uint16_t c = (uint16_t)(tb[el->off] << 8 | tb[el->off + 1]);

			r->state = ENB_RA_FREE;
			u->stats.msg3++;
			if (u->state != ENB_UE_CONNECTED || u->rnti != c) {
				enb_log(e, L2_LOG_WARN, "enb_msg3_unknown_crnti", (int32_t)u->idx,
					c);
				return;
			}
			/* Resolved by a PDCCH on the C-RNTI: an UL grant next (§5.1.5). */
			u->crnti_grant = true;
			enb_ul_demux(e, u, tb, len, sf);
			return;
		}
	}
	u->stats.ul_malformed++;
}

void enb_ra_end_subframe(struct enb *e, uint32_t sf)
{
	uint32_t life = HARQ_RTT * (e->cfg.mac.max_harq_tx ? e->cfg.mac.max_harq_tx : 4u) + 1;
	unsigned i;

	for (i = 0; i < ENB_MAX_RA; i++)
		if (e->ra[i].state == ENB_RA_MSG3 &&
		    (int32_t)(sf - e->ra[i].msg3_sf) >= (int32_t)life) {
			e->ra[i].state = ENB_RA_FREE; /* Msg3 never decoded */
			e->stats.ra_expired++;
		}
}
