/* SPDX-License-Identifier: BSD-2-Clause */
/* AS keys from K_eNB (TS 33.401 §A.7) and the shortMAC-I of re-establishment (TS 36.331 §5.3.7.4). */
#include <string.h>

#include "l2/sec.h"
#include "l3/rrc_sm.h"
#include "per.h"

void rrc_as_keys_derive(const uint8_t kenb[32], uint8_t eea, uint8_t eia, struct rrc_as_keys *k)
{
	k->eea = eea;
	k->eia = eia;
	sec_derive_alg_key(kenb, SEC_RRC_ENC, eea, k->k_rrc_enc);
	sec_derive_alg_key(kenb, SEC_RRC_INT, eia, k->k_rrc_int);
	sec_derive_alg_key(kenb, SEC_UP_ENC, eea, k->k_up_enc);
}

uint16_t rrc_short_mac_i(const struct rrc_as_keys *k, uint32_t cell_id, uint16_t pci,
			 uint16_t c_rnti)
{
	uint8_t input[8], mac[4];
	struct per_wr w;
	struct sec_key key;
	size_t n;

	/* VarShortMAC-Input (§7.1) in unaligned PER: 28 + 9 + 16 bits, padded. */
	per_wr_init(&w, input, sizeof(input));
	per_put_bits(&w, cell_id & 0xfffffff, 28);
	per_put_int(&w, pci, 0, 503);
	per_put_bits(&w, c_rnti, 16);
	n = per_wr_finish(&w);
	sec_key_init(&key, k->k_rrc_int);
	if (sec_integrity((enum sec_eia)k->eia, &key, 0xffffffffu, 0x1f, 1, input, (uint32_t)n * 8,
			  mac))
		return 0;
	return (uint16_t)(mac[2] << 8 | mac[3]);
}
