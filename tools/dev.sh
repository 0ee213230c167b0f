#!/usr/bin/env bash
# tools/dev.sh — one entry point for a fresh Debian 12 machine.
#   tools/dev.sh demo   install packages, build, start the bundled vSphere
#                       simulator and run hvdctl against it (over verified HTTPS)
#   tools/dev.sh test   install packages, build, run every test: the plain build,
#                       ASan+UBSan, valgrind on the unit tests, and the fuzzers;
#                       then the packages, built and checked installed
#                       (install-check; skipped without root or sudo)
#   tools/dev.sh packages  build the Debian packages (dpkg-buildpackage -b) and
#                       the RPMs (rpmbuild -bb from meson dist) into
#                       build-packages/, run lintian and rpmlint, and unpack
#                       two architectures' driver packages side by side
#   tools/dev.sh install-check  install the packages of build-packages/ (built
#                       first if missing) with apt-get, run the installed
#                       hvdctl, hvd-conformance, man and completion from
#                       /usr/bin against the simulator with no build tree,
#                       purge, and check nothing is left (root or sudo)
#   tools/dev.sh bench [--json] [--sizes 100,1000]  hvdctl against govmomi on
#                       the simulator (tests/bench/bench.py), then the
#                       lower-level benchmarks
#   tools/dev.sh fuzz [--minutes N] [TARGET...]  each libFuzzer target for N
#                       minutes (default 10), one at a time, nice 19
#   tools/dev.sh tsan [--calls N]  the threaded tests under ThreadSanitizer
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
    tsan
    build_fuzz_targets
    log "fuzz targets (short runs)"
    meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz --num-processes 2
    ci_install_check
}

# tools/dev.sh tsan [--calls N]: the concurrency tests under ThreadSanitizer
# (gcc, -Db_sanitize=thread): tests/plugin/test-threads (8 threads x N
# mixed ABI calls, one connection then one each, against a serial run;
# N = 1,000 unless --calls says otherwise) and vi's threaded tests;
# suppressions in tests/tsan.supp.
tsan() {
    local calls=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --calls) calls=${2:?--calls needs a number}; shift 2 ;;
            *) echo "tsan: unknown argument $1 (--calls N)" >&2; exit 2 ;;
        esac
    done
    case "$calls" in *[!0-9]*) echo "tsan: --calls takes a number, not '$calls'" >&2; exit 2 ;; esac
    if [ ! -f build-tsan/build.ninja ]; then
        log "configuring build-tsan (-Db_sanitize=thread)"
        meson setup build-tsan -Dwerror=true -Db_sanitize=thread -Db_lundef=false >/dev/null
    fi
    log "building build-tsan (what the threaded tests need)"
    ninja -C build-tsan tests/plugin/test-threads plugin/libhvd-esx.so tests/sim/hvd-sim \
        tests/vi/test-vi-sim-threads tests/vi/test-vi-sim-relogin
    log "threaded tests under ThreadSanitizer${calls:+ ($calls calls per thread)}"
    # G_SLICE=always-malloc: GLib's slice allocator hands blocks between threads
    # through its own (uninstrumented) magazines, which TSan reports as races
    # on every g_slice block; with malloc TSan sees the real hand-over
    G_SLICE=always-malloc TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$ROOT/tests/tsan.supp" \
        env ${calls:+HVD_THREADS_CALLS=$calls} meson test -C build-tsan --no-rebuild --print-errorlogs \
        --num-processes 1 threads vi-sim-threads vi-sim-relogin
}

# Only the fuzz targets: the rest of an instrumented build would need
# libFuzzer's runtime in every binary and library that links vi/ or vmx/.
build_fuzz_targets() {
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
}

# tools/dev.sh fuzz [--minutes N] [TARGET...]: each libFuzzer target (all of
# suite fuzz, or those named) for N minutes (default 10), one at a time at
# the lowest CPU priority, with the seeds and corpus of its short CI run
# (new inputs collect in build-fuzz's corpus directories). Prints time and
# executions per target; a finding stops with its input's path (crash-*,
# leak-*, timeout-* under the target's build directory).
fuzz() {
    local minutes=10
    local only=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
            -*) echo "fuzz: unknown option $1 (--minutes N)" >&2; exit 2 ;;
            *) only+=("$1"); shift ;;
        esac
    done
    # (libFuzzer reads -max_total_time=0 as "no limit")
    case "$minutes" in ''|*[!0-9]*|0*) echo "fuzz: --minutes takes a whole number of minutes from 1, not '$minutes'" >&2; exit 2 ;; esac
    deps test
    build_fuzz_targets
    # one line per target: NAME, then its command with the short run's
    # limit replaced by the long one (and a corpus directory where the
    # short run has none)
    local plan
    plan=$(meson introspect build-fuzz --tests | python3 -c '
import json, os, sys
secs, only = int(sys.argv[1]) * 60, set(sys.argv[2:])
for t in json.load(sys.stdin):
    if not any(s.endswith(":fuzz") for s in t["suite"]) or (only and t["name"] not in only):
        continue
    cmd = [a for a in t["cmd"] if not a.startswith(("-runs=", "-max_total_time="))]
    if not any(not a.startswith("-") for a in cmd[1:]):
        corpus = cmd[0] + "-corpus"
        os.makedirs(corpus, exist_ok=True)
        cmd.insert(1, corpus)
    cmd.insert(1, "-max_total_time=%d" % secs)
    print(t["name"] + "\t" + "\t".join(cmd))
' "$minutes" "${only[@]}")
    [ -n "$plan" ] || { echo "fuzz: no such fuzz target: ${only[*]}" >&2; exit 2; }
    local summary="" name line logf
    while IFS= read -r line; do
        name=${line%%$'\t'*}
        IFS=$'\t' read -r -a cmd <<<"${line#*$'\t'}"
        logf="build-fuzz/fuzz-$name.log"
        mkdir -p "$(dirname "${cmd[0]}")"
        log "$name: $minutes min (log: $logf)"
        if ! (cd "$(dirname "${cmd[0]}")" && nice -n 19 "${cmd[@]}") >"$logf" 2>&1; then
            tail -30 "$logf" >&2
            echo "fuzz: $name found something: see $logf" >&2
            exit 1
        fi
        summary+="$name: $(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$logf" | tail -1)"$'\n'
    done <<<"$plan"
    log "fuzzing done"
    printf '%s' "$summary"
}

# The end of tools/dev.sh test (issue 13): build the packages afresh and
# check them installed and purged. The package builds skip their own test
# runs (the same sources were just tested); install-check needs root or
# sudo and is skipped, saying so, without.
ci_install_check() {
    if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
        log "install-check skipped: installing packages needs root or password-less sudo"
        return
    fi
    PACKAGES_NOCHECK=1 packages
    install_check
}

packages() {
    deps
    local pkgs="debhelper lintian rpm rpmlint bash-completion man-db"
    # shellcheck disable=SC2086
    if ! dpkg-query -W $pkgs >/dev/null 2>&1; then
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    fi
    build build
    local out="$ROOT/build-packages"
    rm -rf "$out" && mkdir -p "$out"
    log "dpkg-buildpackage -us -uc -b"
    # PACKAGES_NOCHECK=1 (tools/dev.sh test, after the suite ran): no test run inside the builds
    DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} ${PACKAGES_NOCHECK:+nocheck}" \
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
    # Debian's brp-compress is a #!/bin/sh script using bash's `read -d`: under
    # dash it compresses nothing (man pages stay uncompressed); run it with bash.
    rpmbuild -bb --nodeps ${PACKAGES_NOCHECK:+--nocheck} --define "_topdir $out/rpm" --define "_sourcedir $ROOT/build/meson-dist" \
        --define "__brp_compress bash %{_rpmconfigdir}/brp-compress %{?_prefix}" \
        packaging/rpm/hvd-esx.spec >"$out/rpmbuild.log" 2>&1 || { tail -50 "$out/rpmbuild.log"; exit 1; }
    rpmlint_check "$out"
    # what the unstripped-binary-or-object filter relies on: no debug sections
    local x="$out/rpm/contents" f r
    rm -rf "$x" && mkdir -p "$x"
    for r in "$out"/rpm/RPMS/*/*.rpm; do (cd "$x" && rpm2cpio "$r" | cpio -id --quiet); done
    while IFS= read -r f; do
        if readelf -S "$f" 2>/dev/null | grep -q '\.debug_'; then
            echo "rpm: ${f#"$x"} keeps debug sections (brp-strip did not run?)" >&2
            exit 1
        fi
    done < <(find "$x" -type f \( -name '*.so*' -o -path '*/bin/*' \))
    ls "$out"/*.deb "$out"/rpm/RPMS/*/*.rpm
}

# rpmlint on the spec and the built RPMs: errors and warnings fail, but for
# those packaging/rpm/hvd-esx.rpmlintrc filters, each with its reason.
rpmlint_check() {
    local out=$1
    log "rpmlint"
    local r p
    for p in hvdctl hvd-conformance; do
        r=$(find "$out/rpm/RPMS" -name "$p-[0-9]*.rpm" | head -n1)
        rpm -qlp "$r" | grep -qx "/usr/share/man/man1/$p.1.gz" || { echo "rpm: $r lacks $p.1.gz" >&2; exit 1; }
    done
    rpmlint -c packaging/rpm/rpmlint.toml -r packaging/rpm/hvd-esx.rpmlintrc packaging/rpm/hvd-esx.spec \
        "$out"/rpm/RPMS/*/*.rpm \
        >"$out/rpmlint.log" 2>&1 || true
    cat "$out/rpmlint.log"
    if grep -qE '^[^ ]+: [EW]: ' "$out/rpmlint.log" || ! grep -q ' 0 errors, 0 warnings' "$out/rpmlint.log"; then
        echo "rpmlint reported errors or warnings (above): fix them, or filter one in" \
            "packaging/rpm/hvd-esx.rpmlintrc with the reason it is intended" >&2
        exit 1
    fi
}

# tools/dev.sh install-check: the packages of build-packages/ (built by
# packages() first when missing), installed, used from /usr/bin and purged
# (tests/packaging/install-check.sh; exit 77 is its "skipped").
install_check() {
    local out="$ROOT/build-packages"
    if ! compgen -G "$out/hvdctl_*.deb" >/dev/null; then packages; fi
    build build
    log "install-check: apt-get install, hvdctl/hvd-conformance/man/completion from /usr/bin, apt-get purge"
    local rc=0
    tests/packaging/install-check.sh "$out" build || rc=$?
    if [ "$rc" = 77 ]; then
        log "install-check skipped (see above)"
    elif [ "$rc" != 0 ]; then
        exit "$rc"
    fi
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
    fuzz) shift; fuzz "$@" ;;
    tsan) shift; tsan "$@" ;;
    packages) packages ;;
    install-check) install_check ;;
    *) echo "usage: $0 demo|test|deps|build|bench|fuzz|tsan|packages|install-check" >&2; exit 2 ;;
esac
