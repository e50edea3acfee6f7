/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: RRC UPER decoding on every channel, raw input and mutations of valid messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2/env.h"
#include "l3/rrc.h"
#include "rrc_fixtures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[8192], scratch2[8192];

/* A decoded message re-encodes, and that encoding decodes and re-encodes to the same octets. */
static void check_stable(enum rrc_channel ch, const struct rrc_msg *m)
{
	static uint8_t a[8192], b[8192];
	static struct rrc_msg d;
	int n = rrc_encode(m, a, sizeof(a)), k;

	if (n < 0 || rrc_msg_channel(m->type) != ch)
		abort();
	if (rrc_decode(ch, a, (size_t)n, &d, scratch2, sizeof(scratch2)) != 0)
		abort();
	k = rrc_encode(&d, b, sizeof(b));
	if (k != n || memcmp(a, b, (size_t)n))
		abort();
}

static void decode_all(const uint8_t *data, size_t size)
{
	static struct rrc_msg m;
	static struct rrc_ue_eutra_cap u;
	int ch, err;

	for (ch = RRC_BCCH_BCH; ch <= RRC_UL_DCCH; ch++) {
		err = rrc_decode((enum rrc_channel)ch, data, size, &m, scratch, sizeof(scratch));
		if (err == 0)
			check_stable((enum rrc_channel)ch, &m);
		else if (err != L2_EPROTO && err != L2_ENOTSUP && err != L2_EMSGSIZE)
			abort();
	}
	if (rrc_ue_cap_decode(data, size, &u) == 0) {
		static uint8_t a[512];
		static struct rrc_ue_eutra_cap v;
		int n = rrc_ue_cap_encode(&u, a, sizeof(a));

		if (n < 0 || rrc_ue_cap_decode(a, (size_t)n, &v) != 0)
			abort();
	}
}

/* A fixture (first octet) with the rest applied as (bit position, flip) edits and a cut. */
static void mutate_fixture(const uint8_t *data, size_t size)
{
	static uint8_t buf[2048], cap_buf[256];
	static struct rrc_msg m;
	static struct rrc_ue_eutra_cap cap;
	size_t i;
	int n;

	if (!rrc_fixture(data[0] % RRC_MSG_TYPES, &m, &cap, cap_buf, sizeof(cap_buf)))
		return;
	n = rrc_encode(&m, buf, sizeof(buf));
	if (n <= 0)
		abort();
	for (i = 1; i + 1 < size; i += 2) {
		unsigned bit = (unsigned)(data[i] << 8 | data[i + 1]) % (unsigned)(n * 8);

		buf[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
	}
	if (size % 2 == 0 && size > 2)
		n -= data[size - 1] % n;
	decode_all(buf, (size_t)n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	if (size > 1 && data[0] >= 0xe0)
		mutate_fixture(data + 1, size - 1);
	else
		decode_all(data, size);
	return 0;
}
