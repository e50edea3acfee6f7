/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: MAC PDU demultiplexing, RAR parsing and the RA procedure on untrusted bytes. */
#include "fuzz.h"
#include "l2/mac.h"

static void check_view(const struct mac_pdu_view *v, size_t size)
{
	unsigned i;

	for (i = 0; i < v->n; i++)
		if ((size_t)v->e[i].off + v->e[i].len > size)
			abort();
}

/* Rebuilding a parsed PDU from its elements must parse back to the same elements. */
static void roundtrip(const uint8_t *data, size_t size, enum mac_dir dir,
		      const struct mac_pdu_view *v)
{
	static uint8_t out[70000];
	struct mac_pdu_writer w;
	struct mac_pdu_view v2;
	unsigned i;

	mac_pdu_init(&w, (uint32_t)size, dir);
	for (i = 0; i < v->n; i++)
		if (mac_pdu_add(&w, v->e[i].lcid, data + v->e[i].off, v->e[i].len) < 0)
			return;
	if (mac_pdu_finish(&w, out) < 0)
		return;
	if (mac_pdu_parse(out, (uint32_t)size, dir, &v2) < 0 || v2.n != v->n)
		abort();
	for (i = 0; i < v->n; i++)
		if (v2.e[i].lcid != v->e[i].lcid || v2.e[i].len != v->e[i].len ||
		    memcmp(out + v2.e[i].off, data + v->e[i].off, v->e[i].len) != 0)
			abort();
}

static void dl_sdu(void *ctx, uint8_t lcid, struct l2_buf *b)
{
	(void)ctx, (void)lcid;
	l2_buf_free(b);
}

static void phy_preamble(void *ctx, uint8_t p, uint16_t r, int16_t dbm)
{
	(void)ctx, (void)p, (void)r, (void)dbm;
}

static void phy_msg3(void *ctx, uint32_t g, uint16_t r, const uint8_t *p, uint32_t n)
{
	(void)ctx, (void)g, (void)r, (void)p, (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ccch[6] = {1, 2, 3, 4, 5, 6};
	const struct mac_phy_ops phy = {.send_preamble = phy_preamble, .send_msg3 = phy_msg3};
	const struct mac_ra_config cfg = {
		.num_preambles = 64, .preamble_trans_max = 4, .rar_window = 10, .cr_timer = 8};
	struct mac_pdu_view v;
	struct mac_rar_pdu rar;
	struct mac_ra ra;
	struct mac_harq_dl h = {0};

	if (size > 65535)
		return 0;
	if (mac_pdu_parse(data, (uint32_t)size, MAC_UL, &v) == 0) {
		check_view(&v, size);
		roundtrip(data, size, MAC_UL, &v);
	}
	if (mac_pdu_parse(data, (uint32_t)size, MAC_DL, &v) == 0) {
		check_view(&v, size);
		roundtrip(data, size, MAC_DL, &v);
	}
	if (mac_rar_parse(data, (uint32_t)size, &rar) == 0 && rar.n > 16)
		abort();
	/* The RA procedure fed the input as RAR and then as Msg4. */
	fuzz_now = 0;
	if (mac_ra_init(&ra, &cfg, &phy, &fuzz_env) < 0 || mac_ra_start(&ra, ccch, 6, 0) < 0)
		abort();
	ra.preamble = size ? data[0] & 0x3f : 0;
	mac_ra_rx_rar(&ra, ra.ra_rnti, data, (uint32_t)size);
	mac_ra_rx_msg4(&ra, ra.tc_rnti, data, (uint32_t)size);
	fuzz_now = 100;
	mac_ra_tick(&ra);
	/* The UE MAC entity's DL demultiplexing. */
	{
		static struct mac_ue ue;
		const struct mac_ue_config ucfg = {0};

		fuzz_pool_init();
		mac_ue_init(&ue, &ucfg, &fuzz_env, &fuzz_pool);
		ue.rx_sdu = dl_sdu;
		mac_ue_dl_tb(&ue, data, (uint32_t)size);
		fuzz_pool_check();
	}
	if (size >= 2) {
		bool deliver;

		mac_harq_dl_rx(&h, data[0], data[1] & 1, data[1] & 2, &deliver);
	}
	return 0;
}
