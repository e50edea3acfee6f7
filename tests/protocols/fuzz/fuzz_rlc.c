/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: RLC header and STATUS parsing, and AM/UM receivers fed untrusted PDUs. */
#include "fuzz.h"
#include "l2/rlc.h"

static void drop(void *ctx, struct l2_buf *b)
{
	(void)ctx;
	l2_buf_free(b);
}

static void check_hdr(const struct rlc_hdr *h, size_t size)
{
	uint32_t sum = h->hdr_len;
	unsigned i;

	for (i = 0; i < h->n_li; i++)
		sum += h->li[i];
	if (h->n_li > RLC_MAX_LI || sum >= size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rlc_am am;
	static struct rlc_um um5, um10;
	const struct rlc_ops ops = {.rx_sdu = drop};
	const struct rlc_am_config acfg = {.t_poll_retransmit_ms = 5,
					   .t_reordering_ms = 3,
					   .t_status_prohibit_ms = 1,
					   .poll_pdu = 4,
					   .max_retx_threshold = 4,
					   .max_sdus = 16};
	const struct rlc_um_config u5 = {.sn_bits = 5, .t_reordering_ms = 3},
				   u10 = {.sn_bits = 10, .t_reordering_ms = 3};
	struct fuzz_chunks c = {data, size};
	struct rlc_status st;
	struct rlc_hdr h;
	const uint8_t *p;
	size_t n;
	int i;

	if (size > 8192)
		return 0;
	if (rlc_um_parse(data, (uint32_t)size, 5, &h) == 0)
		check_hdr(&h, size);
	if (rlc_um_parse(data, (uint32_t)size, 10, &h) == 0)
		check_hdr(&h, size);
	if (rlc_am_parse(data, (uint32_t)size, &h) == 0)
		check_hdr(&h, size);
	if (rlc_status_parse(data, (uint32_t)size, &st) == 0 && st.n_nack > RLC_MAX_NACKS)
		abort();

	fuzz_pool_init();
	if (rlc_am_init(&am, &acfg, &ops, &fuzz_env, &fuzz_pool) < 0 ||
	    rlc_um_init(&um5, &u5, &ops, &fuzz_env, &fuzz_pool) < 0 ||
	    rlc_um_init(&um10, &u10, &ops, &fuzz_env, &fuzz_pool) < 0)
		abort();
	/* Some PDUs in flight, so STATUS PDUs from the input have something to (N)ACK. */
	for (i = 0; i < 3; i++) {
		struct l2_buf *b = l2_buf_alloc(&fuzz_pool);

		memset(l2_buf_put(b, 700), i, 700);
		rlc_am_tx_sdu(&am, b);
	}
	for (i = 0; i < 8; i++)
		l2_buf_free(rlc_am_tx_pdu(&am, 300));
	while (fuzz_next(&c, &p, &n)) {
		struct l2_buf *b;

		if ((b = fuzz_buf(p, n)))
			rlc_am_rx_pdu(&am, b);
		if ((b = fuzz_buf(p, n)))
			rlc_um_rx_pdu(&um5, b);
		if ((b = fuzz_buf(p, n)))
			rlc_um_rx_pdu(&um10, b);
		fuzz_now += 2;
		l2_buf_free(rlc_am_tx_pdu(&am, 1 + (n * 7) % 400));
		rlc_um_tick(&um5);
		rlc_um_tick(&um10);
	}
	rlc_am_release(&am);
	rlc_um_release(&um5);
	rlc_um_release(&um10);
	fuzz_pool_check();
	return 0;
}
