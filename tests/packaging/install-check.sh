#!/usr/bin/env bash
# install-check.sh — the built .debs, installed on this machine, work with no
# build tree, and purging them removes every file they installed.
#   tests/packaging/install-check.sh DEBDIR BUILDDIR
# DEBDIR holds the five .debs of dpkg-buildpackage -b (tools/dev.sh packages
# puts them in build-packages/); BUILDDIR is a build tree, used only for the
# simulator (a test tool, not a product): tests/sim/hvd-sim.
#
# As root (or with password-less sudo): apt-get install ./*.deb, then from a
# scratch folder with a bare environment (PATH=/usr/bin:/bin, no
# HVD_DRIVER_FILES, no LD_LIBRARY_PATH, HOME a scratch folder):
#   - /usr/bin/hvdctl -c esx://... against the simulator (verified HTTPS,
#     ca_file=), credentials from ~/.config/libvirt/auth.conf (mode 600);
#     a power change is checked on the simulator's control endpoint;
#   - /usr/bin/hvd-conformance --uri ... on the installed manifest;
#   - man -w / man for hvdctl(1), hvd-conformance(1), hvd-esx(7);
#   - bash completion: commands, and domain, pool and network names with
#     HVD_DEFAULT_URI set (none without);
# then apt-get purge, and every path `dpkg -L` listed must be gone (folders
# too, unless another package owns them or they hold other files).
# Exit status: 0 passed, 1 failed, 77 skipped (not root and no sudo; or
# hvd packages already installed, which this would replace and purge).
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 DEBDIR BUILDDIR" >&2
    exit 2
fi
debdir=$(realpath "$1")
builddir=$(realpath "$2")
PKGS="hvdctl hvd-conformance hvd-driver-esx libhvd-dev libhvd-loader1"
SIM="$builddir/tests/sim/hvd-sim"
T_NAME=install-check
# shellcheck source=tests/packaging/simlib.sh
. "$(dirname "$(realpath "$0")")/simlib.sh"

SUDO=()
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "install-check: skipped: installing packages needs root; run it as root or as a user with" \
            "password-less sudo (CI runs as root)" >&2
        exit 77
    fi
fi

[ -d "$debdir" ] || fail "$debdir is not a folder: give the folder of the built .debs (tools/dev.sh packages: build-packages)"
debs=()
for p in $PKGS; do
    f=$(find "$debdir" -maxdepth 1 -name "${p}_*_$(dpkg --print-architecture).deb" -o -maxdepth 1 \
        -name "${p}_*_all.deb" | sort | tail -n1)
    [ -n "$f" ] || fail "no ${p}_*.deb in $debdir: build the packages first (tools/dev.sh packages)"
    debs+=("$f")
done
[ -x "$SIM" ] || fail "no simulator at $SIM: build the tree first (meson compile -C $builddir)"

# Never replace, then purge, what an administrator installed.
for p in $PKGS; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qvE '(^$|not-installed$)'; then
        echo "install-check: skipped: $p is already installed ($(dpkg-query -W -f='${Version}' "$p"));" \
            "this check would replace and purge it. Purge it first: apt-get purge $PKGS" >&2
        exit 77
    fi
done

work=$(mktemp -d)
chmod 755 "$work"
installed=0
cleanup() {
    local rc=$?
    sim_stop
    if [ "$installed" = 1 ]; then
        echo "install-check: purging the packages after a failure" >&2
        # shellcheck disable=SC2086
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $PKGS >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT

say "apt-get install ${debs[*]##*/}"
installed=1
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${debs[@]}" man-db >"$work/apt-install.log" 2>&1 || {
    cat "$work/apt-install.log" >&2
    fail "apt-get install of the built packages failed (log above)"
}
for p in $PKGS; do dpkg -L "$p"; done | sort -u >"$work/files"
say "$(wc -l <"$work/files") paths installed"

# The simulator, from the build tree, on a free loopback port, verified HTTPS.
say "starting the simulator (ESX model, HTTPS)"
sim_start "$SIM" "$work/sim" --model esx --tls --username root --password 'Install-Check-1'
host=$(sim_get host)
port=$(sim_get port)
ca=$(sim_get ca_file)
uri="esx://$host:$port/?ca_file=$ca"

# A user's home with nothing of the build tree in it; the auth file in the
# default place, as a user keeps it (hvdctl refuses one others can read).
home="$work/home"
mkdir -p "$work/cwd"
sim_write_auth "$home/.config/libvirt/auth.conf" root Install-Check-1
cd "$work/cwd"

say "the installed programs"
[ "$(bare sh -c 'command -v hvdctl')" = /usr/bin/hvdctl ] || fail "hvdctl is not /usr/bin/hvdctl on a bare PATH"
# (ldd's output captured first: grep -q stops reading at its match, and
# under pipefail ldd's SIGPIPE would fail the check)
libs=$(ldd /usr/bin/hvdctl)
grep -qE "libhvd-loader.so.1 => /(usr/)?lib/" <<<"$libs" ||
    fail "/usr/bin/hvdctl does not load libhvd-loader from /usr/lib: $(grep hvd <<<"$libs")"
run hvdctl --version
run hvdctl drivers
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
expect "/usr/share/hvd/drivers.d/esx.$arch.json"

say "hvdctl against the simulator"
run hvdctl -c "$uri" hostname
run hvdctl -c "$uri" list --all
expect ha-host_VM0
run hvdctl -c "$uri" destroy ha-host_VM0
power=$(sim_vm_power ha-host_VM0)
[ "$power" = poweredOff ] || fail "after 'hvdctl destroy ha-host_VM0' the simulator says the VM is '$power'"
run hvdctl -c "$uri" domstate ha-host_VM0
expect "shut off"
# bad input: a wrong CA is refused with a message naming the certificate
run_fails "the ca_file does not exist" hvdctl -c "esx://$host:$port/?ca_file=/nonexistent/ca.pem" list
expect "/nonexistent/ca.pem"

say "hvd-conformance --uri against the simulator"
CONF_PW=Install-Check-1 run hvd-conformance --uri "$uri" --user root --manifest "/usr/share/hvd/drivers.d/esx.$arch.json"
grep -q '^FAIL' "$work/out" && fail "hvd-conformance reported a failed check"

say "man pages"
for page in hvdctl hvd-conformance "7 hvd-esx"; do
    # shellcheck disable=SC2086
    run man -w $page
    # shellcheck disable=SC2086
    bare man $page 2>&1 | head -n 5 >"$work/out"
    cat "$work/out"
    grep -qi -- "${page#7 }" "$work/out" || fail "'man $page' did not show the page"
done

say "bash completion"
comp=/usr/share/bash-completion/completions/hvdctl
[ -f "$comp" ] || fail "$comp is not installed"
complete_words() { # complete_words WORD... : COMPREPLY for the last word, one per line
    # shellcheck disable=SC2016 # the script is bash -c's, expanded there
    bare HVD_DEFAULT_URI="${COMP_URI-}" bash -c 'source "$1"; shift; COMP_WORDS=("$@");
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _hvdctl; for w in "${COMPREPLY[@]}"; do printf "%s\n" "$w"; done' _ "$comp" "$@"
}
complete_words hvdctl "" >"$work/out"
printf 'hvdctl <TAB>: %s\n' "$(tr '\n' ' ' <"$work/out")"
for c in list start dumpxml pool-list help; do
    grep -qx "$c" "$work/out" || fail "'hvdctl <TAB>' does not offer the command '$c'"
done
complete_words hvdctl dom >"$work/out"
grep -qx domstate "$work/out" || fail "'hvdctl dom<TAB>' does not offer domstate"
COMP_URI=$uri complete_words hvdctl start "" >"$work/out"
printf 'HVD_DEFAULT_URI=... hvdctl start <TAB>: %s\n' "$(tr '\n' ' ' <"$work/out")"
grep -qx ha-host_VM0 "$work/out" || fail "'hvdctl start <TAB>' with HVD_DEFAULT_URI set does not offer ha-host_VM0"
COMP_URI=$uri complete_words hvdctl pool-info "" >"$work/out"
grep -qx LocalDS_0 "$work/out" || fail "'hvdctl pool-info <TAB>' with HVD_DEFAULT_URI set does not offer LocalDS_0"
COMP_URI=$uri complete_words hvdctl net-info "" >"$work/out"
grep -qx vSwitch0 "$work/out" || fail "'hvdctl net-info <TAB>' with HVD_DEFAULT_URI set does not offer vSwitch0"
complete_words hvdctl start "" >"$work/out"
[ ! -s "$work/out" ] || fail "'hvdctl start <TAB>' without a URI offered: $(cat "$work/out")"

sim_stop

say "apt-get purge"
# shellcheck disable=SC2086
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $PKGS >"$work/apt-purge.log" 2>&1 || {
    cat "$work/apt-purge.log" >&2
    fail "apt-get purge failed (log above)"
}
installed=0
left=0
while IFS= read -r path; do
    [ "$path" = /. ] && continue
    if [ -d "$path" ] && [ ! -L "$path" ]; then
        # A folder may stay when another package owns it or it holds other files.
        if dpkg-query -S "$path" >/dev/null 2>&1 || [ -n "$(ls -A "$path")" ]; then continue; fi
        echo "left behind: empty folder $path" >&2
        left=$((left + 1))
    elif [ -e "$path" ] || [ -L "$path" ]; then
        echo "left behind: $path" >&2
        left=$((left + 1))
    fi
done <"$work/files"
[ "$left" = 0 ] || fail "$left paths the packages installed are still there after apt-get purge"
for p in $PKGS; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv 'not-installed'; then
        fail "$p is still known to dpkg after purge: $(dpkg-query -W -f='${Status}' "$p")"
    fi
done
say "install-check passed: installed, ran from /usr/bin with no build tree, purged, nothing left"
