#!/usr/bin/env bash
# multiarch-deb.sh — two architectures' hvd-driver-esx unpack side by side.
#   tests/packaging/multiarch-deb.sh DIR   (DIR holds the .debs of
#                                          dpkg-buildpackage -b, e.g. ..)
# As dpkg's own tests do, the native driver package is repacked for a second
# architecture (its library moved to that architecture's multiarch folder,
# its manifest renamed and relabelled), then both are installed with dpkg into
# a scratch root (--root, no privileges needed beyond writing DIR's sibling)
# as Multi-Arch: same packages. dpkg refuses this ("trying to overwrite
# shared ...") if any path they share differs. Then the native loader, with
# XDG_DATA_DIRS pointing into the scratch root, must take the native manifest
# and skip the other with its reason.
set -euo pipefail
debdir=$(realpath "$1")
native=$(dpkg --print-architecture)
native_tuple=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
if [ "$native" = i386 ]; then other=amd64; else other=i386; fi
other_tuple=$(dpkg-architecture -a"$other" -qDEB_HOST_MULTIARCH 2>/dev/null)
deb=$(find "$debdir" -maxdepth 1 -name "hvd-driver-esx_*_$native.deb" | sort | tail -n1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Repack for the other architecture.
dpkg-deb -R "$deb" "$work/pkg"
sed -i "s/^Architecture: .*/Architecture: $other/" "$work/pkg/DEBIAN/control"
mkdir -p "$work/pkg/usr/lib/$other_tuple"
mv "$work/pkg/usr/lib/$native_tuple/hvd" "$work/pkg/usr/lib/$other_tuple/hvd"
rmdir "$work/pkg/usr/lib/$native_tuple"
m="$work/pkg/usr/share/hvd/drivers.d"
sed -e "s/$native_tuple/$other_tuple/g" "$m/esx.$native_tuple.json" >"$m/esx.$other_tuple.json"
rm "$m/esx.$native_tuple.json"
rm -f "$work/pkg/DEBIAN/md5sums"
(cd "$work/pkg" && find usr -type f -exec md5sum {} + >DEBIAN/md5sums)
other_deb="$work/hvd-driver-esx_$other.deb"
dpkg-deb -b --root-owner-group "$work/pkg" "$other_deb" >/dev/null

# Install both into a scratch root.
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root=(dpkg --root="$root" --force-not-root --force-depends --force-script-chrootless --log=/dev/null)
"${dpkg_root[@]}" --add-architecture "$other"
"${dpkg_root[@]}" --unpack "$deb" "$other_deb"
echo "ok: hvd-driver-esx:$native and hvd-driver-esx:$other unpacked side by side"
ls "$root/usr/share/hvd/drivers.d"
"${dpkg_root[@]}" -l 'hvd-driver-esx*' | tail -n 2

# The native loader takes its own, and skips the other with its reason.
hvdctl=${HVDCTL:-hvdctl}
if command -v "$hvdctl" >/dev/null; then
    out=$(env -u HVD_DRIVER_FILES XDG_DATA_HOME="$work/none" XDG_DATA_DIRS="$root/usr/share" "$hvdctl" drivers)
    echo "$out"
    grep -q "architecture $other_tuple" <<<"$out"
    echo "ok: $hvdctl skips the $other_tuple manifest with its reason"
fi
