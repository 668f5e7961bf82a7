/*
 * virtlab xl-dryrun preload library.
 *
 * `xl -N create FILE` (dry run) parses an xl.cfg file and prints the libxl
 * domain configuration as JSON without creating anything. Before it gets to
 * the parser, though, xl opens the hypervisor and xenstore interfaces and
 * asks a few questions about the host. On a machine with no Xen these calls
 * fail and xl exits. This library is LD_PRELOADed into xl and answers those
 * calls with a plausible, fixed x86_64 Xen 4.17 host, so that the real
 * toolstack parser can be used to validate config files anywhere.
 *
 * Nothing here is ever called for real work: in dry-run mode xl stops
 * right after printing the parsed configuration.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <libxl.h>

/* Opaque, never dereferenced by xl itself; only has to be non-NULL. */
static char fake_handle[4096];

/* libxl_ctx_alloc opens the hypervisor control interface (/dev/xen/privcmd). */
void *xc_interface_open(void *logger, void *dombuild_logger, unsigned open_flags)
{
    (void)logger; (void)dombuild_logger; (void)open_flags;
    return fake_handle;
}

/* ...and closes it again in libxl_ctx_free. */
int xc_interface_close(void *xch)
{
    (void)xch;
    return 0;
}

/* libxl_ctx_alloc also connects to xenstored (socket or /dev/xen/xenbus). */
void *xs_open(unsigned long open_flags)
{
    (void)open_flags;
    return fake_handle;
}

/* Older entry point for the same connection, kept for completeness. */
void *xs_daemon_open(void)
{
    return fake_handle;
}

/* Counterpart of the two above, at context teardown. */
void xs_close(void *xsh)
{
    (void)xsh;
}

/* Sizes cpu bitmaps (vcpus, cpus, cpupool affinity) while parsing. */
int xc_get_max_cpus(void *xch)
{
    (void)xch;
    return 8;
}

/* Used to default/validate vcpu counts and affinities. */
int xc_get_online_cpus(void *xch)
{
    (void)xch;
    return 8;
}

/* Sizes NUMA node bitmaps (vnuma, node affinity). */
int xc_get_max_nodes(void *xch)
{
    (void)xch;
    return 1;
}

/* Hypervisor version query; XENVER_version (0) is encoded major<<16 | minor.
 * Other sub-commands are not needed by a dry run and report failure. */
int xc_version(void *xch, int cmd, void *arg)
{
    (void)xch; (void)arg;
    if (cmd == 0)
        return (4 << 16) | 17;
    return -1;
}

/* Consulted for the host's capabilities (which guest types it can run) and
 * page size, e.g. when choosing defaults for the guest type. */
static const libxl_version_info fake_version = {
    .xen_version_major = 4,
    .xen_version_minor = 17,
    .xen_version_extra = ".0",
    .compiler = "gcc",
    .compile_by = "virtlab",
    .compile_domain = "xl-dryrun",
    .compile_date = "-",
    .capabilities = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
    .changeset = "-",
    .virt_start = 0,
    .pagesize = 4096,
    .commandline = "",
    .build_id = "",
};

const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    (void)ctx;
    return &fake_version;
}

/* Host description: cpu topology, memory and which virtualisation modes
 * (PV, HVM with HAP/shadow paging, grant table versions) are available.
 * xl checks these before accepting e.g. `type = "hvm"` or `hap = 1`. */
int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *info)
{
    (void)ctx;
    memset(info, 0, sizeof(*info));
    info->threads_per_core = 1;
    info->cores_per_socket = 8;
    info->max_cpu_id = 7;
    info->nr_cpus = 8;
    info->cpu_khz = 2000000;
    info->total_pages = 4u << 20;   /* 16 GiB in 4 KiB pages */
    info->free_pages = 4u << 20;
    info->nr_nodes = 1;
    info->cap_pv = true;
    info->cap_hvm = true;
    info->cap_hap = true;
    info->cap_shadow = true;
    info->cap_gnttab_v1 = true;
    info->cap_gnttab_v2 = true;
    return 0;
}
