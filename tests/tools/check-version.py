#!/usr/bin/env python3
"""hvdctl --version: hvdctl's version, the loader's, the ABI it speaks.

Usage: check-version.py HVDCTL PROJECT_VERSION LOADER_VERSION ARCH ABI

Text and --json forms, -V, before or after other options; it needs no
driver and no connection (HVD_DRIVER_FILES names nothing, a -c URI is not
contacted), so it works on a machine where the driver is broken.
"""
import json
import os
import subprocess
import sys


def run(hvdctl, *args):
    env = dict(os.environ, HVD_DRIVER_FILES='/nonexistent/none.json')
    out = subprocess.run([hvdctl, *args], env=env, capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        sys.exit(f'hvdctl {" ".join(args)} exited {out.returncode}: {out.stderr}')
    return out.stdout


def main():
    hvdctl, version, loader, arch, abi = sys.argv[1:6]
    want = f'hvdctl {version}\nlibhvd-loader {loader} ({arch})\nHVD ABI {abi}\n'
    failures = 0
    for args in (['--version'], ['-V'], ['-c', 'esx://unreachable.invalid/', '--version'], ['--version', 'list']):
        got = run(hvdctl, *args)
        ok = got == want
        print(f"{'ok' if ok else 'FAIL'}: hvdctl {' '.join(args)} -> {got!r}")
        failures += not ok
    for args in (['--json', '--version'], ['--version', '--json']):
        got = json.loads(run(hvdctl, *args))
        want_json = {'hvdctl': version, 'loader': loader, 'loader_arch': arch, 'abi': abi}
        ok = got == want_json
        print(f"{'ok' if ok else 'FAIL'}: hvdctl {' '.join(args)} -> {got}")
        failures += not ok
    ok = '--version' in run(hvdctl, '--help')
    print(f"{'ok' if ok else 'FAIL'}: hvdctl --help mentions --version")
    failures += not ok
    if failures:
        sys.exit(f'{failures} check(s) failed')


if __name__ == '__main__':
    main()
