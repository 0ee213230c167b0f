#!/usr/bin/env bash
# tools/check-format.sh — the one code style of the tree (.clang-format).
#   tools/check-format.sh          fail, listing the files clang-format would change
#   tools/check-format.sh --fix    rewrite them in place
# abi/hvd.h and abi/frozen/ are left as written: the contract is laid out by
# hand for reading, and a frozen header never changes.
set -euo pipefail
cd "$(dirname "$0")/.."
# Formatters of other major versions lay some lines out differently: the
# style is pinned to Debian 12's clang-format 14, which CI runs.
major=$(clang-format --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "$major" != 14 ]; then
    echo "check-format: clang-format $major is not 14 (Debian 12's), which the style is pinned to: not checked" >&2
    exit 0
fi
files=$(git ls-files '*.c' '*.h' | grep -v -e '^abi/hvd\.h$' -e '^abi/frozen/')
if [ "${1:-}" = --fix ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
bad=""
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        bad="$bad $f"
    fi
done
if [ -n "$bad" ]; then
    echo "these files do not follow .clang-format (run tools/check-format.sh --fix):" >&2
    for f in $bad; do echo "  $f" >&2; done
    exit 1
fi
