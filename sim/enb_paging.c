/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB pages idle UEs (TS 36.304 §7, TS 36.331 Paging) when DL data waits for them. */
#include <string.h>

#include "enb.h"
#include "enb_internal.h"
#include "l2/paging.h"
#include "l2/pcap.h"

/*
 * With paging configured (CONFIG's RL_ITEM_CFG_PAGING) a UE starts in RRC_IDLE and stays
 * there until paged: its DL packets are admitted and wait in its bearers, and at each of the
 * UE's paging occasions while some wait, the eNB sends a Paging with the UE's S-TMSI on the
 * P-RNTI (the PCH: MAC transparent, no HARQ). The UE answers with random access; once
 * connected the waiting data goes as usual. UE `i` has UE_ID and M-TMSI of the
 * configuration plus i.
 */

void enb_paging_ue(const struct enb *e, unsigned ue, struct rl_cfg_paging *out)
{
	*out = e->cfg.paging;
	out->ue_id = (uint16_t)((out->ue_id + ue) % PAGING_UE_ID_MOD);
	out->m_tmsi += ue;
}

static bool data_waits(const struct enb_ue *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (!u->bearer[i].cfg.srb && enb_bearer_bytes(&u->bearer[i]))
			return true;
	return false;
}

void enb_paging_subframe(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	unsigned i;

	if (!e->cfg.paging_on)
		return;
	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];
		struct rl_cfg_paging p;
		struct paging_config c;
		struct paging_msg m = {.n = 1};
		uint32_t need;
		int n;

		if (!u->awake || u->state != ENB_UE_IDLE || u->ever_connected || !data_waits(u) ||
		    u->out.n_tb == ENB_DL_MAX_TB)
			continue;
		enb_paging_ue(e, i, &p);
		c = (struct paging_config){.t = p.t, .nb = p.nb, .ue_id = p.ue_id};
		if (paging_next(&c, sf) != sf)
			continue;
		m.rec[0].mmec = p.mmec;
		m.rec[0].m_tmsi = p.m_tmsi;
		n = paging_encode(&m, u->page, sizeof(u->page));
		need = enb_prbs((uint32_t)n, u->bpp_dl);
		if (n <= 0 || need > *prbs)
			continue;
		*prbs -= need;
		u->out.tb[u->out.n_tb++] = (struct enb_dl_tb){.tb = {.rnti = PAGING_P_RNTI,
								     .tbs = (uint16_t)n,
								     .tb = u->page,
								     .crc_ok = true},
							      .rnti_type = MAC_LTE_P_RNTI};
		u->pages++;
		enb_log(e, L2_LOG_INFO, "enb_paging", (int32_t)i, (int32_t)sf);
	}
}
