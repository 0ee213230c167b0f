#!/usr/bin/env bash
# tools/dev.sh — one entry point for a fresh Debian 12 machine.
#   tools/dev.sh demo   install packages, build, start the bundled vSphere
#                       simulator and run hvdctl against it (over verified HTTPS)
#   tools/dev.sh test   install packages, build, run every test: the plain build,
#                       ASan+UBSan, valgrind on the unit tests, and the fuzzers
#   tools/dev.sh packages  build the Debian packages (dpkg-buildpackage -b) and
#                       the RPMs (rpmbuild -bb from meson dist) into
#                       build-packages/, run lintian, and unpack two
#                       architectures' driver packages side by side
#   tools/dev.sh bench [--json] [--sizes 100,1000]  hvdctl against govmomi on
#                       the simulator (tests/bench/bench.py), then the
#                       lower-level benchmarks
#   tools/dev.sh deps | build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

RUNTIME_PKGS="build-essential meson ninja-build pkg-config python3 ca-certificates
  libcurl4-openssl-dev libxml2-dev libjson-c-dev libglib2.0-dev scdoc
  golang-go golang-github-vmware-govmomi-dev"
TEST_PKGS="clang-format valgrind clang libclang-rt-14-dev abigail-tools binutils gcc-multilib"

log() { printf '\n==> %s\n' "$*" >&2; }

deps() {
    local pkgs="$RUNTIME_PKGS"
    [ "${1:-}" = test ] && pkgs="$pkgs $TEST_PKGS"
    # shellcheck disable=SC2086
    if dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | grep -qv 'install ok installed' ||
       ! dpkg-query -W $pkgs >/dev/null 2>&1; then
        log "installing Debian packages"
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    fi
}

build() {
    local dir=${1:-build}; shift || true
    if [ ! -f "$dir/build.ninja" ]; then
        log "configuring $dir $*"
        meson setup "$dir" "$@" >/dev/null
    elif [ $# -gt 0 ]; then
        meson configure "$dir" "$@" >/dev/null
    fi
    log "building $dir"
    meson compile -C "$dir"
}

# Starts the simulator (arguments passed on), sets SIM_JSON and SIM_PID.
start_sim() {
    local out; out=$(mktemp -d)
    SIM_DIR=$out
    mkfifo "$out/in"
    "$ROOT/build/tests/sim/hvd-sim" "$@" --cert-dir "$out" <"$out/in" >"$out/line" 2>"$out/log" &
    SIM_PID=$!
    exec 9>"$out/in"   # keep the simulator's stdin open; closing it stops the simulator
    for _ in $(seq 1 600); do
        if [ -s "$out/line" ]; then break; fi
        if ! kill -0 "$SIM_PID" 2>/dev/null; then cat "$out/log" >&2; echo "simulator failed to start" >&2; exit 1; fi
        sleep 0.1
    done
    SIM_JSON=$(head -n1 "$out/line")
}

stop_sim() {
    exec 9>&- || true
    wait "$SIM_PID" 2>/dev/null || true
    rm -rf "$SIM_DIR"
}

json() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$SIM_JSON" "$1"; }

demo() {
    deps
    build build
    log "starting the vSphere simulator (ESX model, HTTPS with a generated RSA-2048 CA)"
    start_sim --model esx --tls
    trap stop_sim EXIT
    local auth="$SIM_DIR/auth.conf"
    # hvdctl, like ssh, refuses an auth file others may read
    (umask 077 && : >"$auth")
    cat >"$auth" <<AUTH
[credentials-sim]
username=$(json username)
password=$(json password)

[auth-esx-$(json host)]
credentials=sim
AUTH
    local uri="esx://$(json host):$(json port)/?ca_file=$(json ca_file)"
    export HVD_DRIVER_FILES="$ROOT/build/plugin/esx.json" HVD_AUTH_FILE="$auth"
    local ctl="$ROOT/build/tools/hvdctl"
    log "hvdctl -c '$uri' version"
    "$ctl" -c "$uri" version
    log "hvdctl -c '$uri' hostname"
    "$ctl" -c "$uri" hostname
    log "hvdctl -c '$uri' nodeinfo"
    "$ctl" -c "$uri" nodeinfo
    log "hvdctl -c '$uri' list --all"
    "$ctl" -c "$uri" list --all
    log "hvdctl -c '$uri' pool-list --details"
    "$ctl" -c "$uri" pool-list --details
}

run_tests() {
    deps test
    log "code style (.clang-format)"
    tools/check-format.sh
    # CI builds with -Werror; the default build does not (see meson.build)
    build build -Dwerror=true
    log "tests (plain build)"
    meson test -C build --print-errorlogs --num-processes 2
    build build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
    log "tests under ASan+UBSan"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite abi
    # Fedora and Ubuntu build with LTO: the checks that must catch a broken
    # driver (the deliberate leak, the crashing and lying mocks) must still
    # catch it when the optimiser sees the whole program.
    # With the flags Fedora and Ubuntu build with: LTO, _FORTIFY_SOURCE=3,
    # bindnow.
    if [ ! -f build-lto/build.ninja ]; then
        log "configuring build-lto (-flto=auto -ffat-lto-objects -D_FORTIFY_SOURCE=3 -Wl,-z,now)"
        CFLAGS="-flto=auto -ffat-lto-objects -D_FORTIFY_SOURCE=3" LDFLAGS="-flto=auto -Wl,-z,now" \
            meson setup build-lto -Dwerror=true -Dbuildtype=release >/dev/null
    fi
    log "building build-lto"
    meson compile -C build-lto
    log "tests under LTO (unit, corpus, abi, conformance)"
    meson test -C build-lto --print-errorlogs --num-processes 2 --suite unit --suite conformance \
        --suite corpus --suite abi
    # What a distribution builds: no tests, yet hvd-conformance is installed
    # (a product, not a test).
    build build-notests -Dwerror=true -Dtests=false
    log "-Dtests=false: meson install --destdir installs hvd-conformance"
    rm -rf build-notests/destdir
    meson install -C build-notests --destdir destdir >/dev/null
    test -x "build-notests/destdir$(meson introspect build-notests --buildoptions |
        python3 -c 'import json,sys; o={x["name"]: x["value"] for x in json.load(sys.stdin)}; print(o["prefix"] + "/" + o["bindir"])')/hvd-conformance"
    log "unit tests under valgrind"
    meson test -C build --print-errorlogs --suite unit --num-processes 2 \
        --wrap='valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1'
    # Only the fuzz targets: the rest of an instrumented build would need
    # libFuzzer's runtime in every binary and library that links vi/ or vmx/.
    if [ ! -f build-fuzz/build.ninja ]; then
        log "configuring build-fuzz (clang, -Dfuzzing=true)"
        CC=clang meson setup build-fuzz -Dfuzzing=true -Db_lundef=false >/dev/null
    fi
    local targets
    targets=$(meson introspect build-fuzz --tests | python3 -c '
import json, os, sys
root = os.path.realpath(sys.argv[1])
print(" ".join(sorted({os.path.relpath(t["cmd"][0], root) for t in json.load(sys.stdin) if any(s.endswith(":fuzz") for s in t["suite"])})))
' build-fuzz)
    log "building fuzz targets: $targets"
    # shellcheck disable=SC2086
    ninja -C build-fuzz $targets
    log "fuzz targets (short runs)"
    meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz --num-processes 2
}

packages() {
    deps
    local pkgs="debhelper lintian rpm bash-completion man-db"
    # shellcheck disable=SC2086
    if ! dpkg-query -W $pkgs >/dev/null 2>&1; then
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    fi
    build build
    local out="$ROOT/build-packages"
    rm -rf "$out" && mkdir -p "$out"
    log "dpkg-buildpackage -us -uc -b"
    dpkg-buildpackage -us -uc -b >"$out/dpkg-buildpackage.log" 2>&1 ||
        { tail -50 "$out/dpkg-buildpackage.log"; exit 1; }
    local v; v=$(dpkg-parsechangelog -S Version)
    mv ../*_"$v"_*.deb ../*_"$v"_*.changes ../*_"$v"_*.buildinfo "$out/"
    debian/rules clean >/dev/null 2>&1 || true
    log "lintian"
    lintian --fail-on error,warning "$out"/*.changes
    log "two architectures' hvd-driver-esx side by side"
    HVDCTL="$ROOT/build/tools/hvdctl" tests/packaging/multiarch-deb.sh "$out"
    log "rpmbuild -bb from meson dist"
    meson dist -C build --no-tests --formats xztar
    rpmbuild -bb --nodeps --define "_topdir $out/rpm" --define "_sourcedir $ROOT/build/meson-dist" \
        packaging/rpm/hvd-esx.spec >"$out/rpmbuild.log" 2>&1 || { tail -50 "$out/rpmbuild.log"; exit 1; }
    ls "$out"/*.deb "$out"/rpm/RPMS/*/*.rpm
}

bench() {
    deps
    build build
    # issue 14: hvdctl against govmomi, whole process against whole process,
    # at 100, 1,000 and 10,000 VMs (docs/performance.md); arguments go to it
    # (--json, --sizes, --reps, --models)
    # the govmomi contender is not part of the default build (CI does not need it)
    ninja -C build tests/bench/hvd-bench-govmomi tests/bench/hvd-bench-xsiproxy >/dev/null
    # the libvirt contender: virsh (its ESX driver is client-side, in libvirt0)
    command -v virsh >/dev/null || $SUDO apt-get install -y --no-install-recommends libvirt-clients >/dev/null
    log "tests/bench/bench.py $*"
    python3 tests/bench/bench.py --build build "$@"
    # stdout stays one JSON document
    case " $* " in *" --json "*) return ;; esac
    for b in build/tests/vi/vi-bench build/tests/vmx/vmx-bench; do
        if [ -x "$b" ]; then log "$b"; "$b"; fi
    done
    # storage (issue 9): the driver through the loader
    if [ -x build/tests/plugin/storage-bench ]; then
        log "build/tests/plugin/storage-bench"
        HVD_DRIVER_FILES="$PWD/build/plugin/esx.json" build/tests/plugin/storage-bench
    fi
}

case "${1:-}" in
    deps) deps test ;;
    build) deps; build build ;;
    demo) demo ;;
    test) run_tests ;;
    bench) shift; bench "$@" ;;
    packages) packages ;;
    *) echo "usage: $0 demo|test|deps|build|bench|packages" >&2; exit 2 ;;
esac
