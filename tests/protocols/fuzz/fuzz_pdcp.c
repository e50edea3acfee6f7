/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: PDCP data and control PDUs (SRB with EIA2, DRB AM/UM with EEA2). */
#include "fuzz.h"
#include "l2/pdcp.h"

static void drop(void *ctx, struct l2_buf *b)
{
	(void)ctx;
	l2_buf_free(b);
}

/* The UM bearer deciphers with the optional pair table of l2/aes.h, the others without. */
static struct aes128_pair_table pair;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static struct pdcp_entity srb, am, um;
	const struct pdcp_ops ops = {.tx_pdu = drop, .rx_sdu = drop};
	const struct pdcp_config cs = {.rb_id = 1, .srb = true, .sn_bits = 5};
	const struct pdcp_config ca = {.rb_id = 3, .rlc_am = true, .sn_bits = 12, .discard_ms = 5};
	const struct pdcp_config cu = {.rb_id = 4, .sn_bits = 7, .aes_pair = &pair};
	struct fuzz_chunks c = {data, size};
	const uint8_t *p;
	size_t n;
	int i;

	if (size > 8192)
		return 0;
	if (!pair.t[0])
		aes128_pair_table_init(&pair); /* entry 0 is Te0[0x00] ^ ror(Te0[0x00], 8) != 0 */
	fuzz_pool_init();
	if (pdcp_init(&srb, &cs, &ops, &fuzz_env, &fuzz_pool) < 0 ||
	    pdcp_init(&am, &ca, &ops, &fuzz_env, &fuzz_pool) < 0 ||
	    pdcp_init(&um, &cu, &ops, &fuzz_env, &fuzz_pool) < 0)
		abort();
	pdcp_set_security(&srb, SEC_EEA2, k, SEC_EIA2, k);
	pdcp_set_security(&am, SEC_EEA2, k, SEC_EIA0, NULL);
	pdcp_set_security(&um, SEC_EEA2, k, SEC_EIA0, NULL);
	/* Pending SDUs, so status reports from the input have something to acknowledge. */
	for (i = 0; i < 4; i++)
		pdcp_tx_sdu(&am, l2_buf_from(&fuzz_pool, k, sizeof(k)));
	while (fuzz_next(&c, &p, &n)) {
		bool reest = n && (p[0] & 1);
		struct l2_buf *b;

		if ((b = fuzz_buf(p, n)))
			pdcp_rx_pdu(&srb, b, false);
		if ((b = fuzz_buf(p, n)))
			pdcp_rx_pdu(&am, b, reest);
		if ((b = fuzz_buf(p, n)))
			pdcp_rx_pdu(&um, b, false);
		fuzz_now += 2;
		pdcp_tick(&am);
	}
	pdcp_tx_status_report(&am);
	pdcp_release(&srb);
	pdcp_release(&am);
	pdcp_release(&um);
	fuzz_pool_check();
	return 0;
}
