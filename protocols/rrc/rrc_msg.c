/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC message classes and messages of the subset (TS 36.331 §6.2.1, §6.2.2), both directions. */
#include <string.h>

#include "rrc_ie.h"

struct rrc_type_info {
	uint8_t channel;
	uint8_t c1_index; /* index in the channel's c1 CHOICE */
	const char *name;
};

static const struct rrc_type_info types[RRC_MSG_TYPES] = {
	[RRC_MIB] = {RRC_BCCH_BCH, 0, "MasterInformationBlock"},
	[RRC_SIB1] = {RRC_BCCH_DL_SCH, 1, "SystemInformationBlockType1"},
	[RRC_SI] = {RRC_BCCH_DL_SCH, 0, "SystemInformation"},
	[RRC_CONN_REQUEST] = {RRC_UL_CCCH, 1, "RRCConnectionRequest"},
	[RRC_REEST_REQUEST] = {RRC_UL_CCCH, 0, "RRCConnectionReestablishmentRequest"},
	[RRC_CONN_SETUP] = {RRC_DL_CCCH, 3, "RRCConnectionSetup"},
	[RRC_CONN_REJECT] = {RRC_DL_CCCH, 2, "RRCConnectionReject"},
	[RRC_REEST] = {RRC_DL_CCCH, 0, "RRCConnectionReestablishment"},
	[RRC_REEST_REJECT] = {RRC_DL_CCCH, 1, "RRCConnectionReestablishmentReject"},
	[RRC_SETUP_COMPLETE] = {RRC_UL_DCCH, 4, "RRCConnectionSetupComplete"},
	[RRC_SMC_COMPLETE] = {RRC_UL_DCCH, 5, "SecurityModeComplete"},
	[RRC_SMC_FAILURE] = {RRC_UL_DCCH, 6, "SecurityModeFailure"},
	[RRC_UE_CAP_INFO] = {RRC_UL_DCCH, 7, "UECapabilityInformation"},
	[RRC_RECONF_COMPLETE] = {RRC_UL_DCCH, 2, "RRCConnectionReconfigurationComplete"},
	[RRC_UL_INFO] = {RRC_UL_DCCH, 9, "ULInformationTransfer"},
	[RRC_REEST_COMPLETE] = {RRC_UL_DCCH, 3, "RRCConnectionReestablishmentComplete"},
	[RRC_SMC] = {RRC_DL_DCCH, 6, "SecurityModeCommand"},
	[RRC_UE_CAP_ENQUIRY] = {RRC_DL_DCCH, 7, "UECapabilityEnquiry"},
	[RRC_RECONF] = {RRC_DL_DCCH, 4, "RRCConnectionReconfiguration"},
	[RRC_DL_INFO] = {RRC_DL_DCCH, 1, "DLInformationTransfer"},
	[RRC_RELEASE] = {RRC_DL_DCCH, 5, "RRCConnectionRelease"},
};

/* Alternatives in each channel's c1 CHOICE (§6.2.1). */
static unsigned c1_size(uint8_t ch)
{
	switch (ch) {
	case RRC_BCCH_DL_SCH:
	case RRC_UL_CCCH:
		return 2;
	case RRC_DL_CCCH:
		return 4;
	default:
		return 16;
	}
}

enum rrc_channel rrc_msg_channel(uint8_t type)
{
	return type < RRC_MSG_TYPES ? (enum rrc_channel)types[type].channel : RRC_BCCH_BCH;
}

const char *rrc_msg_name(uint8_t type)
{
	return type < RRC_MSG_TYPES ? types[type].name : "unknown";
}

/*
 * criticalExtensions: CHOICE {c1 CHOICE {r8, spares}, criticalExtensionsFuture} when c1 has
 * `n_c1` alternatives, or CHOICE {r8, criticalExtensionsFuture} when n_c1 is 0. Anything
 * but the r8 alternative is a critical extension this codec does not know.
 */
static void c_crit(struct per_c *c, unsigned n_c1)
{
	uint8_t v = 0;

	c_enum(c, &v, 2, false);
	if (!v && n_c1)
		c_enum(c, &v, n_c1, false);
	if (v)
		c_fail(c, L2_ENOTSUP);
}

/* A nonCriticalExtension presence bit: never set; when read set, its content (last) is ignored. */
static void c_nce(struct per_c *c)
{
	bool nce = false;

	c_bool(c, &nce);
}

/* DedicatedInfoType CHOICE {dedicatedInfoNAS, CDMA2000 1XRTT, HRPD}: NAS only. */
static void c_dedicated_nas(struct per_c *c, struct rrc_octets *nas)
{
	uint8_t v = 0;

	c_enum(c, &v, 3, false);
	if (v)
		c_fail(c, L2_ENOTSUP);
	else
		c_octets(c, nas);
}

static void c_mib(struct per_c *c, struct rrc_mib *m)
{
	uint64_t spare = 0;

	c_enum(c, &m->dl_bandwidth, 6, false);
	c_enum(c, &m->phich_duration, 2, false);
	c_enum(c, &m->phich_resource, 4, false);
	c_bits8(c, &m->sfn_msb, 8);
	c_bits(c, &spare, 10);
}

static void c_body(struct per_c *c, struct rrc_msg *m)
{
	unsigned i;

	switch (m->type) {
	case RRC_MIB:
		c_mib(c, &m->u.mib);
		return;
	case RRC_SIB1:
		rrc_c_sib1(c, &m->u.sib1);
		return;
	case RRC_SI: {
		uint8_t n = 1, sib = 0;

		c_crit(c, 0);
		c_nce(c);
		c_count(c, &n, 1, 32, 1); /* sib-TypeAndInfo: one SIB2 */
		c_enum(c, &sib, 10, true);
		if (sib != 0)
			c_fail(c, L2_ENOTSUP);
		else
			rrc_c_sib2(c, &m->u.sib2);
		return;
	}
	case RRC_CONN_REQUEST: {
		uint8_t id = !m->u.conn_request.s_tmsi;
		uint64_t spare = 0;

		c_crit(c, 0);
		c_enum(c, &id, 2, false);
		m->u.conn_request.s_tmsi = !id;
		if (!id) {
			c_bits8(c, &m->u.conn_request.mmec, 8);
			c_bits32(c, &m->u.conn_request.m_tmsi, 32);
		} else {
			c_bits(c, &m->u.conn_request.random, 40);
		}
		c_enum(c, &m->u.conn_request.cause, 8, false);
		c_bits(c, &spare, 1);
		return;
	}
	case RRC_REEST_REQUEST: {
		uint64_t spare = 0;

		c_crit(c, 0);
		c_bits16(c, &m->u.reest_request.c_rnti, 16);
		c_u16(c, &m->u.reest_request.pci, 0, 503);
		c_bits16(c, &m->u.reest_request.short_mac_i, 16);
		c_enum(c, &m->u.reest_request.cause, 4, false);
		c_bits(c, &spare, 2);
		return;
	}
	case RRC_CONN_SETUP:
	case RRC_REEST:
		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 8);
		c_nce(c);
		rrc_c_radio_config(c, &m->u.setup.rr);
		if (m->type == RRC_REEST)
			c_u8(c, &m->u.setup.next_hop_chaining_count, 0, 7);
		return;
	case RRC_CONN_REJECT:
		c_crit(c, 4);
		c_nce(c);
		c_u8(c, &m->u.reject.wait_time, 1, 16);
		return;
	case RRC_REEST_REJECT:
		c_crit(c, 0);
		c_nce(c);
		return;
	case RRC_SETUP_COMPLETE: {
		struct rrc_setup_complete *s = &m->u.setup_complete;

		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 4);
		c_bool(c, &s->has_registered_mme);
		c_nce(c);
		c_u8(c, &s->selected_plmn, 1, 6);
		if (s->has_registered_mme) {
			c_bool(c, &s->mme_has_plmn);
			if (s->mme_has_plmn)
				rrc_c_plmn(c, &s->mme_plmn);
			c_bits16(c, &s->mmegi, 16);
			c_bits8(c, &s->mmec, 8);
		}
		c_octets(c, &s->nas);
		return;
	}
	case RRC_SMC_COMPLETE:
	case RRC_SMC_FAILURE:
	case RRC_RECONF_COMPLETE:
	case RRC_REEST_COMPLETE:
		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 0);
		c_nce(c);
		return;
	case RRC_UE_CAP_INFO:
		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 8);
		c_nce(c);
		c_count(c, &m->u.cap_info.n, 0, RRC_MAX_RAT, RRC_MAX_RAT);
		for (i = 0; i < m->u.cap_info.n && !c_err(c); i++) {
			c_enum(c, &m->u.cap_info.c[i].rat, 8, true);
			c_octets(c, &m->u.cap_info.c[i].data);
		}
		return;
	case RRC_UL_INFO:
		c_crit(c, 4);
		c_nce(c);
		c_dedicated_nas(c, &m->u.info.nas);
		return;
	case RRC_DL_INFO:
		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 4);
		c_nce(c);
		c_dedicated_nas(c, &m->u.info.nas);
		return;
	case RRC_SMC: {
		bool ext;

		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 4);
		c_nce(c);
		ext = c_ext(c); /* SecurityConfigSMC */
		c_enum(c, &m->u.smc.eea, 8, true);
		c_enum(c, &m->u.smc.eia, 8, true);
		c_additions(c, ext);
		return;
	}
	case RRC_UE_CAP_ENQUIRY:
		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 4);
		c_nce(c);
		c_count(c, &m->u.cap_enquiry.n_rat, 1, RRC_MAX_RAT, RRC_MAX_RAT);
		for (i = 0; i < m->u.cap_enquiry.n_rat && !c_err(c); i++)
			c_enum(c, &m->u.cap_enquiry.rat[i], 8, true);
		return;
	case RRC_RECONF: {
		bool has_nas = m->u.reconf.n_nas > 0;

		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 8);
		c_absent(c); /* measConfig */
		c_absent(c); /* mobilityControlInfo */
		c_bool(c, &has_nas);
		c_bool(c, &m->u.reconf.has_rr);
		c_absent(c); /* securityConfigHO */
		c_nce(c);
		if (has_nas) {
			c_count(c, &m->u.reconf.n_nas, 1, RRC_MAX_DRB, RRC_MAX_DRB);
			for (i = 0; i < m->u.reconf.n_nas && !c_err(c); i++)
				c_octets(c, &m->u.reconf.nas[i]);
		} else if (c->dec) {
			m->u.reconf.n_nas = 0;
		}
		if (m->u.reconf.has_rr)
			rrc_c_radio_config(c, &m->u.reconf.rr);
		return;
	}
	case RRC_RELEASE: {
		uint8_t redirect = 0;

		c_u8(c, &m->transaction_id, 0, 3);
		c_crit(c, 4);
		c_bool(c, &m->u.release.has_redirect);
		c_absent(c); /* idleModeMobilityControlInfo */
		c_nce(c);
		c_enum(c, &m->u.release.cause, 4, false);
		if (m->u.release.has_redirect) {
			c_enum(c, &redirect, 6, true); /* RedirectedCarrierInfo: eutra only */
			if (redirect)
				c_fail(c, L2_ENOTSUP);
			else
				c_u16(c, &m->u.release.redirect_earfcn, 0, 65535);
		}
		return;
	}
	default:
		c_fail(c, c->dec ? L2_ENOTSUP : L2_EINVAL);
	}
}

/* The message class wrapper: CHOICE {c1 CHOICE {...}, messageClassExtension} (§6.2.1). */
static void c_message(struct per_c *c, struct rrc_msg *m, uint8_t ch)
{
	uint8_t ext = 0, idx = types[m->type].c1_index;
	unsigned i;

	if (ch != RRC_BCCH_BCH) {
		c_enum(c, &ext, 2, false);
		if (ext) {
			c_fail(c, L2_ENOTSUP);
			return;
		}
		c_enum(c, &idx, c1_size(ch), false);
	}
	if (c->dec) {
		for (i = 0; i < RRC_MSG_TYPES; i++)
			if (types[i].channel == ch &&
			    (ch == RRC_BCCH_BCH || types[i].c1_index == idx))
				break;
		if (i == RRC_MSG_TYPES) {
			c_fail(c, L2_ENOTSUP);
			return;
		}
		m->type = (uint8_t)i;
	}
	if (!c_err(c))
		c_body(c, m);
}

int rrc_encode(const struct rrc_msg *m, uint8_t *buf, size_t cap)
{
	struct per_c c = {.dec = false};
	size_t n;

	if (m->type >= RRC_MSG_TYPES)
		return L2_EINVAL;
	per_wr_init(&c.w, buf, cap);
	/* Encoding only reads the message. */
	c_message(&c, (struct rrc_msg *)m, types[m->type].channel);
	if (c.w.err)
		return c.w.err;
	n = per_wr_finish(&c.w);
	/* An empty encoding is one zero octet (§10.1.3). */
	if (n == 0) {
		if (cap < 1)
			return L2_EMSGSIZE;
		buf[0] = 0;
		n = 1;
	}
	return (int)n;
}

int rrc_decode(enum rrc_channel ch, const uint8_t *buf, size_t len, struct rrc_msg *m,
	       uint8_t *scratch, size_t scratch_cap)
{
	struct per_c c = {.dec = true, .scratch = scratch, .scratch_cap = scratch_cap};

	memset(m, 0, sizeof(*m));
	if (ch > RRC_UL_DCCH)
		return L2_EINVAL;
	if (!scratch)
		c.scratch_cap = 0;
	per_rd_init(&c.r, buf, len);
	c_message(&c, m, ch);
	return c.r.err;
}

int rrc_ue_cap_encode(const struct rrc_ue_eutra_cap *u, uint8_t *buf, size_t cap)
{
	struct per_c c = {.dec = false};
	size_t n;

	per_wr_init(&c.w, buf, cap);
	rrc_c_ue_cap(&c, (struct rrc_ue_eutra_cap *)u);
	if (c.w.err)
		return c.w.err;
	n = per_wr_finish(&c.w);
	return (int)n;
}

int rrc_ue_cap_decode(const uint8_t *buf, size_t len, struct rrc_ue_eutra_cap *u)
{
	struct per_c c = {.dec = true};

	memset(u, 0, sizeof(*u));
	per_rd_init(&c.r, buf, len);
	rrc_c_ue_cap(&c, u);
	return c.r.err;
}
