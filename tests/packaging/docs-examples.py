#!/usr/bin/env python3
"""Runs the command examples of the documentation against the simulator.

Usage: docs-examples.py [--list] [--verbose] --build BUILDDIR [--tree SRCDIR] [FILE.md...]

A fenced block whose info string is `console run` is a runnable example
(docs/testing.md, "Documentation examples"):

    ```console run
    $ hvdctl -c 'esx://root@esx1.example.com/' list --all
     Id   Name          State
    ...
    ```

- `$ ` starts a command (a line ending in `\\` continues it; a here-document
  `<<EOF` runs to its `EOF` line); the lines up to the next `$ ` are its
  output as shown, stdout and stderr together as in a terminal.
- Output, when shown, must match: whitespace runs count as one space, a line
  `...` stands for any number of lines, `...` inside a line for any text.
  No output shown: only the exit status is checked.
- The exit status must be 0, or N when the command ends in `# exit N`.
- `<!-- run: COMMAND -->` on a line of its own runs COMMAND unseen (setup
  a reader does not need, e.g. a stand-in ISO file). `$DOCS_AUTH_FILE` is
  an auth file (mode 600) with the simulators' credentials for any esx://
  and vpx:// host: `<!-- run: export HVD_AUTH_FILE=$DOCS_AUTH_FILE -->` for
  a page that does not show its own.
- A fenced block that is not to be run but has `$ ` or `hvdctl` lines is
  marked `console norun` (or `sh norun`); an unmarked one is an error, so
  every example is either run or declared illustrative.

Placeholders: the host `esx1.example.com` is an ESX simulator and
`vcenter.example.com` a vCenter simulator (model vc: datacenter `dc1` is its
DC0, cluster `cluster1` DC0_C0, and in a vpx:// path `esx1.example.com` its
host DC0_C0_H0), both with user `root` and password `s3cret`. In every
esx://, gsx://, vpx:// URI of a command the host becomes the simulator's
address and `ca_file=` its CA (added unless the URI says `no_verify=1`, and
replacing the value of the example's own `ca_file=`; not in a block marked
`console run untrusted`, which shows what happens without the CA);
elsewhere in a command (an auth.conf group `[auth-esx-esx1.example.com]`)
the placeholder becomes the simulator's host; in the output the simulator's
address reads as the placeholder again.
Each file gets fresh simulators, an empty HOME and working folder, hvdctl on
PATH and HVD_DRIVER_FILES set; `export` and `cd` carry over to the next
command of the file.
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

PASSWORD = 's3cret'
USER = 'root'
ESX_HOST = 'esx1.example.com'
VC_HOST = 'vcenter.example.com'
VPX_PATH = {'dc1': 'DC0', 'cluster1': 'DC0_C0', ESX_HOST: 'DC0_C0_H0'}
MAX_OUTPUT = 1 << 20
FENCE = re.compile(r'^(\s*)(```+|~~~+)\s*(\S*)\s*(.*)$')
HIDDEN = re.compile(r'^<!--\s*run:\s*(.*?)\s*-->\s*$')
URI = re.compile(r'\b(esx|gsx|vpx)://[^\s\'"]*')
EXIT = re.compile(r'\s#\s*exit\s+(\d+)\s*$')
HEREDOC = re.compile(r'<<-?\s*([\'"]?)([A-Za-z_][A-Za-z0-9_]*)\1')


class Example:
    def __init__(self, path, line, command, expected, status, hidden=False, untrusted=False):
        self.path, self.line, self.command = path, line, command
        self.expected, self.status, self.hidden = expected, status, hidden
        self.untrusted = untrusted


def parse(path):
    """(examples, errors) of one Markdown file."""
    examples, errors = [], []
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        m = HIDDEN.match(lines[i])
        if m:
            examples.append(Example(path, i + 1, m.group(1), None, 0, hidden=True))
            i += 1
            continue
        m = FENCE.match(lines[i])
        if not m:
            if re.match(r'^(    |\t)\$ ', lines[i]):
                errors.append(f'{path}:{i + 1}: a command in an indented block: make it a fenced ```console run '
                              'block (or ```console norun; docs/testing.md)')
            i += 1
            continue
        indent, fence, lang, attrs = m.groups()
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        marks = attrs.split()
        if 'run' in marks:
            if lang != 'console':
                errors.append(f'{path}:{start + 1}: a runnable block is ```console run, not ```{lang} run')
                continue
            block = parse_block(path, start + 2, body, errors)
            for ex in block:
                ex.untrusted = 'untrusted' in marks
            examples += block
        elif 'norun' not in marks and lang not in ('xml', 'json', 'c', 'python', 'ini', 'text') and any(
                ln.startswith('$ ') or re.match(r'^(sudo )?hvdctl\b', ln) for ln in body):
            errors.append(f'{path}:{start + 1}: a block with commands is neither `run` nor `norun` '
                          f'(```console run to have it tested, ```{lang or "console"} norun if it is only '
                          'illustrative; docs/testing.md)')
    return examples, errors


def parse_block(path, first, body, errors):
    out = []
    i = 0
    while i < len(body):
        ln = body[i]
        if not ln.startswith('$ '):
            if ln.strip():
                errors.append(f'{path}:{first + i}: output before any command in a runnable block')
            i += 1
            continue
        at = first + i
        cmd = ln[2:]
        i += 1
        while cmd.endswith('\\') and i < len(body):
            cmd += '\n' + body[i]
            i += 1
        hd = HEREDOC.search(cmd)
        if hd:
            while i < len(body):
                cmd += '\n' + body[i]
                i += 1
                if body[i - 1].strip() == hd.group(2):
                    break
            else:
                errors.append(f'{path}:{at}: here-document {hd.group(2)} not closed in its block')
        status = 0
        m = EXIT.search(cmd.split('\n')[0] if hd else cmd)
        if m:
            status = int(m.group(1))
        expected = []
        while i < len(body) and not body[i].startswith('$ '):
            expected.append(body[i])
            i += 1
        while expected and not expected[-1].strip():
            expected.pop()
        out.append(Example(path, at, cmd, expected, status))
    return out


class Sim:
    def __init__(self, binary, model, workdir):
        self.dir = tempfile.mkdtemp(prefix=f'sim-{model}-', dir=workdir)
        self.log = open(os.path.join(self.dir, 'log'), 'w')
        self.proc = subprocess.Popen(
            [binary, '--model', model, '--tls', '--cert-dir', self.dir, '--username', USER, '--password', PASSWORD],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()  # the simulator's one announcement line, or EOF if it died
        if not line:
            self.proc.wait()
            raise RuntimeError(f'hvd-sim --model {model} exited ({self.proc.returncode}) before it was ready: '
                               + open(self.log.name).read()[-2000:])
        info = json.loads(line)
        self.addr = f'{info["host"]}:{info["port"]}'
        self.ca_file = info['ca_file']

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Runner:
    def __init__(self, build, workdir):
        self.build, self.workdir = build, workdir
        self.sims = {}

    def sim(self, model):
        if model not in self.sims:
            self.sims[model] = Sim(os.path.join(self.build, 'tests/sim/hvd-sim'), model, self.workdir)
        return self.sims[model]

    def rewrite_uri(self, m, untrusted=False):
        parts = urllib.parse.urlsplit(m.group(0))
        host = parts.hostname or ''
        if host not in (ESX_HOST, VC_HOST):
            return m.group(0)
        sim = self.sim('esx' if host == ESX_HOST else 'vc')
        netloc = (parts.netloc.rsplit('@', 1)[0] + '@' if '@' in parts.netloc else '') + sim.addr
        path = parts.path
        if m.group(1) == 'vpx':
            path = '/'.join(VPX_PATH.get(seg, seg) for seg in path.split('/'))
        query = urllib.parse.parse_qs(parts.query)
        q = parts.query
        if 'ca_file' in query:  # the doc's CA file is the simulator's
            q = re.sub(r'(^|&)ca_file=[^&]*', lambda m: m.group(1) + 'ca_file=' + sim.ca_file, q)
        elif query.get('no_verify', ['0'])[0] != '1' and not untrusted:
            q = (q + '&' if q else '') + 'ca_file=' + sim.ca_file
        return urllib.parse.urlunsplit((parts.scheme, netloc, path or '/', q, parts.fragment))

    def rewrite(self, command, untrusted=False):
        """The command with its URIs pointed at the simulators and the
        placeholder host names elsewhere (auth.conf groups) at their hosts."""
        command = URI.sub(lambda m: self.rewrite_uri(m, untrusted), command)
        for name, model in ((ESX_HOST, 'esx'), (VC_HOST, 'vc')):
            if name in command:
                command = command.replace(name, self.sim(model).addr.rsplit(':', 1)[0])
        return command

    def unrewrite(self, text):
        for model, sim in self.sims.items():
            text = text.replace('?ca_file=' + sim.ca_file, '').replace('&ca_file=' + sim.ca_file, '')
            text = text.replace(sim.addr, ESX_HOST if model == 'esx' else VC_HOST)
        return text

    def stop(self):
        for sim in self.sims.values():
            sim.stop()
        self.sims = {}


def matches(expected, actual):
    """Does the shown output match the actual one (see the module's doc)?"""
    def norm(s):
        return ' '.join(s.split())

    def line_ok(e, a):
        if '...' not in e:
            return e == a
        return re.fullmatch('.*'.join(re.escape(p) for p in e.split('...')), a) is not None

    exp = [norm(e) for e in expected]
    act = [norm(a) for a in actual]
    while act and not act[-1]:
        act.pop()
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(exp):
            r = j == len(act)
        elif exp[i] == '...':
            r = any(go(i + 1, k) for k in range(j, len(act) + 1))
        else:
            r = j < len(act) and line_ok(exp[i], act[j]) and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return go(0, 0)


def run_file(path, examples, args):
    """Failure messages of one file's examples."""
    failures = []
    work = tempfile.mkdtemp(prefix='docs-examples-')
    runner = Runner(args.build, work)
    home, cwd = os.path.join(work, 'home'), os.path.join(work, 'cwd')
    os.makedirs(home)
    os.makedirs(cwd)
    state = os.path.join(work, 'state.sh')
    env = {
        'PATH': os.path.join(args.build, 'tools') + ':/usr/local/bin:/usr/bin:/bin',
        'HOME': home,
        'LANG': 'C.UTF-8',
        'TERM': 'dumb',
        'HVD_DRIVER_FILES': os.path.join(args.build, 'plugin', 'esx.json'),
        'TMPDIR': work,
        'DOCS_AUTH_FILE': os.path.join(work, 'auth.conf'),
    }
    # what the test run sets for the sanitizers and malloc reaches hvdctl too
    env.update({k: v for k, v in os.environ.items()
                if k in ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS', 'MALLOC_PERTURB_')})
    with open(os.open(env['DOCS_AUTH_FILE'], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), 'w') as f:
        f.write(f'[credentials-sim]\nusername={USER}\npassword={PASSWORD}\n\n'
                '[auth-esx-default]\ncredentials=sim\n\n[auth-vpx-default]\ncredentials=sim\n')
    with open(state, 'w') as f:
        f.write(f'cd {shlex.quote(cwd)}\n')
    try:
        for ex in examples:
            try:
                cmd = runner.rewrite(ex.command, ex.untrusted)
            except RuntimeError as e:
                failures.append(f'{ex.path}:{ex.line}: cannot start the simulator: {e}')
                break
            script = (f'source {shlex.quote(state)}\n{cmd}\n__rc=$?\n'
                      f'{{ export -p; printf "cd %q\\n" "$PWD"; }} >{shlex.quote(state)}\nexit $__rc\n')
            try:
                p = subprocess.run(['bash', '-c', script], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
                out = p.stdout[:MAX_OUTPUT].decode('utf-8', 'replace')
                rc = p.returncode
            except subprocess.TimeoutExpired:
                out, rc = '(no answer within 120 s)', -1
            out = runner.unrewrite(out)
            if not ex.hidden and args.verbose:
                print(f'{ex.path}:{ex.line}: $ {ex.command}\n{out}', end='' if out.endswith('\n') else '\n')
            where = f'{ex.path}:{ex.line}: $ {ex.command.splitlines()[0]}'
            if rc != ex.status:
                failures.append(f'{where}\n  exit status {rc}, the example expects {ex.status}; it printed:\n'
                                + indent(out))
            elif ex.expected and not matches(ex.expected, out.split('\n')):
                failures.append(f'{where}\n  its output no longer matches the one shown.\n  shown:\n'
                                + indent('\n'.join(ex.expected)) + '\n  printed:\n' + indent(out))
    finally:
        runner.stop()
        shutil.rmtree(work, ignore_errors=True)
    return failures


def indent(text):
    return '\n'.join('    | ' + ln for ln in text.rstrip('\n').split('\n'))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', required=True, help='the build tree (tools/hvdctl, plugin/esx.json, tests/sim)')
    ap.add_argument('--list', action='store_true', help='list the examples, run nothing')
    ap.add_argument('--verbose', action='store_true', help='print every command and its output')
    ap.add_argument('--tree', help='a source tree: run its README.md and docs/*.md (besides FILEs)')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    args.build = os.path.realpath(args.build)
    if args.tree:
        args.files += [os.path.join(args.tree, 'README.md')] + sorted(glob.glob(os.path.join(args.tree, 'docs', '*.md')))
    if not args.files:
        ap.error('no files: give FILE.md or --tree')
    failures, total = [], 0
    for path in args.files:
        examples, errors = parse(path)
        failures += errors
        shown = [e for e in examples if not e.hidden]
        total += len(shown)
        if args.list:
            for e in shown:
                print(f'{e.path}:{e.line}: $ {e.command}')
            continue
        if not examples:
            continue
        got = run_file(path, examples, args)
        print(f'{path}: {len(shown)} examples, {len(got)} failed')
        failures += got
    if failures:
        print(f'\n{len(failures)} problems:', file=sys.stderr)
        for f in failures:
            print(f, file=sys.stderr)
        sys.exit(1)
    print(f'{total} examples in {len(args.files)} files: all passed')


if __name__ == '__main__':
    main()
