/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: NAS EMM/ESM decoding (both directions) and NAS security unwrapping of untrusted octets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2/env.h"
#include "l3/nas.h"
#include "l3/emm.h"
#include "l3/mme.h"
#include "l3/nas_sec.h"
#include "nas_fixtures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A decoded message encodes, and that encoding decodes to the same octets again. */
static void check_stable(const struct nas_msg *m, enum nas_dir dir)
{
	static uint8_t a[NAS_MAX_MSG], b[NAS_MAX_MSG];
	static struct nas_msg d;
	int n = nas_encode(m, a, sizeof(a)), k;

	if (n == L2_EMSGSIZE || n == L2_EINVAL)
		return; /* e.g. more TAIs than one list may carry */
	if (n < 0)
		abort();
	if (nas_decode(a, (size_t)n, dir, &d) != 0)
		abort();
	k = nas_encode(&d, b, sizeof(b));
	if (k != n || memcmp(a, b, (size_t)n))
		abort();
}

static void sink_send(void *ctx, const uint8_t *pdu, size_t len, bool initial)
{
	(void)ctx, (void)pdu, (void)len, (void)initial;
}

static int usim_stub(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
		     struct usim_auth_result *out)
{
	(void)ctx, (void)rand, (void)autn;
	memset(out, 0, sizeof(*out));
	out->res_len = 8;
	return 0;
}

static void mme_send_stub(void *ctx, uint32_t conn, const uint8_t *pdu, size_t len)
{
	(void)ctx, (void)conn, (void)pdu, (void)len;
}

static void mme_setup_stub(void *ctx, uint32_t conn, const uint8_t kenb[32], uint8_t ebi,
			   uint8_t qci, const uint8_t *nas, size_t len)
{
	(void)ctx, (void)conn, (void)kenb, (void)ebi, (void)qci, (void)nas, (void)len;
}

/* The UE's EMM (attaching) and the MME take the input as a message from the other side. */
static void state_machines(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {1}, opc[16] = {2};
	static struct emm_ue ue;
	static struct mme mme;
	struct emm_ops uops = {.send = sink_send, .authenticate = usim_stub};
	struct mme_ops mops = {.send = mme_send_stub, .context_setup = mme_setup_stub};
	struct emm_config uc;
	struct mme_config mc;

	memset(&uc, 0, sizeof(uc));
	memcpy(uc.imsi, "001010000000001", 16);
	uc.ue_net_cap[0] = uc.ue_net_cap[1] = 0xe0;
	memset(&mc, 0, sizeof(mc));
	mc.plmn = (struct nas_plmn){1, 1, 2};
	if (emm_init(&ue, &uc, &uops, NULL) || mme_init(&mme, &mc, &mops, NULL))
		abort();
	mme_add_subscriber(&mme, "001010000000001", k, opc, 0);
	emm_attach(&ue);
	emm_rx(&ue, data, size);
	emm_tick(&ue);
	mme_rx(&mme, 1, data, size);
	mme_rx(&mme, 1, data, size);
	mme_tick(&mme);
}

/* Decode `p` both ways and through the security layer; abort on anything but a clean refusal. */
static void decode_all(const uint8_t *data, size_t size);

/*
 * A fixture (chosen by the first octet) with the rest of the input applied as edits
 * (position, value) and a truncation: mutations of valid encodings reach every IE decoder
 * without a seed corpus.
 */
static void mutate_fixture(const uint8_t *data, size_t size)
{
	static uint8_t buf[NAS_MAX_MSG];
	static struct nas_msg m;
	enum nas_dir dir;
	size_t i;
	int n;

	if (!nas_fixture(data[0] % 32, &m, &dir))
		return;
	n = nas_encode(&m, buf, sizeof(buf));
	if (n <= 0)
		abort();
	for (i = 1; i + 1 < size; i += 2)
		buf[data[i] % n] = data[i + 1];
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

static void decode_all(const uint8_t *data, size_t size)
{
	static const uint8_t kasme[32] = {1, 2, 3, 4, 5, 6, 7, 8};
	static uint8_t plain[4096];
	static struct nas_msg m;
	static struct nas_sec ue, mme;
	const uint8_t *inner;
	size_t n;
	uint8_t hdr;
	int dir, len;

	state_machines(data, size);
	for (dir = 0; dir < 2; dir++) {
		int err = nas_decode(data, size, (enum nas_dir)dir, &m);

		if (err == 0)
			check_stable(&m, (enum nas_dir)dir);
		else if (err != L2_EPROTO && err != L2_ENOTSUP)
			abort();
	}
	inner = nas_sec_peek(data, size, &n);
	if (inner && (n > size || inner < data || inner + n > data + size))
		abort();
	nas_sec_init(&ue, true, kasme, 0, SEC_EEA2, SEC_EIA2);
	nas_sec_init(&mme, false, kasme, 0, SEC_EEA0, SEC_EIA0);
	len = nas_sec_unprotect(&ue, data, size, plain, sizeof(plain), &hdr);
	if (len > (int)sizeof(plain))
		abort();
	/* With EIA0 every well-formed message verifies: its plain part goes on to the decoder. */
	len = nas_sec_unprotect(&mme, data, size, plain, sizeof(plain), &hdr);
	if (len > 0 && nas_decode(plain, (size_t)len, NAS_UL, &m) == 0)
		check_stable(&m, NAS_UL);
}
