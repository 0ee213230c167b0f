#!/usr/bin/env bash
# test-completion.sh — drives hvdctl's bash completion function as bash does
# (COMP_WORDS, COMP_CWORD, then _hvdctl) and checks COMPREPLY.
#   test-completion.sh COMPLETION_FILE HVDCTL
# Commands and options come from the real hvdctl's help; domain names from a
# stub hvdctl (below) that has a DOMAIN command and a `list --all --name`, and
# (as the real one) pool-list and net-list tables without --name, so the test
# does not wait for a server. tests/packaging/install-check.sh checks the
# installed completion against the simulator.
set -uo pipefail
completion=$1
hvdctl=$2
# shellcheck source=/dev/null
source "$completion"
failures=0

# complete WORD... : the last word is the one being completed
complete_line()
{
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _hvdctl hvdctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}

# expect "WANTED (space-separated, exactly, sorted)" WORD...
expect()
{
    local want=$1
    shift
    complete_line "$@"
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' ')
    if [[ $got == "$want" ]]; then
        echo "ok: [${*}] -> $got"
    else
        echo "FAIL: [${*}] -> '$got', want '$want'"
        failures=$((failures + 1))
    fi
}

# expect_has "WORD..." : COMPREPLY holds each of these
expect_has()
{
    local want=$1
    shift
    complete_line "$@"
    local w missing="" got
    # not `printf | grep -q`: grep quits at the first match, and under
    # pipefail the printf it leaves writing to a closed pipe fails the check
    got=$(printf '%s\n' "${COMPREPLY[@]}")
    for w in $want; do
        grep -qxF -- "$w" <<<"$got" || missing+=" $w"
    done
    if [[ -z $missing ]]; then
        echo "ok: [${*}] has $want"
    else
        echo "FAIL: [${*}] lacks$missing (got: ${COMPREPLY[*]})"
        failures=$((failures + 1))
    fi
}

unset HVD_DEFAULT_URI
export HVD_DRIVER_FILES=/nonexistent/none.json

# The real hvdctl: commands, options.
expect_has "help uri version hostname nodeinfo drivers domxml-from-native domxml-to-native" "$hvdctl" ""
expect "domxml-from-native domxml-to-native" "$hvdctl" domxml-
expect_has "--json --readonly --connect --debug --help --version -c -d -h -V" "$hvdctl" -
expect "--json" "$hvdctl" --js
expect "--version" "$hvdctl" --vers
expect "nodeinfo" "$hvdctl" -c esx://h/ --json nod
# bash splits a URI at ':' into words: they are joined back
expect "nodeinfo" "$hvdctl" -c esx : //root@h : 443/ nod
expect "esx:// gsx:// vpx://" "$hvdctl" -c ""
expect "1 2 3 4" "$hvdctl" -d ""
expect "hostname" "$hvdctl" -d 2 hostn
expect "domxml-from-native domxml-to-native" "$hvdctl" help domxml
expect "" "$hvdctl" help nodeinfo ""
expect "vmware-vmx" "$hvdctl" domxml-from-native ""
expect "esx:// vpx://" "$hvdctl" migrate web1 ""
expect "--dry-run" "$hvdctl" migrate web1 vpx://vc/dc/h --dr
expect "--datacenter-path --vmx-location" "$hvdctl" domxml-from-native vmware-vmx --
expect "--hw-version" "$hvdctl" domxml-to-native vmware-vmx x.xml --h
# memtune's options, from its help (the two ESX lacks too: the driver says why)
expect "--hard-limit --min-guarantee --shares --soft-limit --swap-hard-limit" "$hvdctl" memtune dom --
# FILE: file names
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/vm1.vmx" "$dir/vm2.vmx" "$dir/other.xml"
expect "$dir/vm1.vmx $dir/vm2.vmx" "$hvdctl" domxml-from-native vmware-vmx "$dir/vm"
# an option's argument is not a positional: FILE after --vmx-location X
expect "$dir/vm1.vmx $dir/vm2.vmx" "$hvdctl" domxml-from-native --vmx-location "[ds] d" vmware-vmx "$dir/vm"
# after the last positional, nothing
expect "" "$hvdctl" domxml-to-native vmware-vmx x.xml ""

# Domain names, from the connection in HVD_DEFAULT_URI or -c.
stub="$dir/hvdctl-stub"
cat >"$stub" <<'STUB'
#!/bin/sh
# A stand-in hvdctl with a command taking a DOMAIN; records list calls.
case "$*" in
    --help) printf 'Usage: hvdctl [-c URI] COMMAND\n\nOptions:\n      --json  json\n\nCommands:\n  start                  start a domain\n\nCredentials: ...\n' ;;
    "help start") printf 'hvdctl start DOMAIN [--force-boot]\n\n  start a domain\n' ;;
    "help vol-list") printf 'hvdctl vol-list POOL\n\n  list volumes\n' ;;
    "help net-start") printf 'hvdctl net-start NETWORK\n\n  start a network\n' ;;
    "help list") printf 'hvdctl list [--all] [--inactive] [--name] [--uuid]\n\n  list domains\n' ;;
    "-c "*" list --all --name") echo "$2" >>"$0.calls"; printf 'vm one\nvm-two\nweb\n' ;;
    # as the real hvdctl: pool-list and net-list have no --name, only tables
    "help pool-list") printf 'hvdctl pool-list [--all] [--inactive] [--details]\n\n  list pools\n' ;;
    "help net-list") printf 'hvdctl net-list [--all] [--inactive]\n\n  list networks\n' ;;
    "-c "*" pool-list --all") printf ' Name         State     Autostart\n-------------------------------\n datastore1   running   yes\n nfs          running   yes\n\n' ;;
    "-c "*" net-list --all") printf ' Name         State    Autostart   Persistent\n--------------------------------------------\n VM Network   active   yes         yes\n lab          active   yes         yes\n\n' ;;
    *) exit 1 ;;
esac
STUB
chmod +x "$stub"
expect "start" "$stub" st
expect "" "$stub" start ""
[[ -e $stub.calls ]] && { echo "FAIL: listed domains without a URI"; failures=$((failures + 1)); }
export HVD_DEFAULT_URI=esx://default.example/
expect "vm one vm-two" "$stub" start vm
expect "web" "$stub" start w
expect "--force-boot" "$stub" start --
expect "datastore1" "$stub" vol-list da
expect "VM Network" "$stub" net-start V
expect "datastore1 nfs" "$stub" vol-list ""
expect "VM Network lab" "$stub" net-start ""
expect "vm one vm-two" "$stub" -c esx://other.example/ start vm
calls=$(paste -sd ' ' "$stub.calls")
if [[ $calls == "esx://default.example/ esx://default.example/ esx://other.example/" ]]; then
    echo "ok: listed with HVD_DEFAULT_URI, then -c: $calls"
else
    echo "FAIL: list calls were: $calls"
    failures=$((failures + 1))
fi

if ((failures)); then
    echo "$failures check(s) failed"
    exit 1
fi
