/*
 * vmx.h: VMware VMX files, the escaping schemes of the ESX driver, the domain
 * model (the part of libvirt's domain XML that VMware can express) and the
 * conversion between VMX and the domain model.
 *
 * Pure functions, no network: everything a caller must know about a server
 * (datastore paths, SCSI controller models) is asked through the callbacks of
 * a vmx_convert_ctx. vmx_offline_ctx_init() fills one that works without any
 * connection.
 *
 * Errors are GErrors in the VMX_ERROR domain; their messages name the thing
 * (line, key, element, device), the cause and, where there is one, the fix.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define VMX_ERROR (vmx_error_quark())
GQuark vmx_error_quark(void);

typedef enum {
    VMX_ERROR_SYNTAX,       /* a VMX file that is not VMX (names the line) */
    VMX_ERROR_ENCODING,     /* .encoding unknown or text not convertible */
    VMX_ERROR_XML,          /* malformed domain XML (names the element) */
    VMX_ERROR_INVALID,      /* a value out of range or of the wrong form */
    VMX_ERROR_UNSUPPORTED,  /* valid, but VMware cannot express it */
    VMX_ERROR_MISSING_FILE, /* a disk's file does not exist */
    VMX_ERROR_MAPPING,      /* a file name could not be mapped */
} vmx_error_code;

/* ------------------------------------------------------------------------ */
/* Lossless VMX files (vmx/parse.c)                                          */

/* A parsed VMX file: every line (entries, comments, blank lines) in order.
 * Keys are case-insensitive; lookups find the first entry with that key. */
typedef struct vmx_file vmx_file;

/* Parses @len bytes of @text (need not be NUL-terminated). A `.encoding`
 * other than UTF-8 is converted to UTF-8 with g_convert(); vmx_file_format()
 * converts back. Returns NULL and sets @error (naming the line) on a syntax
 * or encoding error. */
vmx_file *vmx_file_parse(const char *text, gsize len, GError **error);
/* An empty file. */
vmx_file *vmx_file_new(void);
void vmx_file_free(vmx_file *file);

/* The value of @key (unescaped quotes removed), or NULL. Borrowed. */
const char *vmx_file_get(const vmx_file *file, const char *key);
/* Sets @key: replaces the value of the first entry with that key in place
 * (keeping its spelling of the key) or appends a new entry. */
void vmx_file_set(vmx_file *file, const char *key, const char *value);
/* Removes every entry with @key; returns whether there was one. */
gboolean vmx_file_remove(vmx_file *file, const char *key);
/* Number of entries (key/value lines; comments and blank lines excluded). */
guint vmx_file_size(const vmx_file *file);
/* The @index-th entry in file order, 0 <= index < vmx_file_size(). */
const char *vmx_file_key_at(const vmx_file *file, guint index);
const char *vmx_file_value_at(const vmx_file *file, guint index);
/* The file's original encoding ("UTF-8" when none was given). */
const char *vmx_file_encoding(const vmx_file *file);

/* The file as text, in its original encoding: untouched lines are
 * reproduced byte for byte, changed ones as `key = "value"`. Free with
 * g_free(). NULL only if the text cannot be converted back (with @error). */
char *vmx_file_format(const vmx_file *file, GError **error);

/* ------------------------------------------------------------------------ */
/* Escaping (vmx/escape.c). All return newly allocated strings.              */

/* vSphere domain names: [%/\] as %XX. */
char *vmx_escape_domain_name(const char *name);
char *vmx_unescape_domain_name(const char *escaped); /* NULL if malformed */
/* VMX displayName: percent-encoding, then [|"] as |XX. */
char *vmx_escape_display_name(const char *name);
char *vmx_unescape_display_name(const char *escaped); /* NULL if malformed */
/* VMX annotation: [|"] as |XX. */
char *vmx_escape_annotation(const char *text);
char *vmx_unescape_annotation(const char *escaped); /* NULL if malformed */
/* Datastore item names: ["*<>:|?] -> _, percent-encoding, then VMware's
 * base64 runs. Not bijective, so there is no inverse. */
char *vmx_escape_datastore_item(const char *name);

/* Generic helpers behind the above: @escape + two hex digits for @escape
 * itself and every char in @special; the inverse returns NULL on a bad
 * sequence. */
char *vmx_escape_hex(const char *string, char escape, const char *special);
char *vmx_unescape_hex(const char *string, char escape);

/* ------------------------------------------------------------------------ */
/* The domain model (vmx/domain.c, vmx/domain-xml-*.c)                       */

typedef enum { VMX_ARCH_NONE, VMX_ARCH_I686, VMX_ARCH_X86_64 } vmx_arch;
typedef enum { VMX_FIRMWARE_NONE, VMX_FIRMWARE_BIOS, VMX_FIRMWARE_EFI } vmx_firmware;
typedef enum { VMX_SMBIOS_NONE, VMX_SMBIOS_EMULATE, VMX_SMBIOS_HOST, VMX_SMBIOS_SYSINFO } vmx_smbios_mode;
typedef enum { VMX_TRISTATE_ABSENT, VMX_TRISTATE_YES, VMX_TRISTATE_NO } vmx_tristate;

typedef enum { VMX_DISK_TYPE_FILE, VMX_DISK_TYPE_BLOCK } vmx_disk_type;
typedef enum {
    VMX_DISK_DEVICE_DISK,
    VMX_DISK_DEVICE_CDROM,
    VMX_DISK_DEVICE_FLOPPY,
    VMX_DISK_DEVICE_LUN,
} vmx_disk_device;
typedef enum {
    VMX_DISK_BUS_SCSI,
    VMX_DISK_BUS_IDE,
    VMX_DISK_BUS_FDC,
    VMX_DISK_BUS_SATA,
    VMX_DISK_BUS_NVME,
} vmx_disk_bus;
typedef enum { VMX_DISK_CACHE_DEFAULT, VMX_DISK_CACHE_WRITETHROUGH, VMX_DISK_CACHE_OTHER } vmx_disk_cache;

typedef struct {
    vmx_disk_type type;
    vmx_disk_device device;
    vmx_disk_bus bus;
    char *src;                                    /* file or device; NULL = no medium */
    gboolean startup_optional;                    /* <source startupPolicy='optional'/> */
    char *dst;                                    /* target dev: sda, hdb, fda, ... */
    unsigned controller, bus_index, target, unit; /* drive address */
    vmx_disk_cache cache;
    char *cache_name;  /* the XML's cache value when OTHER */
    char *driver_name; /* legacy <driver name='lsilogic'/>, or NULL */
    gboolean readonly;
    gboolean transient;
} vmx_disk;

typedef enum {
    VMX_CONTROLLER_SCSI,
    VMX_CONTROLLER_IDE,
    VMX_CONTROLLER_FDC,
    VMX_CONTROLLER_SATA,
    VMX_CONTROLLER_NVME,
} vmx_controller_type;
typedef enum {
    VMX_SCSI_MODEL_NONE,
    VMX_SCSI_MODEL_AUTO,
    VMX_SCSI_MODEL_BUSLOGIC,
    VMX_SCSI_MODEL_LSILOGIC,
    VMX_SCSI_MODEL_LSISAS1068,
    VMX_SCSI_MODEL_VMPVSCSI,
} vmx_scsi_model;

typedef struct {
    vmx_controller_type type;
    unsigned index;
    vmx_scsi_model model; /* SCSI only */
} vmx_controller;

typedef enum {
    VMX_NET_BRIDGE,
    VMX_NET_USER,
    VMX_NET_NETWORK,
    VMX_NET_VDS,
    VMX_NET_NULL,
} vmx_net_type;
typedef enum { VMX_MAC_TYPE_NONE, VMX_MAC_TYPE_GENERATED, VMX_MAC_TYPE_STATIC } vmx_mac_type;

typedef struct {
    vmx_net_type type;
    gboolean has_mac;
    uint8_t mac[6];
    vmx_mac_type mac_type;
    vmx_tristate mac_check; /* <mac check='yes|no'/> */
    char *source;           /* bridge name (bridge) or network name (network) */
    char *ifname;           /* <target dev=.../> (VMX vnet of "custom") */
    char *model;            /* vlance, vmxnet, vmxnet2, vmxnet3, e1000, e1000e */
    /* vds */
    uint8_t switch_id[16];
    char *port_id; /* decimal, or NULL */
    char *portgroup_id;
    char *connection_id; /* decimal, or NULL */
} vmx_net;

/* NULL: a port with no backend (libvirt reads a network serial port without a URI so) */
typedef enum { VMX_CHR_DEV, VMX_CHR_FILE, VMX_CHR_PIPE, VMX_CHR_TCP, VMX_CHR_NULL } vmx_chr_type;
typedef enum {
    VMX_TCP_RAW,
    VMX_TCP_TELNET,
    VMX_TCP_TELNETS,
    VMX_TCP_TLS,
} vmx_tcp_protocol;

typedef struct {
    vmx_chr_type type;
    char *path;           /* dev, file, pipe */
    char *host, *service; /* tcp */
    gboolean listen;      /* tcp: mode='bind' */
    vmx_tcp_protocol protocol;
    unsigned port; /* <target port=.../> */
} vmx_chr;

typedef struct {
    char *src, *dst;
    gboolean readonly;
} vmx_fs;

typedef struct {
    int port; /* -1 = none */
    gboolean autoport;
    char *listen; /* address or NULL */
    char *keymap;
    char *passwd; /* sensitive: formatted only with VMX_XML_SECURE */
} vmx_graphics;

typedef struct {
    char *model;       /* "vmvga" */
    unsigned vram_kib; /* 0 = unset */
    unsigned heads;    /* 0 = unset */
    gboolean primary;
} vmx_video;

typedef struct {
    char *virt_type; /* "vmware" */
    char *name;
    uint8_t uuid[16];
    gboolean has_genid;
    uint8_t genid[16];
    char *description;
    guint64 memory_kib;         /* <memory> */
    guint64 current_memory_kib; /* <currentMemory>; 0 = same as memory */
    guint64 min_guarantee_kib;  /* <memtune><min_guarantee>; 0 = none */
    unsigned vcpus;
    unsigned current_vcpus; /* 0 = same as vcpus */
    char *cpuset;           /* <vcpu cpuset=...> as written, or NULL */
    gboolean has_topology;
    unsigned sockets, dies, clusters, cores, threads;
    gboolean has_shares;
    guint64 shares;
    char *os_type; /* "hvm" */
    vmx_arch arch;
    char *machine;
    vmx_firmware firmware;
    vmx_tristate secure_boot;   /* <firmware><feature name='secure-boot'/> */
    vmx_tristate enrolled_keys; /* <firmware><feature name='enrolled-keys'/> */
    vmx_smbios_mode smbios_mode;
    GPtrArray *boot_devs; /* char* */
    char *clock_offset;   /* "utc" or NULL */
    char *on_poweroff, *on_reboot, *on_crash;
    GPtrArray *disks;        /* vmx_disk* */
    GPtrArray *controllers;  /* vmx_controller* */
    GPtrArray *fss;          /* vmx_fs* */
    GPtrArray *nets;         /* vmx_net* */
    GPtrArray *graphics;     /* vmx_graphics* */
    GPtrArray *videos;       /* vmx_video* */
    GPtrArray *serials;      /* vmx_chr* */
    GPtrArray *parallels;    /* vmx_chr* */
    gboolean serial_console; /* a <console> mirrors the first serial port */
    char *datacenter_path;   /* <vmware:datacenterpath> */
    char *moref;             /* <vmware:moref> */
} vmx_domain;

vmx_domain *vmx_domain_new(void);
void vmx_domain_free(vmx_domain *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmx_domain, vmx_domain_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmx_file, vmx_file_free)

/* The controller of @type with @index in @def, NULL when there is none
 * (owned by @def). */
vmx_controller *vmx_domain_find_controller(const vmx_domain *def, vmx_controller_type type, unsigned index);

vmx_disk *vmx_disk_new(void);
void vmx_disk_free(vmx_disk *disk);
vmx_net *vmx_net_new(void);
void vmx_net_free(vmx_net *net);
vmx_chr *vmx_chr_new(void);
void vmx_chr_free(vmx_chr *chr);

/* Parses domain XML (no network access, no entity expansion). Applies
 * libvirt's defaults: disk addresses from the target name, a vmvga video
 * device when there is graphics but no video. NULL + @error naming the
 * element on malformed XML or values outside the model. */
vmx_domain *vmx_domain_parse_xml(const char *xml, GError **error);

enum { VMX_XML_SECURE = 1 << 0 }; /* include the VNC password */
/* Formats like libvirt (2-space indent, libvirt's element order). */
char *vmx_domain_format_xml(const vmx_domain *def, GError **error);
char *vmx_domain_format_xml_flags(const vmx_domain *def, unsigned flags, GError **error);

/* Disk target names: index <-> "sd"/"hd"/"fd" + [a-z]+ (0 -> a, 26 -> aa). */
char *vmx_disk_index_to_name(unsigned index, const char *prefix);
int vmx_disk_name_to_index(const char *name); /* -1 if not a disk name */

/* MAC "aa:bb:cc:dd:ee:ff" (any case) -> bytes. */
gboolean vmx_parse_mac(const char *text, uint8_t mac[6]);

/* ------------------------------------------------------------------------ */
/* Conversion (vmx/convert-*.c)                                              */

typedef struct {
    /* VMX file name -> the path the domain XML shows (usually
     * "[datastore] dir/file"). Return a new string; or NULL with *missing set
     * to TRUE when the file does not exist (no error); or NULL with @error. */
    char *(*parse_file_name)(const char *vmx_name, gboolean *missing, void *user_data, GError **error);
    /* Domain XML path -> VMX file name. New string, or NULL with @error. */
    char *(*format_file_name)(const char *xml_path, void *user_data, GError **error);
    /* The SCSI controller model a disk image asks for (model='auto'). */
    gboolean (*autodetect_scsi_model)(const vmx_disk *disk, vmx_scsi_model *model, void *user_data, GError **error);
    void *user_data;
    /* Fills <vmware:datacenterpath> when not NULL. */
    const char *datacenter_path;
    /* Fills <vmware:moref> when not NULL. */
    const char *moref;
} vmx_convert_ctx;

/* VMX text (@len bytes, or up to the NUL when @len is -1) -> domain. NULL +
 * @error naming the key/device and the cause. */
vmx_domain *vmx_to_domain(const char *vmx_text, gssize len, const vmx_convert_ctx *ctx, GError **error);
/* Same, from an already parsed file. */
vmx_domain *vmx_file_to_domain(const vmx_file *file, const vmx_convert_ctx *ctx, GError **error);

/* Domain -> VMX text for virtual hardware version @hw_version (>= 4). */
char *vmx_from_domain(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, GError **error);
/* Domain -> vmx_file (the entries vmx_from_domain() writes). */
vmx_file *vmx_file_from_domain(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, GError **error);
/* Updates @base (an existing VMX file) to describe @def: every entry the
 * conversion writes is set in place (or appended), entries that described a
 * device or setting @def no longer has are removed, and everything the
 * domain model does not cover (tools.*, nvram, pciBridge*, ...) is kept, with
 * comments and order. This is what "define" of an existing domain needs. */
gboolean vmx_file_update_from_domain(vmx_file *base, const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version,
                                     GError **error);

/* The offline mapper: no connection needed.
 *   /vmfs/volumes/DS/PATH <-> [DS] PATH; DS "missing" or PATH starting with
 *   "missing" is a missing file; other absolute paths unchanged; a bare name
 *   is placed beside the VMX file ("[DS] DIR/NAME" given vmx_location
 *   "[DS] DIR", else kept as is); a relative path with '/' is an error.
 *   SCSI model auto-detection answers lsilogic. */
typedef struct {
    const char *vmx_location;    /* "[DS] DIR" of the VMX file, or NULL */
    const char *datacenter_path; /* or NULL */
} vmx_offline_opts;
/* @opts must outlive @ctx. */
void vmx_offline_ctx_init(vmx_convert_ctx *ctx, const vmx_offline_opts *opts);

/* "[datastore] dir/sub/file" -> "datastore", "dir/sub" (NULL when the path
 * has no directory) and "file". FALSE + error when @path is not of that
 * form. */
gboolean vmx_parse_datastore_path(const char *path, char **datastore, char **directory, char **file, GError **error);
/* Where the VMX file of a new domain goes, as libvirt decides it: the
 * "[datastore] directory" of the first file-based hard disk. */
char *vmx_domain_vmx_location(const vmx_domain *def, GError **error);

/* Summary for listings, read straight from a VMX file without a full
 * conversion (uuid all zero when absent). */
typedef struct {
    char *name;
    uint8_t uuid[16];
    gboolean has_uuid;
    guint64 memory_kib;
    unsigned vcpus;
} vmx_summary;
gboolean vmx_file_summary(const vmx_file *file, vmx_summary *out, GError **error);
void vmx_summary_clear(vmx_summary *summary);

/* --- scaled integers (vmx/units.c) --------------------------------------- */

/* Scales @value in place by the unit @suffix as libvirt's virScaleInteger
 * does: units are case-insensitive; "b", "byte", "bytes" are 1; a letter
 * alone or followed by "iB" ("k", "KiB", "m", "MiB", ... "e", "EiB") a power
 * of 1024; a letter followed by "B" ("KB", "MB", ... "EB") a power of 1000.
 * NULL or "" means @scale (the caller's default unit, e.g. 1024 for KiB). The
 * result must not exceed @limit. FALSE + VMX_ERROR_INVALID naming the unit
 * ("unknown unit 'x'") or the value and limit ("too large") otherwise. */
gboolean vmx_scale_integer(guint64 *value, const char *suffix, guint64 scale, guint64 limit, GError **error);

/* A decimal number (optional surrounding spaces, no sign) followed by a
 * unit attribute, as libvirt reads <memory unit='...'>, <capacity
 * unit='...'>: vmx_scale_integer() of it. FALSE + VMX_ERROR_INVALID when
 * @text is not a number. */
gboolean vmx_parse_scaled(const char *text, const char *unit, guint64 scale, guint64 limit, guint64 *out,
                          GError **error);

/* --- snapshot XML (vmx/snapshot-xml.c) ----------------------------------- */

typedef enum {
    VMX_SNAPSHOT_MEMORY_DEFAULT, /* no <memory>: the caller decides */
    VMX_SNAPSHOT_MEMORY_YES,     /* <memory snapshot='internal'/> */
    VMX_SNAPSHOT_MEMORY_NO,      /* <memory snapshot='no'/> */
} vmx_snapshot_memory;

/* What a <domainsnapshot> asks for; NULL strings when absent. */
typedef struct {
    char *name;
    char *description;
    vmx_snapshot_memory memory;
} vmx_snapshot_def;

void vmx_snapshot_def_free(vmx_snapshot_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmx_snapshot_def, vmx_snapshot_def_free)

/* Parses <domainsnapshot> XML (through xmlguard, no DTDs): NULL with
 * VMX_ERROR_XML naming the element for what ESX cannot do (external memory)
 * or an unknown element. */
vmx_snapshot_def *vmx_snapshot_parse_xml(const char *xml, GError **error);

/* One existing snapshot, borrowed strings. */
typedef struct {
    const char *name;
    const char *description; /* may be NULL or empty: no element */
    const char *state;       /* libvirt's word: "running", "paused", "shutoff" */
    const char *parent;      /* NULL for a root */
    gint64 creation_time;    /* seconds since the epoch */
    const char *domain_uuid; /* textual */
} vmx_snapshot_info;

/* libvirt's <domainsnapshot> for INFO (newly allocated). */
char *vmx_snapshot_format_xml(const vmx_snapshot_info *info);

G_END_DECLS
