/* generated from tasks/system.toml by sysgen — do not edit */
	.section .rodata.sys_segs, "a"
	.balign 4096
sys_seg_data_server_0:
	.incbin "@ROOT@/build/server.elf", 4096, 12
	.balign 4096, 0
	.balign 4096
sys_seg_data_server_1:
	.incbin "@ROOT@/build/server.elf", 8192, 4
	.balign 4096, 0
	.balign 4096
sys_seg_data_client_0:
	.incbin "@ROOT@/build/client.elf", 4096, 12
	.balign 4096, 0
	.balign 4096
sys_seg_data_client_1:
	.incbin "@ROOT@/build/client.elf", 8192, 4
	.balign 4096, 0

	.section .rodata.sys_modules, "a"
	.balign 4
sys_segs_server:
	.word sys_seg_data_server_0, 0x10000, 0xc, 0xc, 0x5
	.word sys_seg_data_server_1, 0x11000, 0x4, 0x4, 0x6
	.global sys_module_server
	.type sys_module_server, %object
sys_module_server:
	.word 0x10000, 2, sys_segs_server
	.size sys_module_server, 12

sys_segs_client:
	.word sys_seg_data_client_0, 0x10000, 0xc, 0xc, 0x5
	.word sys_seg_data_client_1, 0x11000, 0x4, 0x4, 0x6
	.global sys_module_client
	.type sys_module_client, %object
sys_module_client:
	.word 0x10000, 2, sys_segs_client
	.size sys_module_client, 12
