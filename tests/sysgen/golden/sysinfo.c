/* generated from tasks/system.toml by sysgen — do not edit */
#include <stddef.h>

#include <l4e/sysinfo.h>

extern const struct sys_module sys_module_server;
extern const struct sys_module sys_module_client;

static const struct sys_thread sys_threads_server[] = {
	{ /* server.srv: server_main */
		.name = "srv",
		.entry = 0x00010004u,
		.arg = 0x0u,
		.stack_size = 0x2000u,
		.stack_top = 0x7fffe000u,
		.utcb = 0x7ffff000u,
		.slice_us = 0u,
		.prio = 100,
	},
	{ /* server.bulk: server_bulk */
		.name = "bulk",
		.entry = 0x00010008u,
		.arg = 0x7u,
		.stack_size = 0x1000u,
		.stack_top = 0x7fffb000u,
		.utcb = 0x7ffff200u,
		.slice_us = 300u,
		.prio = 90,
	},
};

static const struct sys_cap sys_caps_server[] = {
	{ .kind = SYS_CAP_SERVER, .slot = 24, .rights = 0, .object = 0, .badge = 0u }, /* server of demo::a */
	{ .kind = SYS_CAP_SERVER, .slot = 25, .rights = 0, .object = 1, .badge = 0u }, /* server of demo::b */
	{ .kind = SYS_CAP_CLIENT, .slot = 26, .rights = 0, .object = 2, .badge = 1u }, /* client of demo::c */
	{ .kind = SYS_CAP_IRQ, .slot = 27, .rights = 0, .object = 48, .badge = 16u }, /* irq 48 -> notification bit 16 */
	{ .kind = SYS_CAP_IRQ, .slot = 28, .rights = 0, .object = 49, .badge = 17u }, /* irq 49 -> notification bit 17 */
	{ .kind = SYS_CAP_POOL, .slot = 0, .rights = 3, .object = 0, .badge = 0u }, /* pool frames (rw) */
	{ .kind = SYS_CAP_DEVICE, .slot = 0, .rights = 0, .object = 0, .badge = 0u }, /* device nic */
};

static const struct sys_thread sys_threads_client[] = {
	{ /* client.main: client_main */
		.name = "main",
		.entry = 0x00010004u,
		.arg = 0x0u,
		.stack_size = 0x1000u,
		.stack_top = 0x7fffe000u,
		.utcb = 0x7ffff000u,
		.slice_us = 0u,
		.prio = 80,
	},
	{ /* client.notes: client_notes */
		.name = "notes",
		.entry = 0x00010008u,
		.arg = 0x0u,
		.stack_size = 0x1000u,
		.stack_top = 0x7fffc000u,
		.utcb = 0x7ffff200u,
		.slice_us = 0u,
		.prio = 70,
	},
};

static const struct sys_cap sys_caps_client[] = {
	{ .kind = SYS_CAP_SERVER, .slot = 24, .rights = 0, .object = 2, .badge = 0u }, /* server of demo::c */
	{ .kind = SYS_CAP_CLIENT, .slot = 25, .rights = 0, .object = 0, .badge = 2u }, /* client of demo::a */
	{ .kind = SYS_CAP_CLIENT, .slot = 26, .rights = 0, .object = 1, .badge = 2u }, /* client of demo::b */
	{ .kind = SYS_CAP_POOL, .slot = 0, .rights = 1, .object = 0, .badge = 0u }, /* pool frames (r) */
};

static const struct sys_task sys_tasks[] = {
	{ /* task id 1 */
		.name = "server",
		.module = &sys_module_server,
		.mcp = 100,
		.restart = SYS_RESTART_SYSTEM,
		.restart_max = 3,
		.nthreads = 2,
		.restart_window_ms = 10000u,
		.heartbeat_ms = 250u,
		.threads = sys_threads_server,
		.ncaps = 7,
		.caps = sys_caps_server,
	},
	{ /* task id 2 */
		.name = "client",
		.module = &sys_module_client,
		.mcp = 80,
		.restart = SYS_RESTART_NEVER,
		.restart_max = 3,
		.nthreads = 2,
		.restart_window_ms = 10000u,
		.heartbeat_ms = 0u,
		.threads = sys_threads_client,
		.ncaps = 4,
		.caps = sys_caps_client,
	},
};

static const struct sys_endpoint sys_endpoints[] = {
	{ .iface = "demo::a", .server_task = 0 }, /* endpoint 0 */
	{ .iface = "demo::b", .server_task = 0 }, /* endpoint 1 */
	{ .iface = "demo::c", .server_task = 1 }, /* endpoint 2 */
};

static const struct sys_pool sys_pools[] = {
	{ .name = "frames", .size = 0x2000u, .vaddr = 0x40000000u },
};

static const struct sys_device sys_devices[] = {
	{ .name = "nic", .paddr = 0x0a000000u, .size = 0x1000u, .vaddr = 0x50000000u },
};

const struct sys_info sys_info = {
	.name = "fix",
	.ntasks = 2,
	.nendpoints = 3,
	.npools = 1,
	.ndevices = 1,
	.tasks = sys_tasks,
	.endpoints = sys_endpoints,
	.pools = sys_pools,
	.devices = sys_devices,
};
