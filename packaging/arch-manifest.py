#!/usr/bin/env python3
"""Turn a configured driver manifest into its installed, per-architecture
form: add "architecture" (manifest format 1.1) so that the loader skips it on
other architectures, and the file is named NAME.ARCH.json by the build.

Usage: arch-manifest.py IN.json ARCH OUT.json
"""
import json
import sys


def main():
    src, arch, out = sys.argv[1:4]
    with open(src, encoding='utf-8') as f:
        manifest = json.load(f)
    manifest['file_format_version'] = '1.1.0'
    driver = manifest['driver']
    ordered = {}
    for key, value in driver.items():
        ordered[key] = value
        if key == 'library_path':
            ordered['architecture'] = arch
    manifest['driver'] = ordered
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=4)
        f.write('\n')


if __name__ == '__main__':
    main()
