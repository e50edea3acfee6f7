/* SPDX-License-Identifier: BSD-2-Clause */
/* Contention-based random access (TS 36.321 §5.1): preamble, RAR, Msg3, contention resolution. */
#include <string.h>

#include "l2/mac.h"

/* Backoff Parameter values in ms, TS 36.321 Table 7.2-1 (13..15 reserved: the largest). */
static const uint16_t ra_backoff_ms[16] = {0,	10,  20,  30,  40,  60,	 80,  120,
					   160, 240, 320, 480, 960, 960, 960, 960};

int mac_ra_init(struct mac_ra *ra, const struct mac_ra_config *cfg, const struct mac_phy_ops *phy,
		const struct l2_env *env)
{
	if (!cfg || !phy || !phy->send_preamble || !phy->send_msg3 || cfg->num_preambles == 0 ||
	    cfg->num_preambles > 64 || cfg->preamble_trans_max == 0 || cfg->rar_window == 0)
		return L2_EINVAL;
	memset(ra, 0, sizeof(*ra));
	ra->cfg = *cfg;
	ra->phy = *phy;
	ra->env = env;
	return 0;
}

/* §5.1.2 resource selection and §5.1.3 preamble transmission. */
static void ra_send_preamble(struct mac_ra *ra)
{
	uint32_t now = l2_now(ra->env);

	ra->preamble = (uint8_t)(l2_random(ra->env) % ra->cfg.num_preambles);
	/* RA-RNTI = 1 + t_id + 10 * f_id (§5.1.4); FDD: f_id = 0, t_id the PRACH subframe. */
	ra->ra_rnti = (uint16_t)(1 + now % 10);
	ra->state = MAC_RA_WAIT_RAR;
	/* The RAR window starts 3 subframes after the preamble (§5.1.4). */
	ra->deadline = now + 3 + ra->cfg.rar_window;
	ra->attempts++;
	/* §5.1.3: initial target + DELTA_PREAMBLE + (PREAMBLE_TRANSMISSION_COUNTER - 1) steps. */
	ra->phy.send_preamble(
		ra->phy.ctx, ra->preamble, ra->ra_rnti,
		(int16_t)(ra->cfg.initial_power_dbm + ra->cfg.delta_preamble_db +
			  (int32_t)(ra->preamble_tx_counter - 1) * ra->cfg.power_ramping_db));
}

int mac_ra_start(struct mac_ra *ra, const uint8_t *ccch_sdu, uint32_t len, uint16_t c_rnti)
{
	if (ra->state == MAC_RA_WAIT_RAR || ra->state == MAC_RA_WAIT_CR ||
	    ra->state == MAC_RA_BACKOFF)
		return L2_ESTATE;
	if (c_rnti == 0 && (!ccch_sdu || len < 6 || len > sizeof(ra->msg3)))
		return L2_EINVAL;
	ra->ccch = c_rnti == 0;
	ra->crnti_own = c_rnti;
	ra->msg3_len = ra->ccch ? len : 0;
	if (ra->ccch)
		memcpy(ra->msg3, ccch_sdu, len);
	/* §5.1.1 initialisation. */
	ra->preamble_tx_counter = 1;
	ra->backoff_ms = 0;
	ra->c_rnti = 0;
	ra_send_preamble(ra);
	return 0;
}

/* §5.1.4 / §5.1.5: an unsuccessful attempt; retry after backoff or report the problem. */
static void ra_attempt_failed(struct mac_ra *ra)
{
	ra->failures++;
	ra->preamble_tx_counter++;
	if (ra->preamble_tx_counter == ra->cfg.preamble_trans_max + 1u) {
		ra->state = MAC_RA_FAILED; /* random access problem to upper layers */
		l2_log(ra->env, L2_LOG_ERROR, "ra_problem", (int32_t)ra->preamble_tx_counter, 0);
		return;
	}
	ra->state = MAC_RA_BACKOFF;
	ra->deadline =
		l2_now(ra->env) + (ra->backoff_ms ? l2_random(ra->env) % (ra->backoff_ms + 1) : 0);
}

int mac_ra_rx_rar(struct mac_ra *ra, uint16_t rnti, const uint8_t *pdu, uint32_t len)
{
	uint8_t msg3[sizeof(ra->msg3) + 2], crnti[2];
	struct mac_pdu_writer w;
	struct mac_rar_pdu r;
	unsigned i;
	int n;

	if (ra->state != MAC_RA_WAIT_RAR || rnti != ra->ra_rnti)
		return L2_ESTATE;
	if (mac_rar_parse(pdu, len, &r) < 0)
		return L2_EPROTO;
	if (r.has_bi)
		ra->backoff_ms = ra_backoff_ms[r.bi];
	for (i = 0; i < r.n && r.rar[i].rapid != ra->preamble; i++)
		;
	if (i == r.n)
		return L2_EAGAIN; /* not for us: keep listening until the window ends */
	ra->ta = r.rar[i].ta;
	ra->tc_rnti = r.rar[i].tc_rnti;
	/* Msg3: the CCCH SDU, or a C-RNTI control element (§5.1.4), one padding byte ahead. */
	if (ra->ccch) {
		mac_pdu_init(&w, ra->msg3_len + 2, MAC_UL);
		mac_pdu_add(&w, MAC_LCID_CCCH, ra->msg3, (uint16_t)ra->msg3_len);
	} else {
		crnti[0] = (uint8_t)(ra->crnti_own >> 8);
		crnti[1] = (uint8_t)ra->crnti_own;
		mac_pdu_init(&w, 3, MAC_UL);
		mac_pdu_add(&w, MAC_LCID_UL_CRNTI, crnti, 2);
	}
	n = mac_pdu_finish(&w, msg3);
	ra->state = MAC_RA_WAIT_CR;
	ra->deadline = l2_now(ra->env) + ra->cfg.cr_timer;
	ra->phy.send_msg3(ra->phy.ctx, r.rar[i].ul_grant, ra->tc_rnti, msg3, (uint32_t)n);
	return 0;
}

static void ra_success(struct mac_ra *ra, uint16_t c_rnti)
{
	ra->c_rnti = c_rnti;
	ra->state = MAC_RA_SUCCESS;
}

int mac_ra_rx_pdcch_crnti(struct mac_ra *ra, uint16_t rnti)
{
	if (ra->state != MAC_RA_WAIT_CR || ra->ccch || rnti != ra->crnti_own)
		return L2_ESTATE;
	ra_success(ra, rnti);
	return 0;
}

int mac_ra_rx_msg4(struct mac_ra *ra, uint16_t rnti, const uint8_t *pdu, uint32_t len)
{
	struct mac_pdu_view v;
	unsigned i;

	if (ra->state != MAC_RA_WAIT_CR || !ra->ccch || rnti != ra->tc_rnti)
		return L2_ESTATE;
	if (mac_pdu_parse(pdu, len, MAC_DL, &v) < 0)
		return L2_EPROTO;
	for (i = 0; i < v.n; i++) {
		if (v.e[i].lcid != MAC_LCID_DL_CRI)
			continue;
		/* §5.1.5: the identity matches the first 48 bits of the CCCH SDU sent. */
		if (memcmp(pdu + v.e[i].off, ra->msg3, 6) == 0) {
			ra_success(ra, ra->tc_rnti);
			return 0;
		}
		ra->tc_rnti = 0;
		ra_attempt_failed(ra);
		return L2_EAUTH;
	}
	return L2_EAGAIN;
}

void mac_ra_tick(struct mac_ra *ra)
{
	uint32_t now = l2_now(ra->env);

	if ((int32_t)(now - ra->deadline) < 0)
		return;
	switch (ra->state) {
	case MAC_RA_WAIT_RAR:
		ra_attempt_failed(ra); /* no RAR for us in the window (§5.1.4) */
		break;
	case MAC_RA_WAIT_CR:
		ra->tc_rnti = 0; /* mac-ContentionResolutionTimer expired (§5.1.5) */
		ra_attempt_failed(ra);
		break;
	case MAC_RA_BACKOFF:
		ra_send_preamble(ra);
		break;
	default:
		break;
	}
}
