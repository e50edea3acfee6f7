/* SPDX-License-Identifier: BSD-2-Clause */
/* virtio-net over modern virtio-mmio (l4e/virtio_net.h): probe, bring-up, receive, transmit. */
#include <l4/abi.h>
#include <l4e/virtio_net.h>
#include <string.h>

/* virtio-mmio registers, version 2 (virtio 1.2 §4.2.2), byte offsets in a transport. */
enum vnet_reg {
	VNET_REG_MAGIC = 0x000,
	VNET_REG_VERSION = 0x004,
	VNET_REG_DEVICE_ID = 0x008,
	VNET_REG_DEVICE_FEATURES = 0x010,
	VNET_REG_DEVICE_FEATURES_SEL = 0x014,
	VNET_REG_DRIVER_FEATURES = 0x020,
	VNET_REG_DRIVER_FEATURES_SEL = 0x024,
	VNET_REG_QUEUE_SEL = 0x030,
	VNET_REG_QUEUE_NUM_MAX = 0x034,
	VNET_REG_QUEUE_NUM = 0x038,
	VNET_REG_QUEUE_READY = 0x044,
	VNET_REG_QUEUE_NOTIFY = 0x050,
	VNET_REG_INTERRUPT_STATUS = 0x060,
	VNET_REG_INTERRUPT_ACK = 0x064,
	VNET_REG_STATUS = 0x070,
	VNET_REG_QUEUE_DESC_LOW = 0x080,
	VNET_REG_QUEUE_DESC_HIGH = 0x084,
	VNET_REG_QUEUE_DRIVER_LOW = 0x090,
	VNET_REG_QUEUE_DRIVER_HIGH = 0x094,
	VNET_REG_QUEUE_DEVICE_LOW = 0x0a0,
	VNET_REG_QUEUE_DEVICE_HIGH = 0x0a4,
};

#define VNET_MAGIC	    0x74726976u /* "virt" */
#define VNET_VERSION_MODERN 2u
#define VNET_DEVICE_NET	    1u /* virtio 1.2 §5 */
#define VNET_RX		    0u /* receiveq1 (virtio 1.2 §5.1.2) */
#define VNET_TX		    1u /* transmitq1 */
/* VIRTIO_F_VERSION_1 is feature bit 32: bit 0 of the second feature word (virtio 1.2 §6). */
#define VNET_F_VERSION_1_HI 0x1u
/* Device status bits (virtio 1.2 §2.1). */
#define VNET_S_ACKNOWLEDGE 1u
#define VNET_S_DRIVER	   2u
#define VNET_S_DRIVER_OK   4u
#define VNET_S_FEATURES_OK 8u
#define VNET_S_FAILED	   128u
/* Ring parts start on their own cache line: driver-written and device-written data apart. */
#define VNET_ALIGN	 64u
#define VNET_RESET_TRIES 1000u

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Barriers. The device is an observer of memory like another CPU; the ring
 * protocol needs its stores and ours ordered (virtio 1.2 §2.7.13.3: buffers
 * before idx; §2.7.14: idx before the entries). Ordering Normal-memory stores
 * before the Device-memory store that notifies needs them complete (dsb, ARM
 * ARM A3.8.3 "Memory barriers").
 */
static inline void vnet_mb(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

static inline void vnet_wmb_io(void)
{
	__asm__ volatile("dsb st" ::: "memory");
}

static inline uint32_t reg_rd(const volatile uint32_t *regs, enum vnet_reg r)
{
	return regs[r / 4];
}

static inline void reg_wr(volatile uint32_t *regs, enum vnet_reg r, uint32_t v)
{
	regs[r / 4] = v;
}

/* Bytes one queue's rings take (descriptors, available and used ring, event words). */
static uint32_t ring_size(uint32_t n)
{
	return align_up(16 * n, VNET_ALIGN) + align_up(6 + 2 * n, VNET_ALIGN) +
	       align_up(6 + 8 * n, VNET_ALIGN);
}

static bool config_ok(const struct vnet_config *cfg)
{
	return cfg->rx_bufs >= 2 && cfg->rx_bufs <= VNET_QUEUE_MAX &&
	       !(cfg->rx_bufs & (cfg->rx_bufs - 1)) && cfg->tx_bufs >= 2 &&
	       cfg->tx_bufs <= VNET_QUEUE_MAX && !(cfg->tx_bufs & (cfg->tx_bufs - 1)) &&
	       cfg->mtu >= 1 && cfg->mtu <= VNET_MTU_MAX;
}

uint32_t vnet_dma_size(const struct vnet_config *cfg)
{
	if (!config_ok(cfg))
		return 0;
	return ring_size(cfg->rx_bufs) + ring_size(cfg->tx_bufs) +
	       (cfg->rx_bufs + cfg->tx_bufs) * align_up(VNET_HDR_SIZE + cfg->mtu, VNET_ALIGN);
}

/* Finds the first modern virtio-net transport in the window. */
static volatile uint32_t *probe(void *window, uint32_t window_size, uint32_t *slot)
{
	uint32_t s;

	for (s = 0; s < window_size / VNET_SLOT_SIZE; s++) {
		volatile uint32_t *regs =
			(volatile uint32_t *)((uintptr_t)window + s * VNET_SLOT_SIZE);

		if (reg_rd(regs, VNET_REG_MAGIC) == VNET_MAGIC &&
		    reg_rd(regs, VNET_REG_VERSION) == VNET_VERSION_MODERN &&
		    reg_rd(regs, VNET_REG_DEVICE_ID) == VNET_DEVICE_NET) {
			*slot = s;
			return regs;
		}
	}
	return NULL;
}

/* Carves one queue's rings and `n` buffers out of `dma` from *off. */
static void queue_layout(struct vnet *d, struct vnet_queue *q, uint16_t index, uint32_t n,
			 const struct l4e_dma *dma, uint32_t *off)
{
	uintptr_t base = (uintptr_t)dma->va + *off; /* VNET_ALIGN-aligned: vnet_open checked */
	uintptr_t avail = base + align_up(16 * n, VNET_ALIGN);

	memset(q, 0, sizeof(*q));
	q->index = index;
	q->num = (uint16_t)n;
	q->desc = (volatile struct vnet_desc *)base;
	q->avail = (volatile struct vnet_avail *)avail;
	q->used = (volatile struct vnet_used *)(avail + align_up(6 + 2 * n, VNET_ALIGN));
	memset((void *)base, 0, ring_size(n));
	*off += ring_size(n);
	q->bufs = dma->va + *off;
	q->bufs_pa = dma->paddr + *off;
	*off += n * d->stride;
}

static uint32_t ring_pa(const struct l4e_dma *dma, const volatile void *p)
{
	return l4e_dma_paddr(dma, (const void *)p);
}

/* Tells the device where queue `q` lives (virtio 1.2 §4.2.3.2). */
static int queue_setup(struct vnet *d, struct vnet_queue *q, const struct l4e_dma *dma)
{
	volatile uint32_t *regs = d->regs;
	uint32_t i;

	reg_wr(regs, VNET_REG_QUEUE_SEL, q->index);
	if (reg_rd(regs, VNET_REG_QUEUE_READY))
		return -L4_EBUSY;
	if (reg_rd(regs, VNET_REG_QUEUE_NUM_MAX) < q->num)
		return -L4_ERANGE;
	for (i = 0; i < q->num; i++) {
		q->desc[i].addr = q->bufs_pa + i * d->stride;
		q->desc[i].len = VNET_HDR_SIZE + d->mtu;
		q->desc[i].flags = q->index == VNET_RX ? VNET_DESC_F_WRITE : 0;
		q->desc[i].next = 0;
	}
	reg_wr(regs, VNET_REG_QUEUE_NUM, q->num);
	reg_wr(regs, VNET_REG_QUEUE_DESC_LOW, ring_pa(dma, q->desc));
	reg_wr(regs, VNET_REG_QUEUE_DESC_HIGH, 0);
	reg_wr(regs, VNET_REG_QUEUE_DRIVER_LOW, ring_pa(dma, q->avail));
	reg_wr(regs, VNET_REG_QUEUE_DRIVER_HIGH, 0);
	reg_wr(regs, VNET_REG_QUEUE_DEVICE_LOW, ring_pa(dma, q->used));
	reg_wr(regs, VNET_REG_QUEUE_DEVICE_HIGH, 0);
	vnet_wmb_io(); /* the rings are initialised before the device may look */
	reg_wr(regs, VNET_REG_QUEUE_READY, 1);
	return 0;
}

/* Makes buffer `id` available to the device, without notifying it (virtio 1.2 §2.7.13). */
static void queue_post(struct vnet_queue *q, uint16_t id)
{
	q->at_device[id] = 1;
	q->avail->ring[q->avail_idx & (q->num - 1)] = id;
	q->avail_idx++;
	vnet_mb(); /* the entry (and the buffer) before the index: §2.7.13.3 */
	q->avail->idx = q->avail_idx;
}

/*
 * Available buffer notification unless the device asked for none (§2.7.10, §4.2.3.3). In
 * lockstep always: the flag changes while QEMU's I/O thread works, and a branch on it would
 * make instruction counts depend on host timing (a notification the device did not need is
 * allowed: the flag is a "should not").
 */
static void queue_notify(struct vnet *d, struct vnet_queue *q)
{
	vnet_mb(); /* our idx store before we read its flags */
	if (!d->lockstep && (q->used->flags & VNET_USED_F_NO_NOTIFY))
		return;
	vnet_wmb_io();
	reg_wr(d->regs, VNET_REG_QUEUE_NOTIFY, q->index);
}

/*
 * Takes the next used entry of `q` into *e. 0, -L4_EAGAIN when there is none,
 * -L4_EDEAD when the device's index is impossible (more than the queue holds).
 */
static int queue_next_used(struct vnet *d, struct vnet_queue *q, struct vnet_used_elem *e)
{
	uint16_t pending = (uint16_t)(q->used->idx - q->used_seen);

	if (!pending)
		return -L4_EAGAIN;
	if (pending > q->num) {
		d->broken = true;
		d->stats.bad_used++;
		return -L4_EDEAD;
	}
	vnet_mb(); /* the index before the entry it covers: §2.7.14 */
	e->id = q->used->ring[q->used_seen & (q->num - 1)].id;
	e->len = q->used->ring[q->used_seen & (q->num - 1)].len;
	q->used_seen++;
	return 0;
}

/* Reset: write 0 and wait until it reads 0 (virtio 1.2 §2.4.2, §4.2.3.1). */
static int reset(volatile uint32_t *regs)
{
	uint32_t i;

	reg_wr(regs, VNET_REG_STATUS, 0);
	for (i = 0; i < VNET_RESET_TRIES; i++)
		if (reg_rd(regs, VNET_REG_STATUS) == 0)
			return 0;
	return -L4_EBUSY;
}

/* Feature negotiation: VIRTIO_F_VERSION_1 and nothing else (virtio 1.2 §3.1.1 steps 4-6). */
static int negotiate(volatile uint32_t *regs)
{
	uint32_t status = VNET_S_ACKNOWLEDGE | VNET_S_DRIVER;

	reg_wr(regs, VNET_REG_DEVICE_FEATURES_SEL, 1);
	if (!(reg_rd(regs, VNET_REG_DEVICE_FEATURES) & VNET_F_VERSION_1_HI))
		return -L4_ENOSYS;
	reg_wr(regs, VNET_REG_DRIVER_FEATURES_SEL, 0);
	reg_wr(regs, VNET_REG_DRIVER_FEATURES, 0);
	reg_wr(regs, VNET_REG_DRIVER_FEATURES_SEL, 1);
	reg_wr(regs, VNET_REG_DRIVER_FEATURES, VNET_F_VERSION_1_HI);
	reg_wr(regs, VNET_REG_STATUS, status | VNET_S_FEATURES_OK);
	if (!(reg_rd(regs, VNET_REG_STATUS) & VNET_S_FEATURES_OK))
		return -L4_ENOSYS;
	return 0;
}

int vnet_open(struct vnet *d, void *window, uint32_t window_size, const struct l4e_dma *dma,
	      const struct vnet_config *cfg)
{
	uint32_t need = vnet_dma_size(cfg), off = 0, slot = 0, i;
	volatile uint32_t *regs;
	int err;

	if (!need || !window || !dma || !dma->va || dma->paddr % VNET_ALIGN ||
	    (uintptr_t)dma->va % VNET_ALIGN)
		return -L4_EINVAL;
	if (dma->size < need)
		return -L4_ENOMEM;
	regs = probe(window, window_size, &slot);
	if (!regs)
		return -L4_EINVAL;
	memset(d, 0, sizeof(*d));
	d->regs = regs;
	d->slot = slot;
	d->mtu = cfg->mtu;
	d->lockstep = cfg->lockstep;
	d->stride = align_up(VNET_HDR_SIZE + cfg->mtu, VNET_ALIGN);
	d->rx_cur = d->tx_cur = -1;
	/* virtio 1.2 §3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK. */
	err = reset(regs);
	if (err)
		return err;
	reg_wr(regs, VNET_REG_STATUS, VNET_S_ACKNOWLEDGE);
	reg_wr(regs, VNET_REG_STATUS, VNET_S_ACKNOWLEDGE | VNET_S_DRIVER);
	err = negotiate(regs);
	if (err)
		goto out_failed;
	queue_layout(d, &d->rx, VNET_RX, cfg->rx_bufs, dma, &off);
	queue_layout(d, &d->tx, VNET_TX, cfg->tx_bufs, dma, &off);
	err = queue_setup(d, &d->rx, dma);
	if (!err)
		err = queue_setup(d, &d->tx, dma);
	if (err)
		goto out_failed;
	/* Transmit completions interrupt only when the driver runs out (vnet_tx_buf). */
	d->tx.avail->flags = VNET_AVAIL_F_NO_INTERRUPT;
	for (i = 0; i < d->tx.num; i++)
		d->tx_free[d->tx_nfree++] = (uint16_t)(d->tx.num - 1 - i);
	/* virtio 1.2 §5.1.5: fill the receive queue; notify only after DRIVER_OK (§3.1.1). */
	for (i = 0; i < d->rx.num; i++)
		queue_post(&d->rx, (uint16_t)i);
	vnet_wmb_io();
	reg_wr(regs, VNET_REG_STATUS,
	       VNET_S_ACKNOWLEDGE | VNET_S_DRIVER | VNET_S_FEATURES_OK | VNET_S_DRIVER_OK);
	queue_notify(d, &d->rx);
	return 0;

out_failed:
	reg_wr(regs, VNET_REG_STATUS, reg_rd(regs, VNET_REG_STATUS) | VNET_S_FAILED);
	d->broken = true;
	return err;
}

void vnet_close(struct vnet *d)
{
	if (d->regs)
		reset(d->regs);
	d->broken = true;
}

int vnet_recv(struct vnet *d, const uint8_t **pkt, uint32_t *len)
{
	struct vnet_queue *q = &d->rx;
	struct vnet_used_elem e;
	uint32_t seen = 0;
	int err = -L4_EAGAIN;

	if (d->broken)
		return -L4_EDEAD;
	if (d->rx_cur >= 0)
		return -L4_EBUSY;
	/* A device that keeps writing bad entries gets one queue's worth per call. */
	while (seen++ < q->num && (err = queue_next_used(d, q, &e)) == 0) {
		if (e.id >= q->num || !q->at_device[e.id]) {
			d->stats.bad_used++;
			continue;
		}
		q->at_device[e.id] = 0;
		if (e.len < VNET_HDR_SIZE || e.len > VNET_HDR_SIZE + d->mtu) {
			d->stats.bad_used++;
			d->stats.rx_dropped++;
			queue_post(q, (uint16_t)e.id);
			queue_notify(d, q);
			continue;
		}
		d->rx_cur = (int16_t)e.id;
		*pkt = q->bufs + e.id * d->stride + VNET_HDR_SIZE;
		*len = e.len - VNET_HDR_SIZE;
		d->stats.rx_packets++;
		d->stats.rx_bytes += *len;
		return 0;
	}
	return err ? err : -L4_EAGAIN;
}

void vnet_recv_done(struct vnet *d)
{
	if (d->rx_cur < 0 || d->broken)
		return;
	queue_post(&d->rx, (uint16_t)d->rx_cur);
	d->rx_cur = -1;
	queue_notify(d, &d->rx);
}

/* Takes back every transmit buffer the device is done with. */
static void tx_reclaim(struct vnet *d)
{
	struct vnet_queue *q = &d->tx;
	struct vnet_used_elem e;
	uint32_t seen = 0;

	while (seen++ < q->num && queue_next_used(d, q, &e) == 0) {
		if (e.id >= q->num || !q->at_device[e.id]) {
			d->stats.bad_used++;
			continue;
		}
		q->at_device[e.id] = 0; /* its len is meaningless for a device-read buffer */
		d->tx_free[d->tx_nfree++] = (uint16_t)e.id;
	}
}

void vnet_tx_reclaim(struct vnet *d)
{
	if (!d->broken)
		tx_reclaim(d);
}

uint8_t *vnet_tx_buf(struct vnet *d, uint32_t *cap)
{
	struct vnet_queue *q = &d->tx;

	if (d->broken)
		return NULL;
	if (!d->lockstep)
		tx_reclaim(d); /* every call: buffers come back as early as possible */
	if (d->broken)
		return NULL;
	if (d->tx_cur < 0) {
		if (!d->tx_nfree) {
			/*
			 * Ask for an interrupt at the next completion, then look once more:
			 * one that came before the flag would otherwise raise none.
			 */
			q->avail->flags = 0;
			vnet_mb();
			tx_reclaim(d);
			if (d->broken)
				return NULL;
			if (!d->tx_nfree) {
				d->stats.tx_full++;
				return NULL;
			}
		}
		q->avail->flags = VNET_AVAIL_F_NO_INTERRUPT;
		d->tx_cur = (int16_t)d->tx_free[--d->tx_nfree];
	}
	*cap = d->mtu;
	return q->bufs + (uint32_t)d->tx_cur * d->stride + VNET_HDR_SIZE;
}

int vnet_tx_commit(struct vnet *d, uint32_t len)
{
	struct vnet_queue *q = &d->tx;
	uint16_t id;

	if (d->broken)
		return -L4_EDEAD;
	if (d->tx_cur < 0)
		return -L4_EINVAL;
	if (len < 1 || len > d->mtu)
		return -L4_ERANGE;
	id = (uint16_t)d->tx_cur;
	/* No offload negotiated: an all-zero header (virtio 1.2 §5.1.6.2). */
	memset(q->bufs + id * d->stride, 0, VNET_HDR_SIZE);
	q->desc[id].len = VNET_HDR_SIZE + len;
	d->tx_cur = -1;
	queue_post(q, id);
	queue_notify(d, q);
	d->stats.tx_packets++;
	d->stats.tx_bytes += len;
	return 0;
}

uint32_t vnet_irq_status(struct vnet *d)
{
	uint32_t st = reg_rd(d->regs, VNET_REG_INTERRUPT_STATUS);

	if (st) {
		reg_wr(d->regs, VNET_REG_INTERRUPT_ACK, st);
		d->stats.irqs++;
	}
	vnet_mb(); /* the rings are read after the status that announced them */
	return st;
}
