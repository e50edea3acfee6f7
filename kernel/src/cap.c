/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability tables, the derivation tree (copy, mint, delete, revoke) and object lifetimes. */
#include "config.h"
#include "irq.h"
#include "kdebug.h"
#include "object.h"
#include "panic.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include <plat/platform.h>

static struct endpoint endpoints[CONFIG_MAX_ENDPOINTS];
static struct notification notifications[CONFIG_MAX_NOTIFICATIONS];
KOBJ_LAYOUT_OK(struct endpoint);
KOBJ_LAYOUT_OK(struct notification);
KOBJ_LAYOUT_OK(struct irq_handler);

struct endpoint *endpoint_alloc(void)
{
	unsigned i;

	for (i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
		if (!endpoints[i].in_use) {
			KOBJ_CLAIM(&endpoints[i], "endpoint");
			endpoints[i] = (struct endpoint){.gen = endpoints[i].gen, .in_use = true};
			return &endpoints[i];
		}
	}
	return NULL;
}

struct notification *notification_alloc(void)
{
	unsigned i;

	for (i = 0; i < CONFIG_MAX_NOTIFICATIONS; i++) {
		if (!notifications[i].in_use) {
			KOBJ_CLAIM(&notifications[i], "notification");
			notifications[i] =
				(struct notification){.gen = notifications[i].gen, .in_use = true};
			return &notifications[i];
		}
	}
	return NULL;
}

void object_pools_free(struct l4_pools *p)
{
	unsigned i;

	p->kmem = quota_pool_free();
	p->endpoints = p->notifications = 0;
	for (i = 0; i < CONFIG_MAX_ENDPOINTS; i++)
		p->endpoints += !endpoints[i].in_use;
	for (i = 0; i < CONFIG_MAX_NOTIFICATIONS; i++)
		p->notifications += !notifications[i].in_use;
}

/* The last reference is gone: every thread still queued learns the peer is dead. */
void endpoint_put(struct endpoint *ep)
{
	struct quota *q = ep->quota;

	KASSERT(ep->refs > 0);
	if (--ep->refs > 0)
		return;
	while (ep->q.head)
		ipc_cancel(ep->q.head, -L4_EDEAD);
	KOBJ_RELEASE(ep);
	quota_uncharge(q, Q_ENDPOINT);
}

/* The last reference is gone: waiters learn it is dead, a bound thread is unbound. */
void notification_put(struct notification *n)
{
	struct quota *q = n->quota;

	KASSERT(n->refs > 0);
	if (--n->refs > 0)
		return;
	while (n->q.head)
		ipc_cancel(n->q.head, -L4_EDEAD);
	if (n->bound)
		n->bound->bound = NULL;
	n->bound = NULL;
	KOBJ_RELEASE(n);
	quota_uncharge(q, Q_NOTIFICATION);
}

/* An interrupt line's last cap is gone: the line is masked and released with its notification. */
static void irq_put(unsigned irq)
{
	struct irq_handler *h = &irq_handlers[irq];

	KASSERT(h->refs > 0);
	if (--h->refs > 0)
		return;
	gic_disable(irq);
	irq_close_at_idle(irq);
	if (h->ntfn)
		notification_put(h->ntfn);
	*h = (struct irq_handler){.gen = h->gen};
	KOBJ_RELEASE(h);
}

/* KDEBUG: panics if what `c` names was freed or reused since the cap was made. */
static void cap_check(const struct cap *c)
{
	switch (c->type) {
	case L4_OBJ_ENDPOINT:
		KDEBUG_CHECK((struct endpoint *)c->obj, c->gen, "cap to an endpoint");
		break;
	case L4_OBJ_NOTIFICATION:
		KDEBUG_CHECK((struct notification *)c->obj, c->gen, "cap to a notification");
		break;
	case L4_OBJ_THREAD:
		KDEBUG_CHECK((struct tcb *)c->obj, c->gen, "cap to a thread");
		break;
	case L4_OBJ_SPACE:
		KDEBUG_CHECK((struct space *)c->obj, c->gen, "cap to a space");
		break;
	case L4_OBJ_IRQ:
		KDEBUG_CHECK(&irq_handlers[c->base], c->gen, "cap to an interrupt line");
		break;
	case L4_OBJ_KMEM:
		KDEBUG_CHECK((struct quota *)c->obj, c->gen, "cap to a kmem quota");
		break;
	default:
		break;
	}
}

/* The generation of what `c` names (KDEBUG), recorded in the cap. */
static uint16_t cap_obj_gen(const struct cap *c)
{
	switch (c->type) {
	case L4_OBJ_ENDPOINT:
		return KDEBUG_GEN((struct endpoint *)c->obj);
	case L4_OBJ_NOTIFICATION:
		return KDEBUG_GEN((struct notification *)c->obj);
	case L4_OBJ_THREAD:
		return KDEBUG_GEN((struct tcb *)c->obj);
	case L4_OBJ_SPACE:
		return KDEBUG_GEN((struct space *)c->obj);
	case L4_OBJ_IRQ:
		return KDEBUG_GEN(&irq_handlers[c->base]);
	case L4_OBJ_KMEM:
		return KDEBUG_GEN((struct quota *)c->obj);
	default:
		return 0;
	}
}

/*
 * A space's own table does not keep it alive: its caps naming itself are not counted,
 * so a space nothing outside can reach is destroyed (with the threads in it).
 */
static void obj_get(struct cap *c)
{
	switch (c->type) {
	case L4_OBJ_ENDPOINT:
		((struct endpoint *)c->obj)->refs++;
		break;
	case L4_OBJ_NOTIFICATION:
		((struct notification *)c->obj)->refs++;
		break;
	case L4_OBJ_THREAD:
		((struct tcb *)c->obj)->refs++;
		break;
	case L4_OBJ_SPACE:
		if (space_of_cap(c) != c->obj)
			((struct space *)c->obj)->refs++;
		break;
	case L4_OBJ_IRQ:
		irq_handlers[c->base].refs++;
		break;
	case L4_OBJ_KMEM:
		((struct quota *)c->obj)->refs++;
		break;
	default:
		break;
	}
}

/* `c` is a copy of a deleted cap that lived in `home`'s table. */
static void obj_put(const struct cap *c, struct space *home)
{
	switch (c->type) {
	case L4_OBJ_ENDPOINT:
		endpoint_put(c->obj);
		break;
	case L4_OBJ_NOTIFICATION:
		notification_put(c->obj);
		break;
	case L4_OBJ_THREAD:
		thread_put(c->obj);
		break;
	case L4_OBJ_SPACE:
		if (home != c->obj)
			space_put(c->obj);
		break;
	case L4_OBJ_IRQ:
		irq_put(c->base);
		break;
	case L4_OBJ_KMEM:
		quota_put(c->obj);
		break;
	default:
		break;
	}
}

struct cap *cap_lookup(struct space *s, uint32_t slot)
{
	if (slot == 0 || slot >= L4_CAP_SLOTS)
		return NULL;
	if (CONFIG_KDEBUG)
		cap_check(&s->caps[slot]);
	return &s->caps[slot];
}

struct cap *cap_get(uint32_t slot, unsigned type, unsigned rights, int *err)
{
	struct cap *c = cap_lookup(current->space, slot);

	if (!c || c->type == L4_OBJ_NULL) {
		*err = -L4_ECAP;
		return NULL;
	}
	if (c->type != type) {
		*err = -L4_ETYPE;
		return NULL;
	}
	if ((c->rights & rights) != rights) {
		*err = -L4_EPERM;
		return NULL;
	}
	return c;
}

static void child_link(struct cap *parent, struct cap *c)
{
	c->parent = parent;
	c->prev_sib = NULL;
	c->next_sib = parent ? parent->first_child : NULL;
	if (c->next_sib)
		c->next_sib->prev_sib = c;
	if (parent)
		parent->first_child = c;
}

static void child_unlink(struct cap *c)
{
	if (c->prev_sib)
		c->prev_sib->next_sib = c->next_sib;
	else if (c->parent)
		c->parent->first_child = c->next_sib;
	if (c->next_sib)
		c->next_sib->prev_sib = c->prev_sib;
	c->parent = c->prev_sib = c->next_sib = NULL;
}

int cap_install(struct space *s, uint32_t slot, unsigned type, unsigned rights, uint32_t badge,
		void *obj)
{
	struct cap *c = cap_lookup(s, slot);

	if (!c)
		return -L4_ECAP;
	if (c->type != L4_OBJ_NULL)
		return -L4_EBUSY;
	*c = (struct cap){.type = (uint8_t)type, .rights = (uint8_t)rights, .badge = badge};
	c->obj = obj;
	if (CONFIG_KDEBUG)
		c->gen = cap_obj_gen(c);
	obj_get(c);
	return 0;
}

int cap_install_child(struct cap *parent, uint32_t slot, unsigned type, unsigned rights, void *obj)
{
	int err = cap_install(current->space, slot, type, rights, 0, obj);

	if (!err)
		child_link(parent, &current->space->caps[slot]);
	return err;
}

int cap_install_memory(struct space *s, uint32_t slot, paddr_t base, uint32_t size, unsigned rights)
{
	int err = cap_install(s, slot, L4_OBJ_MEMORY, rights, size, NULL);

	if (!err)
		s->caps[slot].base = base;
	return err;
}

int cap_copy(struct cap *src, struct space *dst_space, uint32_t dst_slot, unsigned rights,
	     uint32_t badge, bool mint)
{
	struct cap *dst = cap_lookup(dst_space, dst_slot);

	if (!dst)
		return -L4_ECAP;
	if (dst->type != L4_OBJ_NULL)
		return -L4_EBUSY;
	if (dst_space != current->space && !(src->rights & L4_RIGHT_GRANT))
		return -L4_EPERM;
	*dst = *src;
	if (mint) {
		dst->rights = (uint8_t)((src->rights & rights & L4_RIGHTS_ALL) |
					(src->rights & CAP_F_DEVICE));
		if (src->type == L4_OBJ_ENDPOINT || src->type == L4_OBJ_NOTIFICATION) {
			if (src->badge != 0 && badge != src->badge) {
				*dst = (struct cap){0};
				return -L4_EINVAL; /* a badge is never changed, only set once */
			}
			dst->badge = badge;
		}
	}
	dst->first_child = NULL;
	dst->maps = 0;
	child_link(src, dst);
	obj_get(dst);
	return 0;
}

void cap_delete(struct cap *c)
{
	struct cap saved;

	if (c->type == L4_OBJ_NULL)
		return;
	/* Mappings live as long as the cap they were made through. */
	if (c->type == L4_OBJ_MEMORY && c->maps)
		space_unmap_cap(c);
	/* Children move up to our parent: they stay revocable from there. */
	while (c->first_child) {
		struct cap *child = c->first_child;

		child_unlink(child);
		child_link(c->parent, child);
	}
	child_unlink(c);
	saved = *c;
	*c = (struct cap){0};
	obj_put(&saved, space_of_cap(c));
}

void cap_revoke(struct cap *c)
{
	while (c->first_child) {
		struct cap *leaf = c->first_child;

		while (leaf->first_child)
			leaf = leaf->first_child;
		cap_delete(leaf);
	}
}
