#!/usr/bin/env python3
"""valgrind-check.py VALGRIND PROGRAM [ARGS...]

Runs PROGRAM under valgrind (--leak-check=full --show-leak-kinds=all) and
fails when, at exit, a block that libcurl allocated is still reachable (its
global state outlived the last vi_global_shutdown()), when any block is
definitely or indirectly lost, or when valgrind reports an error."""
import os
import re
import subprocess
import sys
import tempfile

RECORD = re.compile(r'^==\d+== [\d,]+ (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in [\d,]+ '
                    r'blocks are (still reachable|definitely lost|indirectly lost|possibly lost) '
                    r'in loss record')
FRAME = re.compile(r'^==\d+==    (?:at|by) 0x[0-9A-F]+: (.*)$')


def records(log):
    """(kind, header line, [frames]) for each loss record."""
    current = None
    for line in log.splitlines():
        m = RECORD.match(line)
        if m:
            current = (m.group(1), line, [])
            yield current
            continue
        f = FRAME.match(line)
        if current and f:
            current[2].append(f.group(1))
        else:
            current = None


def main():
    valgrind, program, *args = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        log_path = os.path.join(tmp, 'valgrind.log')
        run = subprocess.run([valgrind, '--leak-check=full', '--show-leak-kinds=all',
                              '--error-exitcode=99', '--log-file=' + log_path, program, *args])
        with open(log_path, encoding='utf-8', errors='replace') as f:
            log = f.read()
    bad = []
    for kind, header, frames in list(records(log)):
        from_curl = any('libcurl' in fr or re.search(r'\bcurl_|\bCurl_', fr) for fr in frames)
        if (kind == 'still reachable' and from_curl) or kind in ('definitely lost', 'indirectly lost'):
            bad.append('\n'.join([header] + ['    ' + fr for fr in frames]))
    summary = [l for l in log.splitlines() if re.search(r'(still reachable|lost|ERROR SUMMARY):', l)]
    print('\n'.join(summary))
    if run.returncode != 0:
        print(f'{program} exited with {run.returncode} under valgrind', file=sys.stderr)
        print(log, file=sys.stderr)
        return 1
    if bad:
        print('blocks left behind (libcurl state after the last shutdown, or leaks):', file=sys.stderr)
        print('\n\n'.join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
