# shellcheck shell=bash disable=SC2154 # work, home: set by the caller (below)
# tests/packaging/simlib.sh — sourced by bash scripts that run the INSTALLED
# hvdctl and hvd-conformance against the vSphere simulator:
# tests/packaging/install-check.sh (simulator from a build tree) and the
# autopkgtest packaging/debian/tests/simulator (simulator built here with
# go build). Not a program of its own.
#
# The caller sets, before calling the functions that use them:
#   T_NAME   prefix of failure messages (e.g. install-check)
#   work     a scratch folder (the last command's output goes to $work/out)
#   home     the HOME the installed programs see (bare, run)
#
#   sim_build SRCDIR OUT CACHE   go build of SRCDIR/tests/sim into OUT, offline,
#                                GOPATH mode on Debian's govmomi, as
#                                tests/sim/meson.build does; CACHE is GOCACHE
#   sim_start SIM DIR ARGS...    start SIM (DIR for its certificates and log)
#                                and wait for its JSON line; sets SIM_JSON,
#                                SIM_PID
#   sim_stop                     stop it (closes its stdin) and wait for it
#   sim_get KEY                  a key of the JSON line (host, port, ca_file...)
#   sim_vm_power VM              the VM's power state on the control endpoint
#   sim_write_auth FILE USER PASSWORD   an auth.conf for the simulator's host,
#                                mode 600 from its creation
#   say, fail, bare, run, expect the installed programs in a bare environment

# How long the simulator may take to announce itself (a cold start under
# load on a shared machine; far more than it needs when idle).
SIM_READY_SECONDS=${SIM_READY_SECONDS:-120}
SIM_PID=""
SIM_JSON=""

say() { printf '== %s\n' "$*"; }
fail() {
    printf '%s: FAIL: %s\n' "${T_NAME:-test}" "$*" >&2
    exit 1
}

sim_build() {
    local src=$1 out=$2 cache=$3
    local gopath=${HVD_GOCODE:-/usr/share/gocode}
    [ -d "$gopath/src/github.com/vmware/govmomi/simulator" ] ||
        fail "no govmomi simulator package under $gopath/src: install golang-github-vmware-govmomi-dev" \
            "(or set HVD_GOCODE to a GOPATH that has it)"
    command -v go >/dev/null || fail "no go command: install golang-go"
    # GOPATH mode, no network (GOPROXY=off, GOFLAGS=-mod is moot without
    # modules), no cgo: the same command as tests/sim/meson.build's.
    env -C "$src/tests/sim" GOPATH="$gopath" GO111MODULE=off GOCACHE="$cache" GOENV=off GOFLAGS= \
        GOPROXY=off CGO_ENABLED=0 go build -buildvcs=false -o "$out" . ||
        fail "go build of $src/tests/sim failed (output above)"
}

# The simulator's stdin and stdout are fifos held by this shell: closing
# fd 9 (its stdin) stops it; its JSON line is read from fd 8 with a
# deadline, and an early exit is an immediate end of file, not a timeout.
sim_start() {
    local sim=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    rm -f "$dir/in" "$dir/out"
    mkfifo "$dir/in" "$dir/out"
    "$sim" "$@" --cert-dir "$dir" <"$dir/in" >"$dir/out" 2>"$dir/log" &
    SIM_PID=$!
    exec 9>"$dir/in" 8<"$dir/out"
    local rc=0
    IFS= read -r -t "$SIM_READY_SECONDS" SIM_JSON <&8 || rc=$?
    if [ "$rc" -gt 128 ]; then
        # stuck: it may not heed its stdin either
        kill "$SIM_PID" 2>/dev/null || true
        cat "$dir/log" >&2
        fail "the simulator $sim did not announce itself within $SIM_READY_SECONDS s (its log is above)"
    elif [ -z "$SIM_JSON" ]; then
        local st=0
        wait "$SIM_PID" || st=$?
        SIM_PID=""
        cat "$dir/log" >&2
        fail "the simulator $sim exited with status $st before it was ready (its log is above)"
    fi
}

sim_stop() {
    [ -n "$SIM_PID" ] || return 0
    exec 9>&- || true
    wait "$SIM_PID" 2>/dev/null || true
    exec 8<&- || true
    SIM_PID=""
}

sim_get() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$SIM_JSON" "$1"; }

sim_vm_power() {
    python3 - "$(sim_get control_url)/vm?vm=$1" "$(sim_get ca_file)" <<'PY'
import json, ssl, sys, urllib.request
ctx = ssl.create_default_context(cafile=sys.argv[2])
with urllib.request.urlopen(sys.argv[1], context=ctx, timeout=30) as r:
    print(json.load(r)["power"])
PY
}

# hvdctl, like ssh, refuses an auth file others may read: created 600.
sim_write_auth() {
    local file=$1
    mkdir -p "$(dirname "$file")"
    (umask 077 && : >"$file")
    cat >"$file" <<AUTH
[credentials-sim]
username=$2
password=$3

[auth-esx-$(sim_get host)]
credentials=sim
AUTH
    chmod 600 "$file"
}

# Bare environment: nothing from the caller's PATH, LD_LIBRARY_PATH or
# HVD_DRIVER_FILES can point at a build tree. The simulator's fifos are
# closed for the child, so no child holds the simulator's stdin open.
# (hvd-conformance's password goes through CONF_PW to its environment,
# never a command line that run() prints.)
bare() {
    env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 TERM=dumb \
        ${CONF_PW:+HVD_CONFORMANCE_PASSWORD="$CONF_PW"} "$@" 8<&- 9>&-
}
run() {
    printf '$ %s\n' "$*"
    local rc=0
    bare "$@" </dev/null >"$work/out" 2>&1 || rc=$?
    cat "$work/out"
    [ "$rc" = 0 ] || fail "'$*' exited with status $rc"
}
# run_fails MESSAGE CMD...: CMD must fail; its output is in $work/out
run_fails() {
    local why=$1
    shift
    printf '$ %s   (must fail: %s)\n' "$*" "$why"
    if bare "$@" </dev/null >"$work/out" 2>&1; then
        cat "$work/out"
        fail "'$*' succeeded, but $why"
    fi
    cat "$work/out"
}
expect() {
    grep -qF -- "$1" "$work/out" || fail "the output of the last command lacks '$1'"
}
