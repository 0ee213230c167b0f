#!/usr/bin/env python3
"""hvd.pc tells driver authors where the loader looks.

Usage: check-pkgconfig.py PKG_CONFIG BUILDDIR VERSION ARCH DRIVERDIR MANIFESTDIR

For the .pc about to be installed (meson-private) and the uninstalled one
(meson-uninstalled): --modversion is libhvd-loader's version, and the
variables driverdir, manifestdir and arch are the folders the loader was
built to search (DATADIR/hvd/drivers.d) and where this build installs its
own driver and manifest (meson's install plan), so a third-party driver
installed with them is found. hvd-loader (the 0.1.0 name) resolves to hvd.
"""
import json
import os
import subprocess
import sys


def pkgconfig(pc, path, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=path, PKG_CONFIG_LIBDIR=path)
    out = subprocess.run([pc, *args], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main():
    pc, build, version, arch, driverdir, manifestdir = sys.argv[1:7]
    with open(os.path.join(build, 'meson-info', 'intro-installed.json'), encoding='utf-8') as f:
        installed = set(json.load(f).values())
    failures = []

    def expect(what, got, want):
        status = 'ok' if got == want else 'FAIL'
        print(f'{status}: {what} = {got!r} (want {want!r})')
        if got != want:
            failures.append(what)

    for sub, name in (('meson-private', 'hvd'), ('meson-uninstalled', 'hvd-uninstalled')):
        path = os.path.join(build, sub)
        expect(f'{sub} {name} modversion', pkgconfig(pc, path, '--modversion', 'hvd'), version)
        got = {var: pkgconfig(pc, path, '--variable=' + var, 'hvd') for var in ('driverdir', 'manifestdir', 'arch')}
        expect(f'{sub} arch', got['arch'], arch)
        expect(f'{sub} driverdir', got['driverdir'], driverdir)
        expect(f'{sub} manifestdir (the loader\'s DATADIR folder)', got['manifestdir'], manifestdir)
        for f in (f"{got['manifestdir']}/esx.{got['arch']}.json", f"{got['driverdir']}/libhvd-esx.so"):
            expect(f'{sub}: this build installs {f}', f in installed, True)
        libs = pkgconfig(pc, path, '--libs', 'hvd-loader')
        expect(f'{sub} hvd-loader --libs names -lhvd-loader', '-lhvd-loader' in libs, True)
    if failures:
        sys.exit(f'{len(failures)} check(s) failed')


if __name__ == '__main__':
    main()
