/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-net library (l4e/virtio_net.h) on QEMU's device on slot 0, with a host echo peer. */
#include "kthread.h"
#include "ktest.h"
#include "vnet_proto.h"

#include <l4e/dma.h>
#include <l4e/virtio_net.h>
#include <string.h>

#define DEV_VA	    0x50000000u
#define DEV_IRQ	    48u /* SPI 16 + slot 0 (QEMU virt: VIRT_MMIO irq 16, one per slot) */
#define IRQ_BIT	    0x10000u
#define DMA_PAGES   80u /* > vnet_dma_size(&cfg) + L4E_DMA_HDR_SIZE */
#define RUN_PACKETS 200u
#define SPIN_MAX    20000000u

static const struct vnet_config cfg = {.rx_bufs = 8, .tx_bufs = 8, .mtu = VNET_PROTO_MTU};
static struct vnet dev;
static struct l4e_dma dma;
static uint8_t *dma_base;
static l4_cap_t irq, ntfn;
static uint32_t irq_waits;
static uint8_t expect[VNET_PROTO_MTU];

/* Blocks on the notification until the device interrupts; acknowledges device, then line. */
static uint32_t wait_irq(void)
{
	uint32_t bits = 0, st;

	l4_wait(ntfn, &bits);
	st = vnet_irq_status(&dev);
	l4_irq_ack(irq);
	irq_waits++;
	return st;
}

/* The next packet, waiting for the interrupt while there is none. */
static int recv_wait(const uint8_t **pkt, uint32_t *len)
{
	int err;

	while ((err = vnet_recv(&dev, pkt, len)) == -L4_EAGAIN)
		wait_irq();
	return err;
}

/* A transmit buffer, waiting for a completion interrupt while all are in flight. */
static uint8_t *tx_wait(uint32_t *cap)
{
	uint8_t *p;

	while (!(p = vnet_tx_buf(&dev, cap)) && !dev.broken)
		wait_irq();
	return p;
}

static int send_pattern(uint32_t seed, uint32_t len)
{
	uint32_t cap;
	uint8_t *p = tx_wait(&cap);

	if (!p || len > cap)
		return -L4_ERANGE;
	vnet_proto_fill(p, seed, len);
	return vnet_tx_commit(&dev, len);
}

static int send_bytes(const void *data, uint32_t len)
{
	uint32_t cap;
	uint8_t *p = tx_wait(&cap);

	if (!p || len > cap)
		return -L4_ERANGE;
	memcpy(p, data, len);
	return vnet_tx_commit(&dev, len);
}

/* True when the packet is exactly the pattern of (seed, len). */
static bool is_pattern(const uint8_t *pkt, uint32_t got, uint32_t seed, uint32_t len)
{
	if (got != len)
		return false;
	vnet_proto_fill(expect, seed, len);
	return memcmp(pkt, expect, len) == 0;
}

KTEST(vnet_open_rejects_bad_arguments)
{
	const struct l4_bootinfo *bi = ktest_bootinfo;
	struct vnet_config bad = cfg;
	struct l4e_dma small;
	uint32_t off, off2;
	void *hi;

	/* The DMA region: RAM pages whose physical address is ram_base + their cap offset. */
	dma_base = kt_alloc_pages(64, &off);
	hi = kt_alloc_pages(DMA_PAGES - 64, &off2);
	KT_ASSERT(dma_base && hi);
	KT_ASSERT_EQ(off2, off + 64 * L4_PAGE_SIZE); /* contiguous */
	KT_ASSERT_EQ(l4e_dma_init(dma_base, bi->ram_base + off, DMA_PAGES * L4_PAGE_SIZE), 0);
	KT_ASSERT_EQ(l4e_dma_get(dma_base, DMA_PAGES * L4_PAGE_SIZE, &dma), 0);
	KT_ASSERT_EQ(dma.paddr, bi->ram_base + off + L4E_DMA_HDR_SIZE);
	KT_ASSERT(vnet_dma_size(&cfg) <= dma.size);
	/* The device window's first page: slots 0..7. */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_DEVICE, 0, DEV_VA, L4_PAGE_SIZE,
			    L4_PERM_R | L4_PERM_W),
		     0);

	bad.rx_bufs = 6; /* not a power of 2 */
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &dma, &bad), -L4_EINVAL);
	bad = cfg;
	bad.tx_bufs = 2 * VNET_QUEUE_MAX;
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &dma, &bad), -L4_EINVAL);
	bad = cfg;
	bad.mtu = 0;
	KT_ASSERT_EQ(vnet_dma_size(&bad), 0);
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &dma, &bad), -L4_EINVAL);
	small = dma;
	small.size = vnet_dma_size(&cfg) - 1;
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &small, &cfg), -L4_ENOMEM);
	small = dma;
	small.paddr += 4; /* rings need their alignment */
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &small, &cfg), -L4_EINVAL);
}

KTEST(vnet_open_finds_no_device_in_empty_slots)
{
	/* Slots 16..23 (the window's third page): transports with no device behind them. */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_DEVICE, 2 * L4_PAGE_SIZE,
			    DEV_VA + L4_PAGE_SIZE, L4_PAGE_SIZE, L4_PERM_R | L4_PERM_W),
		     0);
	KT_ASSERT_EQ(vnet_open(&dev, (void *)(DEV_VA + L4_PAGE_SIZE), L4_PAGE_SIZE, &dma, &cfg),
		     -L4_EINVAL);
	l4_unmap(L4_ROOT_CAP_SPACE, DEV_VA + L4_PAGE_SIZE, L4_PAGE_SIZE);
}

KTEST(vnet_open_brings_up_the_device_on_slot_0)
{
	l4_cap_t bit = kt_slot_alloc();

	irq = kt_slot_alloc();
	ntfn = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT(irq && bit && ntfn);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, DEV_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_cap_mint(ntfn, 0, bit, L4_RIGHT_SEND, IRQ_BIT), 0);
	KT_ASSERT_EQ(l4_irq_set(irq, bit), 0);
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &dma, &cfg), 0);
	KT_ASSERT_EQ(dev.slot, 0);
	KT_ASSERT_EQ(dev.rx.num, 8);
	KT_ASSERT_EQ(dev.tx_nfree, 8);
	KT_ASSERT(!dev.broken);
}

KTEST(vnet_echoes_1_60_1500_9000_16384_bytes_byte_identical)
{
	static const uint32_t sizes[] = {1, 60, 1500, 9000, VNET_PROTO_MTU};
	const uint8_t *pkt;
	uint32_t i, len;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		KT_ASSERT_EQ(send_pattern(VNET_PROTO_SEED_SIZES + i, sizes[i]), 0);
		KT_ASSERT_EQ(recv_wait(&pkt, &len), 0);
		KT_ASSERT_EQ(len, sizes[i]);
		KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_SIZES + i, sizes[i]));
		vnet_recv_done(&dev);
	}
	KT_ASSERT_EQ(dev.stats.tx_packets, 5);
	KT_ASSERT_EQ(dev.stats.rx_packets, 5);
	KT_ASSERT_EQ(dev.stats.rx_bytes, 1 + 60 + 1500 + 9000 + VNET_PROTO_MTU);
	KT_ASSERT_EQ(dev.stats.bad_used, 0);
}

/* Sizes of the run: small and large mixed, so buffers wrap at every offset. */
static uint32_t run_len(uint32_t i)
{
	return 4 + (i * 997) % 3000;
}

KTEST(vnet_200_packets_in_a_row_arrive_in_order)
{
	const uint8_t *pkt;
	uint32_t sent = 0, got = 0, len, cap;

	/* Keep every transmit buffer busy; take echoes as they come. */
	while (got < RUN_PACKETS) {
		uint8_t *p = sent < RUN_PACKETS ? vnet_tx_buf(&dev, &cap) : NULL;
		int err;

		if (p) {
			vnet_proto_fill(p, VNET_PROTO_SEED_RUN + sent, run_len(sent));
			KT_ASSERT_EQ(vnet_tx_commit(&dev, run_len(sent)), 0);
			sent++;
			continue;
		}
		err = vnet_recv(&dev, &pkt, &len);
		if (err == -L4_EAGAIN) {
			wait_irq(); /* an echo, or a transmit completion when all were in flight */
			continue;
		}
		KT_ASSERT_EQ(err, 0);
		KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_RUN + got, run_len(got)));
		vnet_recv_done(&dev);
		got++;
	}
	KT_ASSERT_EQ(dev.stats.bad_used, 0);
	KT_ASSERT_EQ(dev.stats.rx_dropped, 0);
}

KTEST(vnet_interrupt_wakes_the_waiting_thread_and_is_acked)
{
	const uint8_t *pkt;
	uint32_t len, st = 0, irqs = dev.stats.irqs, waits = irq_waits;

	KT_ASSERT_EQ(send_pattern(VNET_PROTO_SEED_IRQ, 100), 0);
	/* Nothing but the interrupt can end this wait: no other thread, no timer. */
	while (vnet_recv(&dev, &pkt, &len) == -L4_EAGAIN)
		st |= wait_irq();
	KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_IRQ, 100));
	vnet_recv_done(&dev);
	/* The echo may have beaten us to vnet_recv; then the next one must not. */
	if (irq_waits == waits) {
		uint32_t bits;

		KT_ASSERT_EQ(l4_poll(ntfn, &bits), 0); /* its interrupt is pending */
		st |= vnet_irq_status(&dev);
		KT_ASSERT_EQ(l4_irq_ack(irq), 0);
	}
	KT_ASSERT(st & VNET_IRQ_USED);
	KT_ASSERT(dev.stats.irqs > irqs);
	/* (Not checked: that nothing is pending now. QEMU completes the echo's transmission in
	 * its I/O thread whenever the host lets it run, which may set the status again.) */
}

KTEST(vnet_packet_larger_than_the_buffers_is_not_delivered)
{
	struct vnet_proto_cmd cmd = {.magic = VNET_PROTO_CMD_MAGIC,
				     .op = VNET_PROTO_OP_OVERSIZE,
				     .a = VNET_PROTO_MTU + 1,
				     .b = 3 * VNET_PROTO_MTU};
	const uint8_t *pkt;
	uint32_t len, drops = dev.stats.rx_dropped, rx = dev.stats.rx_packets;

	/* The peer answers with packets of cmd.a and cmd.b bytes, then the AFTER marker. */
	KT_ASSERT_EQ(send_bytes(&cmd, sizeof(cmd)), 0);
	KT_ASSERT_EQ(recv_wait(&pkt, &len), 0);
	KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_AFTER, 64));
	vnet_recv_done(&dev);
	/* QEMU drops what does not fit (no mergeable buffers) and keeps the buffer posted. */
	KT_ASSERT_EQ(dev.stats.rx_packets, rx + 1);
	KT_ASSERT_EQ(dev.stats.rx_dropped, drops);
	/* And the link carries full-size packets on. */
	KT_ASSERT_EQ(send_pattern(VNET_PROTO_SEED_SIZES + 9, VNET_PROTO_MTU), 0);
	KT_ASSERT_EQ(recv_wait(&pkt, &len), 0);
	KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_SIZES + 9, VNET_PROTO_MTU));
	vnet_recv_done(&dev);
}

KTEST(vnet_tx_api_misuse_is_refused)
{
	uint32_t cap;
	uint8_t *a, *b;

	KT_ASSERT_EQ(vnet_tx_commit(&dev, 10), -L4_EINVAL); /* no buffer taken */
	a = vnet_tx_buf(&dev, &cap);
	b = vnet_tx_buf(&dev, &cap);
	KT_ASSERT(a && a == b); /* the same buffer until committed */
	KT_ASSERT_EQ(cap, VNET_PROTO_MTU);
	KT_ASSERT_EQ(vnet_tx_commit(&dev, 0), -L4_ERANGE);
	KT_ASSERT_EQ(vnet_tx_commit(&dev, VNET_PROTO_MTU + 1), -L4_ERANGE);
	vnet_proto_fill(a, VNET_PROTO_SEED_SIZES + 10, 33);
	KT_ASSERT_EQ(vnet_tx_commit(&dev, 33), 0);
	{
		const uint8_t *pkt, *again;
		uint32_t len, len2;

		KT_ASSERT_EQ(recv_wait(&pkt, &len), 0);
		KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_SIZES + 10, 33));
		KT_ASSERT_EQ(vnet_recv(&dev, &again, &len2), -L4_EBUSY); /* not given back */
		vnet_recv_done(&dev);
		vnet_recv_done(&dev); /* twice: nothing */
	}
}

/* Waits (bounded) until the device returned every transmit buffer. */
static bool tx_quiet(void)
{
	uint32_t cap, i;

	for (i = 0; i < SPIN_MAX; i++) {
		if (vnet_tx_buf(&dev, &cap) && dev.tx_nfree == dev.tx.num - 1)
			return true;
	}
	return false;
}

/* A device-side used entry, as a broken or hostile device could write it. */
static void inject_used(struct vnet_queue *q, uint32_t id, uint32_t len)
{
	uint16_t at = q->used->idx;

	q->used->ring[at & (q->num - 1)].id = id;
	q->used->ring[at & (q->num - 1)].len = len;
	__asm__ volatile("dmb ish" ::: "memory");
	q->used->idx = (uint16_t)(at + 1);
}

KTEST(vnet_device_values_are_checked_never_trusted)
{
	const uint8_t *pkt;
	uint32_t len, bad = dev.stats.bad_used, drops = dev.stats.rx_dropped, cap;

	/* The link is quiet: every receive buffer posted, every transmit buffer back. */
	KT_ASSERT(tx_quiet());
	/* Receive: an id past the queue; a length under the header; one past the buffer. */
	inject_used(&dev.rx, dev.rx.num, 100);
	KT_ASSERT_EQ(vnet_recv(&dev, &pkt, &len), -L4_EAGAIN);
	KT_ASSERT_EQ(dev.stats.bad_used, bad + 1);
	inject_used(&dev.rx, 3, VNET_HDR_SIZE - 1);
	KT_ASSERT_EQ(vnet_recv(&dev, &pkt, &len), -L4_EAGAIN);
	inject_used(&dev.rx, 3, VNET_HDR_SIZE + VNET_PROTO_MTU + 1);
	KT_ASSERT_EQ(vnet_recv(&dev, &pkt, &len), -L4_EAGAIN);
	KT_ASSERT_EQ(dev.stats.bad_used, bad + 3);
	KT_ASSERT_EQ(dev.stats.rx_dropped, drops + 2);
	KT_ASSERT_EQ(dev.rx.at_device[3], 1); /* reposted, not lost */
	/* Transmit: returning a buffer the driver holds (being filled, or free) is ignored. */
	inject_used(&dev.tx, (uint32_t)dev.tx_cur, 0);
	inject_used(&dev.tx, dev.tx_free[0], 0);
	KT_ASSERT(vnet_tx_buf(&dev, &cap) != NULL); /* reclaims */
	KT_ASSERT_EQ(dev.tx_nfree, dev.tx.num - 1); /* no buffer twice */
	KT_ASSERT_EQ(dev.stats.bad_used, bad + 5);
	/*
	 * Injected entries put the driver's view ahead of the device's: the device's next
	 * entry would look like an impossible index. Nothing more is sent before reopening.
	 */
	/* A used index further ahead than the queue holds: the device is broken. */
	dev.rx.used->idx = (uint16_t)(dev.rx.used_seen + dev.rx.num + 1);
	KT_ASSERT_EQ(vnet_recv(&dev, &pkt, &len), -L4_EDEAD);
	KT_ASSERT(dev.broken);
	KT_ASSERT_EQ(vnet_recv(&dev, &pkt, &len), -L4_EDEAD);
	KT_ASSERT(vnet_tx_buf(&dev, &cap) == NULL);
	KT_ASSERT_EQ(vnet_tx_commit(&dev, 8), -L4_EDEAD);
}

KTEST(vnet_reopen_after_a_broken_device_works_again)
{
	const uint8_t *pkt;
	uint32_t len;

	vnet_close(&dev);
	KT_ASSERT_EQ(vnet_open(&dev, (void *)DEV_VA, L4_PAGE_SIZE, &dma, &cfg), 0);
	KT_ASSERT_EQ(send_pattern(VNET_PROTO_SEED_SIZES + 11, 1500), 0);
	KT_ASSERT_EQ(recv_wait(&pkt, &len), 0);
	KT_ASSERT(is_pattern(pkt, len, VNET_PROTO_SEED_SIZES + 11, 1500));
	vnet_recv_done(&dev);
	KT_ASSERT_EQ(dev.stats.bad_used, 0);
	/* Tell the peer the run is over: it checks what it saw. */
	{
		struct vnet_proto_cmd bye = {.magic = VNET_PROTO_CMD_MAGIC,
					     .op = VNET_PROTO_OP_BYE};

		KT_ASSERT_EQ(send_bytes(&bye, sizeof(bye)), 0);
	}
	KT_ASSERT(tx_quiet());
}
