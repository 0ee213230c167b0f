/*
 * internal.h: helpers shared by the files of vmx/, not part of the API.
 */
#pragma once

#include "vmx/vmx.h"

#define VMX_NS_URI "http://libvirt.org/schemas/domain/vmware/1.0"

/* Sorted unique CPU numbers (unsigned) from "0-2,5,^1"; NULL + error. */
GArray *vmx_cpuset_parse(const char *text, GError **error);
char *vmx_cpuset_format(const GArray *cpus);
int vmx_compare_uint(const void *a, const void *b);

void vmx_uuid_format(const uint8_t uuid[16], char out[37]);
gboolean vmx_uuid_parse(const char *text, uint8_t uuid[16]);

const char *vmx_scsi_model_xml_name(vmx_scsi_model model);
const char *vmx_disk_bus_name(vmx_disk_bus bus);
const char *vmx_disk_device_name(vmx_disk_device device);
const char *vmx_controller_type_name(vmx_controller_type type);
const char *vmx_net_type_name(vmx_net_type type);
const char *vmx_chr_type_name(vmx_chr_type type);
const char *vmx_tcp_protocol_name(vmx_tcp_protocol protocol);

/* The drive address libvirt assigns to target @dst on @bus (SCSI: 15 units
 * per controller skipping unit 7, IDE: 2 buses of 2 units, FDC: 2 units,
 * SATA: 30 units per controller). FALSE if @dst is no such name. */
gboolean vmx_disk_address_from_name(vmx_disk_bus bus, const char *dst, unsigned *controller, unsigned *bus_index,
                                    unsigned *unit);
/* The inverse: target name for an address. */
char *vmx_disk_name_from_address(vmx_disk_bus bus, unsigned controller, unsigned bus_index, unsigned unit);
char *vmx_scsi_superwide_disk_name(unsigned controller, unsigned unit);

/* Typed VMX getters (vmx/convert-util.c). Each returns FALSE with an error
 * naming the key when the value has the wrong form; an absent key yields
 * @def. */
gboolean vmx_get_bool(const vmx_file *file, const char *key, gboolean def, gboolean *out, GError **error);
/* Integers; "unlimited" reads as -1. */
gboolean vmx_get_long(const vmx_file *file, const char *key, gint64 def, gint64 *out, GError **error);
/* "prefix.suffix" in @buf (VMX keys are short). */
const char *vmx_key(char buf[96], const char *prefix, const char *suffix);
gboolean vmx_str_has_suffix_ci(const char *s, const char *suffix);

/* The VMX -> domain device parsers (vmx/convert-to-devices.c). */
gboolean vmx_parse_disks(const vmx_file *file, const vmx_convert_ctx *ctx, vmx_domain *def, GError **error);
gboolean vmx_parse_nets(const vmx_file *file, vmx_domain *def, GError **error);
gboolean vmx_parse_chrs(const vmx_file *file, const vmx_convert_ctx *ctx, vmx_domain *def, GError **error);
gboolean vmx_parse_fss(const vmx_file *file, vmx_domain *def, GError **error);
gboolean vmx_parse_vnc(const vmx_file *file, vmx_domain *def, GError **error);

/* libxml2 helpers (vmx/xml-util.c) for the domain XML parsers. */
#include <libxml/tree.h>

gboolean vmx_xml_is_elem(const xmlNode *node, const char *name);
gboolean vmx_xml_is_vmware_elem(const xmlNode *node, const char *name);
xmlNode *vmx_xml_child(const xmlNode *node, const char *name);
char *vmx_xml_prop(const xmlNode *node, const char *name);
char *vmx_xml_text(const xmlNode *node);
char *vmx_xml_child_text(const xmlNode *node, const char *name);
gboolean vmx_xml_bad(GError **error, const char *element, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
gboolean vmx_xml_parse_uint(const char *value, guint64 max, guint64 *out);
gboolean vmx_xml_uint_prop(const xmlNode *node, const char *element, const char *name, unsigned def, unsigned max,
                           unsigned *out, GError **error);
gboolean vmx_xml_yes_no(const char *value, gboolean *out);

/* <domain> children -> @def (domain-xml-parse.c, domain-xml-devices.c) */
gboolean vmx_domain_parse_root(const xmlNode *root, vmx_domain *def, GError **error);
gboolean vmx_xml_parse_devices(const xmlNode *devices, vmx_domain *def, GError **error);

/* domain -> VMX for disks (with their controllers) and network cards
 * (vmx/convert-from-devices.c) */
gboolean vmx_format_disks(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, vmx_file *out,
                          GError **error);
gboolean vmx_format_nets(const vmx_domain *def, int hw_version, vmx_file *out, GError **error);
