#!/usr/bin/env python3
"""minimal-host.py — an HVD host in Python with ctypes only: list the
driver manifests libhvd-loader finds, and why an unusable one is skipped.

    python3 minimal-host.py [path/to/libhvd-loader.so.1]
"""
import ctypes
import sys


class HvdManifest(ctypes.Structure):
    """struct hvd_manifest (hvd-loader.h); read members only up to struct_size."""
    _fields_ = [
        ('struct_size', ctypes.c_uint32),
        ('reserved0', ctypes.c_uint32),
        ('manifest_path', ctypes.c_char_p),
        ('name', ctypes.c_char_p),
        ('library_path', ctypes.c_char_p),
        ('description', ctypes.c_char_p),
        ('abi_major', ctypes.c_uint32),
        ('abi_minor', ctypes.c_uint32),
        ('uri_schemes', ctypes.POINTER(ctypes.c_char_p)),
        ('usable', ctypes.c_int32),
        ('problem', ctypes.c_char_p),
    ]


def schemes(m):
    out = []
    i = 0
    while m.uri_schemes[i] is not None:
        out.append(m.uri_schemes[i].decode())
        i += 1
    return out


def main():
    lib = ctypes.CDLL(sys.argv[1] if len(sys.argv) > 1 else 'libhvd-loader.so.1')
    lib.hvd_loader_new.restype = ctypes.c_void_p
    lib.hvd_loader_free.argtypes = [ctypes.c_void_p]
    lib.hvd_loader_count.argtypes = [ctypes.c_void_p]
    lib.hvd_loader_count.restype = ctypes.c_uint32
    lib.hvd_loader_manifest.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.hvd_loader_manifest.restype = ctypes.POINTER(HvdManifest)
    lib.hvd_loader_version.restype = ctypes.c_char_p

    loader = lib.hvd_loader_new()
    try:
        print(f'libhvd-loader {lib.hvd_loader_version().decode()}')
        for i in range(lib.hvd_loader_count(loader)):
            m = lib.hvd_loader_manifest(loader, i).contents
            if m.usable:
                print(f'{m.name.decode()}: {",".join(schemes(m))} -> {m.library_path.decode()}')
            else:
                print(f'skipped {m.manifest_path.decode()}: {m.problem.decode()}')
    finally:
        lib.hvd_loader_free(loader)


if __name__ == '__main__':
    main()
