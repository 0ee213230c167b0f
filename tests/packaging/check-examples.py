#!/usr/bin/env python3
"""The hosts of docs/host-developers.md work: the C one (built by meson from
docs/examples/minimal-host.c) loads the ESX driver for an esx:// URI, and the
Python one (ctypes only) lists its manifest as usable.

Usage: check-examples.py C_HOST PY_HOST LIBHVD_LOADER MANIFEST
"""
import os
import subprocess
import sys


def run(*cmd):
    env = dict(os.environ, HVD_DRIVER_FILES=sys.argv[4])
    out = subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=60)
    print(f'$ {" ".join(cmd)}\n{out.stdout}{out.stderr}')
    if out.returncode != 0:
        sys.exit(f'exit status {out.returncode}')
    return out.stdout


def main():
    c_host, py_host, loader, manifest = sys.argv[1:5]
    failures = []
    out = run(c_host, 'esx://esx1.example.com/')
    if 'driver esx ' not in out or 'negotiated 1.' not in out:
        failures.append('the C host did not load the esx driver')
    out = run(sys.executable, py_host, loader)
    if 'esx: esx,gsx,vpx -> ' not in out:
        failures.append('the Python host did not list the esx manifest as usable')
    if failures:
        sys.exit('; '.join(failures))


if __name__ == '__main__':
    main()
