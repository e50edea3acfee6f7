/* SPDX-License-Identifier: BSD-2-Clause */
/* MILENAGE against TS 35.208, USIM/HSS AKA (TS 33.102) and K_ASME (TS 33.401 §A.2) vs OpenSSL. */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hex.h"
#include "l2/env.h"
#include "l2/sec.h"
#include "l3/milenage.h"
#include "l3/usim.h"

struct milenage_set {
	const char *k, *rand, *sqn, *amf, *op, *opc;
	const char *f1, *f1s, *f2, *f5, *f3, *f4, *f5s;
};

/*
 * TS 35.208 §4.3 test sets 1 to 20 (conformance test data). Test sets 1 to 6 are also the
 * implementers' test data of TS 35.207 §4 to §6.
 */
static const struct milenage_set sets[] = {
	{"465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35", "ff9bb4d0b607",
	 "b9b9", "cdc202d5123e20f62b6d676ac72cb318", "cd63cb71954a9f4e48a5994e37a02baf",
	 "4a9ffac354dfafb3", "01cfaf9ec4e871e9", "a54211d5e3ba50bf", "aa689c648370",
	 "b40ba9a3c58b2a05bbf0d987b21bf8cb", "f769bcd751044604127672711c6d3441", "451e8beca43b"},
	{"0396eb317b6d1c36f19c1c84cd6ffd16", "c00d603103dcee52c4478119494202e8", "fd8eef40df7d",
	 "af17", "ff53bade17df5d4e793073ce9d7579fa", "53c15671c60a4b731c55b4a441c0bde2",
	 "5df5b31807e258b0", "a8c016e51ef4a343", "d3a628ed988620f0", "c47783995f72",
	 "58c433ff7a7082acd424220f2b67c556", "21a8c1f929702adb3e738488b9f5c5da", "30f1197061c1"},
	{"fec86ba6eb707ed08905757b1bb44b8f", "9f7c8d021accf4db213ccff0c7f71a6a", "9d0277595ffc",
	 "725c", "dbc59adcb6f9a0ef735477b7fadf8374", "1006020f0a478bf6b699f15c062e42b3",
	 "9cabc3e99baf7281", "95814ba2b3044324", "8011c48c0c214ed2", "33484dc2136b",
	 "5dbdbb2954e8f3cde665b046179a5098", "59a92d3b476a0443487055cf88b2307b", "deacdd848cc6"},
	{"9e5944aea94b81165c82fbf9f32db751", "ce83dbc54ac0274a157c17f80d017bd6", "0b604a81eca8",
	 "9e09", "223014c5806694c007ca1eeef57f004f", "a64a507ae1a2a98bb88eb4210135dc87",
	 "74a58220cba84c49", "ac2cc74a96871837", "f365cd683cd92e96", "f0b9c08ad02e",
	 "e203edb3971574f5a94b0d61b816345d", "0c4524adeac041c4dd830d20854fc46b", "6085a86c6f63"},
	{"4ab1deb05ca6ceb051fc98e77d026a84", "74b0cd6031a1c8339b2b6ce2b8c4a186", "e880a1b580b6",
	 "9f07", "2d16c5cd1fdf6b22383584e3bef2a8d8", "dcf07cbd51855290b92a07a9891e523e",
	 "49e785dd12626ef2", "9e85790336bb3fa2", "5860fc1bce351e7e", "31e11a609118",
	 "7657766b373d1c2138f307e3de9242f9", "1c42e960d89b8fa99f2744e0708ccb53", "fe2555e54aa9"},
	{"6c38a116ac280c454f59332ee35c8c4f", "ee6466bc96202c5a557abbeff8babf63", "414b98222181",
	 "4464", "1ba00a1a7c6700ac8c3ff3e96ad08725", "3803ef5363b947c6aaa225e58fae3934",
	 "078adfb488241a57", "80246b8d0186bcf1", "16c8233f05a0ac28", "45b0f69ab06c",
	 "3f8c7587fe8e4b233af676aede30ba3b", "a7466cc1e6b2a1337d49d3b66e95d7b4", "1f53cd2b1113"},
	{"2d609d4db0ac5bf0d2c0de267014de0d", "194aa756013896b74b4a2a3b0af4539e", "6bf69438c2e4",
	 "5f67", "460a48385427aa39264aac8efc9e73e8", "c35a0ab0bcbfc9252caff15f24efbde0",
	 "bd07d3003b9e5cc3", "bcb6c2fcad152250", "8c25a16cd918a1df", "7e6455f34cf3",
	 "4cd0846020f8fa0731dd47cbdc6be411", "88ab80a415f15c73711254a1d388f696", "dc6dd01e8f15"},
	{"a530a7fe428fad1082c45eddfce13884", "3a4c2b3245c50eb5c71d08639395764d", "f63f5d768784",
	 "b90e", "511c6c4e83e38c89b1c5d8dde62426fa", "27953e49bc8af6dcc6e730eb80286be3",
	 "53761fbd679b0bad", "21adfd334a10e7ce", "a63241e1ffc3e5ab", "88196c47986f",
	 "10f05bab75a99a5fbb98a9c287679c3b", "f9ec0865eb32f22369cade40c59c3a44", "c987a3d23115"},
	{"d9151cf04896e25830bf2e08267b8360", "f761e5e93d603feb730e27556cb8a2ca", "47ee0199820a",
	 "9113", "75fc2233a44294ee8e6de25c4353d26b", "c4c93effe8a08138c203d4c27ce4e3d9",
	 "66cc4be44862af1f", "7a4b8d7a8753f246", "4a90b2171ac83a76", "82a0f5287a71",
	 "71236b7129f9b22ab77ea7a54c96da22", "90527ebaa5588968db41727325a04d9e", "527dbf41f35f"},
	{"a0e2971b6822e8d354a18cc235624ecb", "08eff828b13fdb562722c65c7f30a9b2", "db5c066481e0",
	 "716b", "323792faca21fb4d5d6f13c145a9d2c1", "82a26f22bba9e9488f949a10d98e9cc4",
	 "9485fe24621cb9f6", "bce325ce03e2e9b9", "4bc2212d8624910a", "a2f858aa9e5d",
	 "08cef6d004ec61471a3c3cda048137fa", "ed0318ca5deb9206272f6e8fa64ba411", "74e76fbbec38"},
	{"0da6f7ba86d5eac8a19cf563ac58642d", "679ac4dbacd7d233ff9d6806f4149ce3", "6e2331d692ad",
	 "224a", "4b9a26fa459e3acbff36f4015de3bdc1", "0db1071f8767562ca43a0a64c41e8d08",
	 "2831d7ae9088e492", "9b2e16951135d523", "6fc30fee6d123523", "4c539a26e1fa",
	 "69b1cae7c7429d975e245cacb05a517c", "74f24e8c26df58e1b38d7dcd4f1b7fbd", "07861e126928"},
	{"77b45843c88e58c10d202684515ed430", "4c47eb3076dc55fe5106cb2034b8cd78", "fe1a8731005d",
	 "ad25", "bf3286c7a51409ce95724d503bfe6e70", "d483afae562409a326b5bb0b20c4d762",
	 "08332d7e9f484570", "ed41b734489d5207", "aefa357beac2a87a", "30ff25cdadf6",
	 "908c43f0569cb8f74bc971e706c36c5f", "c251df0d888dd9329bcf46655b226e40", "e84ed0d4677e"},
	{"729b17729270dd87ccdf1bfe29b4e9bb", "311c4c929744d675b720f3b7e9b1cbd0", "c85c4cf65916",
	 "5bb2", "d04c9c35bd2262fa810d2924d036fd13", "228c2f2f06ac3268a9e616ee16db4ba1",
	 "ff794fe2f827ebf8", "24fe4dc61e874b52", "98dbbd099b3b408d", "5380d158cfe3",
	 "44c0f23c5493cfd241e48f197e1d1012", "0c9fb81613884c2535dd0eabf3b440d8", "87ac3b559fb6"},
	{"d32dd23e89dc662354ca12eb79dd32fa", "cf7d0ab1d94306950bf12018fbd46887", "484107e56a43",
	 "b5e6", "fe75905b9da47d356236d0314e09c32e", "d22a4b4180a5325708a5ff70d9f67ec7",
	 "cf19d62b6a809866", "5d269537e45e2ce6", "af4a411e1139f2c2", "217af49272ad",
	 "5af86b80edb70df5292cc1121cbad50c", "7f4d6ae7440e18789a8b75ad3f42f03a", "900e101c677e"},
	{"af7c65e1927221de591187a2c5987a53", "1f0f8578464fd59b64bed2d09436b57a", "3d627b01418d",
	 "84f6", "0c7acb8d95b7d4a31c5aca6d26345a88", "a4cf5c8155c08a7eff418e5443b98e55",
	 "c37cae7805642032", "68cd09a452d8db7c", "7bffa5c2f41fbc05", "837fd7b74419",
	 "3f8c3f3ccf7625bf77fc94bcfd22fd26", "abcbae8fd46115e9961a55d0da5f2078", "56e97a6090b1"},
	{"5bd7ecd3d3127a41d12539bed4e7cf71", "59b75f14251c75031d0bcbac1c2c04c7", "a298ae8929dc",
	 "d056", "f967f76038b920a9cd25e10c08b49924", "76089d3c0ff3efdc6e36721d4fceb747",
	 "c3f25cd94309107e", "b0c8ba343665afcc", "7e3f44c7591f6f45", "5be11495525d",
	 "d42b2d615e49a03ac275a5aef97af892", "0b3f8d024fe6bfafaa982b8f82e319c2", "4d6a34a1e4eb"},
	{"6cd1c6ceb1e01e14f1b82316a90b7f3d", "f69b78f300a0568bce9f0cb93c4be4c9", "b4fce5feb059",
	 "e4bb", "078bfca9564659ecd8851e84e6c59b48", "a219dc37f1dc7d66738b5843c799f206",
	 "69a90869c268cb7b", "2e0fdcf9fd1cfa6a", "70f6bdb9ad21525f", "1c408a858b3e",
	 "6edaf99e5bd9f85d5f36d91c1272fb4b", "d61c853c280dd9c46f297baec386de17", "aa4ae52daa30"},
	{"b73a90cbcf3afb622dba83c58a8415df", "b120f1c1a0102a2f507dd543de68281f", "f1e8a523a36d",
	 "471b", "b672047e003bb952dca6cb8af0e5b779", "df0c67868fa25f748b7044c6e7c245b8",
	 "ebd70341bcd415b0", "12359f5d82220c14", "479dd25c20792d63", "aefdaa5ddd99",
	 "66195dbed0313274c5ca7766615fa25e", "66bec707eb2afc476d7408a8f2927b36", "12ec2b87fbb1"},
	{"5122250214c33e723a5dd523fc145fc0", "81e92b6c0ee0e12ebceba8d92a99dfa5", "16f3b3f70fc2",
	 "c3ab", "c9e8763286b5b9ffbdf56e1297d0887b", "981d464c7c52eb6e5036234984ad0bcf",
	 "2a5c23d15ee351d5", "62dae3853f3af9d2", "28d7b0f2a2ec3de5", "ada15aeb7bb8",
	 "5349fbe098649f948f5d2e973a81c00f", "9744871ad32bf9bbd1dd5ce54e3e2e5a", "d461bc15475d"},
	{"90dca4eda45b53cf0f12d7c9c3bc6a89", "9fddc72092c6ad036b6e464789315b78", "20f813bd4141",
	 "61df", "3ffcfe5b7b1111589920d3528e84e655", "cb9cccc4b9258e6dca4760379fb82581",
	 "09db94eab4f8149e", "a29468aa9775b527", "a95100e2760952cd", "83cfd54db913",
	 "b5f2da03883b69f96bf52e029ed9ac45", "b4721368bc16ea67875c5598688bb0ef", "4f2039392ddc"},
};

static int expect(const char *what, int set, const uint8_t *got, const char *want_hex)
{
	uint8_t want[32];
	size_t n = hex_decode(want_hex, want, sizeof(want));

	if (memcmp(got, want, n) == 0)
		return 0;
	fprintf(stderr, "TS 35.208 test set %d: %s differs\n", set, what);
	return 1;
}

/* One set: OPc from OP, then f1, f1*, f2..f5, f5* (TS 35.208 §4.3.n). */
static void check_set(int n)
{
	const struct milenage_set *s = &sets[n - 1];
	uint8_t k[16], op[16], opc[16], rand[16], sqn[6], amf[2];
	uint8_t mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], aks[6];
	struct milenage m;
	int bad = 0;

	hex_decode(s->k, k, 16);
	hex_decode(s->op, op, 16);
	hex_decode(s->rand, rand, 16);
	hex_decode(s->sqn, sqn, 6);
	hex_decode(s->amf, amf, 2);
	milenage_opc(k, op, opc);
	bad |= expect("OPc", n, opc, s->opc);
	milenage_init(&m, k, opc);
	milenage_f1(&m, rand, sqn, amf, mac_a, mac_s);
	milenage_f2345(&m, rand, res, ck, ik, ak, aks);
	bad |= expect("f1", n, mac_a, s->f1);
	bad |= expect("f1*", n, mac_s, s->f1s);
	bad |= expect("f2", n, res, s->f2);
	bad |= expect("f3", n, ck, s->f3);
	bad |= expect("f4", n, ik, s->f4);
	bad |= expect("f5", n, ak, s->f5);
	bad |= expect("f5*", n, aks, s->f5s);
	CU_ASSERT_EQUAL(bad, 0);
	/* Outputs may be skipped one at a time with the same results. */
	milenage_f1(&m, rand, sqn, amf, NULL, mac_s);
	milenage_f2345(&m, rand, NULL, NULL, ik, NULL, NULL);
	CU_ASSERT_EQUAL(expect("f1* alone", n, mac_s, s->f1s) | expect("f4 alone", n, ik, s->f4),
			0);
}

#define MILENAGE_SET(n)                           \
	static void milenage_ts35208_set##n(void) \
	{                                         \
		check_set(n);                     \
	}
MILENAGE_SET(1)
MILENAGE_SET(2)
MILENAGE_SET(3)
MILENAGE_SET(4)
MILENAGE_SET(5)
MILENAGE_SET(6)
MILENAGE_SET(7)
MILENAGE_SET(8)
MILENAGE_SET(9)
MILENAGE_SET(10)
MILENAGE_SET(11)
MILENAGE_SET(12)
MILENAGE_SET(13)
MILENAGE_SET(14)
MILENAGE_SET(15)
MILENAGE_SET(16)
MILENAGE_SET(17)
MILENAGE_SET(18)
MILENAGE_SET(19)
MILENAGE_SET(20)

/* TS 33.401 §A.2 K_ASME computed independently with OpenSSL's HMAC-SHA-256. */
static void openssl_kasme(const uint8_t ck[16], const uint8_t ik[16], const uint8_t sn[3],
			  const uint8_t sqnak[6], uint8_t out[32])
{
	uint8_t key[32], s[1 + 3 + 2 + 6 + 2];
	unsigned len = 32;

	memcpy(key, ck, 16);
	memcpy(key + 16, ik, 16);
	s[0] = 0x10;
	memcpy(s + 1, sn, 3);
	s[4] = 0, s[5] = 3;
	memcpy(s + 6, sqnak, 6);
	s[12] = 0, s[13] = 6;
	HMAC(EVP_sha256(), key, 32, s, sizeof(s), out, &len);
}

static const uint8_t plmn_001_01[3] = {0x00, 0xf1, 0x10}; /* MCC 001, MNC 01 (§9.9.3.32) */
static const uint8_t amf_eps[2] = {0x80, 0x00};		  /* separation bit set */

static void subscriber(int n, uint8_t k[16], uint8_t opc[16])
{
	uint8_t op[16];

	hex_decode(sets[n].k, k, 16);
	hex_decode(sets[n].op, op, 16);
	milenage_opc(k, op, opc);
}

/* TS 33.102 §6.3: the HSS vector authenticates the network to the USIM; RES = XRES; K_ASME agrees. */
static void aka_ts33102_vector_accepted_and_kasme_agrees(void)
{
	uint8_t k[16], opc[16], rand[16] = {1, 2, 3}, kasme[32], ref[32];
	struct hss_subscriber hs;
	struct usim_auth_result r;
	struct eps_av av;
	struct usim u;
	int i;

	for (i = 0; i < 20; i++) {
		subscriber(i, k, opc);
		hss_subscriber_init(&hs, k, opc, 0x20 + (uint64_t)i, amf_eps);
		usim_init(&u, k, opc);
		rand[15] = (uint8_t)i;
		CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand, plmn_001_01, &av), 0);
		CU_ASSERT_EQUAL_FATAL(usim_authenticate(&u, rand, av.autn, &r), 0);
		CU_ASSERT_EQUAL(r.res_len, av.xres_len);
		CU_ASSERT_EQUAL(memcmp(r.res, av.xres, r.res_len), 0);
		CU_ASSERT(aka_amf_separation(r.amf));
		sec_derive_kasme(r.ck, r.ik, plmn_001_01, r.sqn_xor_ak, kasme);
		CU_ASSERT_EQUAL(memcmp(kasme, av.kasme, 32), 0);
		openssl_kasme(r.ck, r.ik, plmn_001_01, r.sqn_xor_ak, ref);
		CU_ASSERT_EQUAL(memcmp(kasme, ref, 32), 0);
		CU_ASSERT_EQUAL(usim_sqn_ms(&u), hs.sqn);
		CU_ASSERT_EQUAL(u.stats.auth_ok, 1);
	}
}

/* A wrong K (or any AUTN bit flipped) is a MAC failure; nothing but zeros comes back. */
static void aka_ts33102_mac_failure(void)
{
	uint8_t k[16], opc[16], rand[16] = {9}, zero[16] = {0};
	struct hss_subscriber hs;
	struct usim_auth_result r;
	struct eps_av av;
	struct usim u;
	int bit;

	subscriber(0, k, opc);
	hss_subscriber_init(&hs, k, opc, 0, amf_eps);
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand, plmn_001_01, &av), 0);
	k[3] ^= 0x40;
	usim_init(&u, k, opc);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand, av.autn, &r), L2_EAUTH);
	CU_ASSERT_EQUAL(memcmp(r.ck, zero, 16), 0);
	CU_ASSERT_EQUAL(u.stats.mac_failures, 1);
	k[3] ^= 0x40;
	usim_init(&u, k, opc);
	for (bit = 48; bit < 128; bit += 7) {
		uint8_t autn[16];

		memcpy(autn, av.autn, 16);
		autn[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
		CU_ASSERT_EQUAL(usim_authenticate(&u, rand, autn, &r), L2_EAUTH);
	}
	/* A flipped SQN bit changes XMAC too (f1 covers SQN). */
	av.autn[2] ^= 1;
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand, av.autn, &r), L2_EAUTH);
	av.autn[2] ^= 1;
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand, av.autn, &r), 0);
}

/*
 * A replayed vector is a synchronisation failure; AUTS lets the HSS resynchronise
 * (TS 33.102 §6.3.5) and the next vector is accepted.
 */
static void aka_ts33102_resync_after_replay(void)
{
	uint8_t k[16], opc[16], rand1[16] = {1}, rand2[16] = {2}, bad_auts[AKA_AUTS_LEN];
	struct hss_subscriber hs;
	struct usim_auth_result r;
	struct eps_av av;
	struct usim u;

	subscriber(6, k, opc);
	hss_subscriber_init(&hs, k, opc, 0, amf_eps);
	usim_init(&u, k, opc);
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand1, plmn_001_01, &av), 0);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand1, av.autn, &r), 0);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand1, av.autn, &r), L2_ESTALE);
	CU_ASSERT_EQUAL(u.stats.sync_failures, 1);
	/* The HSS lost its state (rolled back): its next vector is stale too. */
	hss_subscriber_init(&hs, k, opc, 0, amf_eps);
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand2, plmn_001_01, &av), 0);
	CU_ASSERT_EQUAL_FATAL(usim_authenticate(&u, rand2, av.autn, &r), L2_ESTALE);
	memcpy(bad_auts, r.auts, sizeof(bad_auts));
	bad_auts[13] ^= 1;
	CU_ASSERT_EQUAL(hss_resync(&hs, rand2, bad_auts), L2_EAUTH);
	CU_ASSERT_EQUAL_FATAL(hss_resync(&hs, rand2, r.auts), 0);
	CU_ASSERT_EQUAL(hs.sqn, usim_sqn_ms(&u));
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand1, plmn_001_01, &av), 0);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand1, av.autn, &r), 0);
	CU_ASSERT_EQUAL(hs.resyncs, 1);
}

/* §C.2.2: a SEQ more than Δ ahead is refused; an IND slot holds its own highest SEQ. */
static void aka_ts33102_c2_sqn_window(void)
{
	uint8_t k[16], opc[16], rand[16] = {5};
	struct hss_subscriber hs;
	struct usim_auth_result r;
	struct eps_av av;
	struct usim u;

	subscriber(2, k, opc);
	usim_init(&u, k, opc);
	usim_set_sqn(&u, 100u << USIM_IND_BITS);
	hss_subscriber_init(&hs, k, opc, (100u + USIM_SEQ_DELTA + 1) << USIM_IND_BITS, amf_eps);
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand, plmn_001_01, &av), 0);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand, av.autn, &r), L2_ESTALE);
	hss_subscriber_init(&hs, k, opc, (100u + USIM_SEQ_DELTA - 1) << USIM_IND_BITS, amf_eps);
	CU_ASSERT_EQUAL_FATAL(hss_generate_av(&hs, rand, plmn_001_01, &av), 0);
	CU_ASSERT_EQUAL(usim_authenticate(&u, rand, av.autn, &r), 0);
	/* Vectors used out of order with different IND values are all fresh. */
	usim_set_sqn(&u, 0);
	hss_subscriber_init(&hs, k, opc, 0, amf_eps);
	{
		struct eps_av avs[3];
		int i;

		for (i = 0; i < 3; i++)
			CU_ASSERT_EQUAL(hss_generate_av(&hs, rand, plmn_001_01, &avs[i]), 0);
		CU_ASSERT_EQUAL(usim_authenticate(&u, rand, avs[2].autn, &r), 0);
		CU_ASSERT_EQUAL(usim_authenticate(&u, rand, avs[0].autn, &r), 0);
		CU_ASSERT_EQUAL(usim_authenticate(&u, rand, avs[1].autn, &r), 0);
		CU_ASSERT_EQUAL(usim_authenticate(&u, rand, avs[1].autn, &r), L2_ESTALE);
	}
}

/* The TS 33.401 key hierarchy below K_ASME: NAS keys, K_eNB, NH, K_eNB*, each against OpenSSL HMAC. */
static void kdf_ts33401_annex_a_hierarchy_vs_openssl(void)
{
	uint8_t kasme[32], out[32], ref[32], s[64], k16[16];
	uint32_t count = 0x01020304;
	unsigned len;

	memset(kasme, 0x5a, sizeof(kasme));
	kasme[0] = 1;
	/* §A.7: K_NASint for 128-EIA2: FC 0x15, P0 = 0x02 (NAS-int), P1 = 2. */
	sec_derive_alg_key(kasme, SEC_NAS_INT, 2, k16);
	s[0] = 0x15, s[1] = 0x02, s[2] = 0, s[3] = 1, s[4] = 2, s[5] = 0, s[6] = 1;
	HMAC(EVP_sha256(), kasme, 32, s, 7, ref, &len);
	CU_ASSERT_EQUAL(memcmp(k16, ref + 16, 16), 0);
	/* §A.3: K_eNB with the uplink NAS COUNT. */
	sec_derive_kenb(kasme, count, out);
	s[0] = 0x11, s[1] = 1, s[2] = 2, s[3] = 3, s[4] = 4, s[5] = 0, s[6] = 4;
	HMAC(EVP_sha256(), kasme, 32, s, 7, ref, &len);
	CU_ASSERT_EQUAL(memcmp(out, ref, 32), 0);
	/* §A.4: NH from the sync input (K_eNB first). */
	sec_derive_nh(kasme, out, out + 0);
	s[0] = 0x12;
	memcpy(s + 1, ref, 32);
	s[33] = 0, s[34] = 32;
	HMAC(EVP_sha256(), kasme, 32, s, 35, ref, &len);
	CU_ASSERT_EQUAL(memcmp(out, ref, 32), 0);
	/* §A.5: K_eNB* for re-establishment: FC 0x13, P0 = PCI, P1 = EARFCN-DL. */
	sec_derive_kenb_star(kasme, 0x01f7, 3350, out);
	s[0] = 0x13, s[1] = 0x01, s[2] = 0xf7, s[3] = 0, s[4] = 2;
	s[5] = 3350 >> 8, s[6] = 3350 & 0xff, s[7] = 0, s[8] = 2;
	HMAC(EVP_sha256(), kasme, 32, s, 9, ref, &len);
	CU_ASSERT_EQUAL(memcmp(out, ref, 32), 0);
}

TEST_SUITE(usim, TEST_CASE(milenage_ts35208_set1), TEST_CASE(milenage_ts35208_set2),
	   TEST_CASE(milenage_ts35208_set3), TEST_CASE(milenage_ts35208_set4),
	   TEST_CASE(milenage_ts35208_set5), TEST_CASE(milenage_ts35208_set6),
	   TEST_CASE(milenage_ts35208_set7), TEST_CASE(milenage_ts35208_set8),
	   TEST_CASE(milenage_ts35208_set9), TEST_CASE(milenage_ts35208_set10),
	   TEST_CASE(milenage_ts35208_set11), TEST_CASE(milenage_ts35208_set12),
	   TEST_CASE(milenage_ts35208_set13), TEST_CASE(milenage_ts35208_set14),
	   TEST_CASE(milenage_ts35208_set15), TEST_CASE(milenage_ts35208_set16),
	   TEST_CASE(milenage_ts35208_set17), TEST_CASE(milenage_ts35208_set18),
	   TEST_CASE(milenage_ts35208_set19), TEST_CASE(milenage_ts35208_set20),
	   TEST_CASE(aka_ts33102_vector_accepted_and_kasme_agrees),
	   TEST_CASE(aka_ts33102_mac_failure), TEST_CASE(aka_ts33102_resync_after_replay),
	   TEST_CASE(aka_ts33102_c2_sqn_window),
	   TEST_CASE(kdf_ts33401_annex_a_hierarchy_vs_openssl))
