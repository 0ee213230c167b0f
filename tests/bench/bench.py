#!/usr/bin/env python3
"""tests/bench/bench.py: hvd-esx (hvdctl, whole process) against govmomi
(hvd-bench-govmomi, whole process) on one hvd-sim, per workload and size.

For each size it starts the simulator (HTTPS, verified with its CA), then for
each workload runs the two contenders in turn (A B A B ..., after one warm-up
each), and per run reads: the requests the simulator counted (its
/hvd-sim/stats, reset before the run), the wall time, the child's user+system
CPU and its peak RSS (wait4's rusage, read by hvd-bench-run). It prints one table per workload
(medians, min-max spread) and the ratios hvd-esx/govmomi; --json prints the
same figures as one JSON document.

Run through ./tools/dev.sh bench, or by hand from a built tree:
  tests/bench/bench.py --build build [--sizes 100,1000] [--models esx,vc]
                       [--reps 5] [--reps-large 3] [--json]
"""
import argparse
import json
import os
import ssl
import statistics
import subprocess
import sys
import shutil
import tempfile
import time
import urllib.request

# Operations per thread in the threads workloads.
# Operations per thread: 200 x 8 = 1,600 calls, about 0.4 s, so that a
# scheduling hiccup of the shared machine does not decide the ratio
THREAD_OPS = 200
# Files put in the datastore for vol-list.
VOL_FILES = 1000
CORPUS = "VMX corpus -> domain XML"

# (name, {contender: argument lists (one process each)}). The contender's
# kind picks the program: "hvd-esx" is hvdctl, "hvd-esx C API..." the
# driver through the loader in one process (hvd-bench-api), "govmomi" the
# govmomi program. {vm} is a VM's name, {key} its key (managed object id),
# {ops} THREAD_OPS. The first contender is the one the ratios are of; a
# ratio row per other hvd-esx contender, each against govmomi.
WORKLOADS = [
    ("connect + version", {"hvd-esx": [["version"]], "hvd-esx C API": [["version"]],
                           "govmomi": [["version"]], "libvirt": [["version"]]}),
    ("list --all", {"hvd-esx": [["list", "--all"]], "hvd-esx C API": [["list"]], "govmomi": [["list"]],
                    "libvirt": [["list", "--all"]]}),
    # govmomi reading the 8 properties hvd-esx read per VM before
    # summary.config (not only name and state): how much of the difference
    # is the properties asked for
    ("list --all, govmomi reading 8 properties per VM", {"hvd-esx": [["list", "--all"]],
                                                         "govmomi": [["list-driver-props"]]}),
    ("dominfo", {"hvd-esx": [["dominfo", "{vm}"]], "hvd-esx C API": [["dominfo", "{vm}"]],
                 "govmomi": [["dominfo", "{vm}"]], "libvirt": [["dominfo", "{vm}"]]}),
    ("dumpxml", {"hvd-esx": [["dumpxml", "{vm}"]], "govmomi": [["dumpxml", "{vm}"]],
                 "libvirt": [["dumpxml", "{vm}"]]}),
    ("destroy + start", {"hvd-esx": [["destroy", "{vm}"], ["start", "{vm}"]],
                         "govmomi": [["destroy-start", "{vm}"]],
                         "libvirt": [["destroy", "{vm}"], ["start", "{vm}"]]}),
    ("pool-list", {"hvd-esx": [["pool-list"]], "govmomi": [["pool-list"]], "libvirt": [["pool-list"]]}),
    ("vol-list (%d files)" % VOL_FILES, {"hvd-esx": [["vol-list", "{ds}"]], "govmomi": [["vol-list", "{ds}"]],
                                         "libvirt": [["vol-list", "{ds}"]]}),
    # 8 threads reading one domain's info (by key: one request each) on one
    # connection, against 8 threads with a connection each, against 8
    # goroutines on one govmomi client; the figure is ops/s of the calls
    ("8 threads, info of one domain x%d each" % THREAD_OPS,
     {"hvd-esx C API, 1 connection": [["threads", "8", "{key}", "{ops}"]],
      "hvd-esx C API, 8 connections": [["conns", "8", "{key}", "{ops}"]],
      "govmomi": [["goroutines", "8", "{key}", "{ops}"]]}),
    # the VMX files of tests/data/vmx/corpus/vmx2xml that both convert, one
    # process each: hvd-esx offline, libvirt through its connection (it
    # needs one); at the smallest size only (the inventory does not matter)
    (CORPUS, {"hvd-esx offline": [["domxml-from-native", "vmware-vmx", "{file}"]],
              "libvirt": [["domxml-from-native", "vmware-vmx", "{file}"]]}),
]

PEERS = ("govmomi", "libvirt")


class Sim:
    """One hvd-sim process; stopped by closing its stdin."""

    def __init__(self, binary, model, vms, workdir):
        # vc: one datacenter, one standalone host DC0_H0 holding all the VMs,
        # so both contenders see the same VMs and datastores as on ESX
        extra = ["--clusters", "0", "--hosts", "1"] if model == "vc" else []
        self.proc = subprocess.Popen([binary, "--model", model, "--tls", "--vms", str(vms),
                                      "--cert-dir", workdir] + extra,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("hvd-sim did not start")
        self.info = json.loads(line)
        self.ssl = ssl.create_default_context(cafile=self.info["ca_file"])

    def control(self, method, path):
        req = urllib.request.Request(self.info["control_url"] + path, method=method,
                                     data=b"" if method == "POST" else None)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=self.ssl))
        with opener.open(req, timeout=60) as r:
            return json.load(r)

    def start_proxy(self, binary):
        """The rewriting proxy every contender goes through (xsiproxy/main.go)."""
        up = self.info["url"].rsplit("/sdk", 1)[0]
        self.proxy = subprocess.Popen([binary, up, self.info["ca_file"]], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proxy.stdout.readline()
        if not line:
            raise RuntimeError("hvd-bench-xsiproxy did not start")
        return json.loads(line)["url"]

    def stop(self):
        if getattr(self, "proxy", None):
            self.proxy.stdin.close()
            self.proxy.wait()
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_one(runner, sim, argvs, env):
    """Runs the processes of one workload in sequence, each through
    hvd-bench-run (see bench-run.c); returns one sample."""
    sim.control("POST", "/stats/reset")
    wall = cpu = 0.0
    rss = 0
    ops = None
    for argv in argvs:
        p = subprocess.run([runner] + argv, stdin=subprocess.DEVNULL, capture_output=True, env=env)
        if p.returncode != 0:
            err = [x for x in p.stderr.decode(errors="replace").splitlines() if "error" in x.lower()]
            why = "crashed (signal %d)" % (p.returncode - 128) if p.returncode > 128 else "exit %d" % p.returncode
            raise RuntimeError("%s %s: %s" % (os.path.basename(argv[0]), why, " / ".join(err[-2:]) or "no message"))
        ru = json.loads(p.stdout)
        wall += ru["wall_s"]
        cpu += ru["cpu_s"]
        rss = max(rss, ru["rss_kib"])
        for line in p.stderr.decode(errors="replace").splitlines():
            if line.startswith("ops_per_s "):
                ops = float(line.split()[1])
    requests = sim.control("GET", "/stats")["total_calls"]
    out = {"requests": requests, "wall_s": wall, "cpu_s": cpu, "rss_kib": rss}
    if ops is not None:
        out["ops_per_s"] = ops
    return out


def summary(samples):
    out = {"runs": len(samples), "requests": statistics.median(s["requests"] for s in samples)}
    for k in ("wall_s", "cpu_s", "rss_kib", "ops_per_s"):
        if k not in samples[0]:
            continue
        vals = [s[k] for s in samples]
        out[k] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}
    return out


def put_files(sim, ds, n):
    """N small ISO files in the datastore's directory (the simulator's
    datastores are local directories), for vol-list."""
    d = os.path.join(sim.control("GET", "/datastore?name=" + ds)["dir"], "bench-files")
    os.makedirs(d, exist_ok=True)
    for k in range(n):
        with open(os.path.join(d, "file%05d.iso" % k), "w") as f:
            f.write("x")


def corpus_files(hvdctl, virsh, env):
    """The corpus VMX files both hvd-esx (offline) and libvirt convert
    (libvirt 9.0 crashes on some and refuses others)."""
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../data/vmx/corpus/vmx2xml")
    out = []
    for f in sorted(os.listdir(d)):
        if not f.endswith(".vmx"):
            continue
        path = os.path.join(d, f)
        ok = all(subprocess.run(cmd + ["domxml-from-native", "vmware-vmx", path], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
                 for cmd in ([hvdctl], virsh))
        if ok:
            out.append(path)
    return out


def bench_size(args, model, vms, first_size):
    workdir = tempfile.mkdtemp(prefix="hvd-bench-")
    t0 = time.monotonic()
    sim = Sim(os.path.join(args.build, "tests/sim/hvd-sim"), model, vms, workdir)
    print("# %s, %d VMs: simulator ready in %.1f s" % (model, vms, time.monotonic() - t0), file=sys.stderr)
    try:
        i = sim.info
        auth = os.path.join(workdir, "auth.conf")
        fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            # libvirt looks the password up as 'esx' for vpx:// too
            f.write("[credentials-sim]\nusername=%s\npassword=%s\n\n[auth-esx-%s]\ncredentials=sim\n\n"
                    "[auth-vpx-%s]\ncredentials=sim\n" % (i["username"], i["password"], i["host"], i["host"]))
        env = dict(os.environ, HVD_DRIVER_FILES=os.path.join(args.build, "plugin/esx.json"),
                   HVD_AUTH_FILE=auth, LIBVIRT_AUTH_FILE=auth)
        # every contender talks to the rewriting proxy, plain HTTP
        hp = sim.start_proxy(os.path.join(args.build, "tests/bench/hvd-bench-xsiproxy"))[len("http://"):]
        path = "" if model == "esx" else "DC0/DC0_H0"
        scheme = "esx" if model == "esx" else "vpx"
        uri = "%s://%s/%s?transport=http" % (scheme, hp, path)
        vuri = "%s://%s@%s/%s?transport=http&no_verify=1" % (scheme, i["username"], hp, path)
        url = "http://%s:%s@%s/sdk" % (i["username"], i["password"], hp)
        hvdctl = os.path.join(args.build, "tools/hvdctl")
        api = os.path.join(args.build, "tests/bench/hvd-bench-api")
        peer = os.path.join(args.build, "tests/bench/hvd-bench-govmomi")
        runner = os.path.join(args.build, "tests/bench/hvd-bench-run")
        reps = args.reps if vms < 10000 else args.reps_large
        vm = "ha-host_VM0" if model == "esx" else "DC0_H0_VM0"
        ds = "LocalDS_0"
        # hvd-bench-api reads the credentials from the environment
        env = dict(env, HVD_BENCH_USER=i["username"], HVD_BENCH_PASSWORD=i["password"])
        p = subprocess.run([api, uri, "dominfo", vm], capture_output=True, env=env, check=True)
        key = p.stdout.split()[1].decode()
        prefix = {"hvd-esx": [hvdctl, "-c", uri], "api": [api, uri], "offline": [hvdctl],
                  "govmomi": [peer, url, "--insecure"], "libvirt": ["virsh", "-c", vuri]}
        virsh = shutil.which("virsh") is not None
        if not virsh:
            print("# virsh not found: no libvirt contender (Debian: libvirt-clients)", file=sys.stderr)
        put_files(sim, ds, VOL_FILES)
        results = []
        for name, contenders in WORKLOADS:
            if args.workloads and not any(w in name for w in args.workloads.split(",")):
                continue
            files = []
            if name == CORPUS:
                if vms != first_size or not virsh:
                    continue
                files = corpus_files(hvdctl, prefix["libvirt"], env)
                if not files:
                    print("# %s: no file both convert, skipped" % name, file=sys.stderr)
                    continue

            def fill(a):
                return [x.replace("{vm}", vm).replace("{key}", key).replace("{ops}", str(THREAD_OPS))
                        .replace("{ds}", ds) for x in a]

            def program(contender):
                if "C API" in contender:
                    return prefix["api"]
                return prefix["offline" if "offline" in contender else contender.split(",")[0]]

            def expand(k, v):
                if files:
                    return [program(k) + [x.replace("{file}", f) for x in v[0]] for f in files]
                return [program(k) + fill(a) for a in v]
            argvs = {k: expand(k, v) for k, v in contenders.items() if virsh or k != "libvirt"}
            samples = {k: [] for k in argvs}
            failed = {}
            for rep in range(reps + 1):  # run 0 is the warm-up
                for k, a in argvs.items():
                    if k in failed:
                        continue
                    try:
                        s = run_one(runner, sim, a, env)
                    except RuntimeError as e:
                        if k != "libvirt":
                            raise
                        # libvirt 9.0 crashes on some of vcsim's answers:
                        # the table says so rather than the run stopping
                        failed[k] = str(e).splitlines()[0]
                        continue
                    if rep:
                        samples[k].append(s)
            for k in failed:
                print("# %s, %s: %s" % (name, k, failed[k]), file=sys.stderr)
            label = name if not files else "%s (%d files)" % (name, len(files))
            results.append({"workload": label, "vms": vms, "model": model,
                            "contenders": [k for k in argvs if k not in failed], "failed": failed,
                            **{k: summary(v) for k, v in samples.items() if k not in failed}})
        return results
    finally:
        sim.stop()
        subprocess.run(["rm", "-rf", workdir], check=False)


def fmt_time(m):
    def f(x):
        return "%.0f" % (x * 1000) if x >= 0.1 else "%.1f" % (x * 1000)
    return "%s ms (%s-%s)" % (f(m["median"]), f(m["min"]), f(m["max"]))


def print_tables(results):
    by = {}
    for r in results:
        by.setdefault((r["model"], r["workload"]), []).append(r)
    for (model, name), rows in by.items():
        ops = any("ops_per_s" in r[k] for r in rows for k in r["contenders"])
        print("\n## %s (%s)\n" % (name, "ESX" if model == "esx" else "vCenter, vpx://"))
        print("| VMs | contender | requests | wall median (min-max) | CPU median | peak RSS median |%s"
              % (" ops/s median |" if ops else ""))
        print("|---:|---|---:|---|---:|---:|%s" % ("---:|" if ops else ""))
        for r in rows:
            for k, why in r.get("failed", {}).items():
                print("| %s | %s | failed: %s | | | |%s" % (format(r["vms"], ","), k, why.replace("|", "/"),
                                                            " |" if ops else ""))
            for k in r["contenders"]:
                s = r[k]
                print("| %s | %s | %g | %s | %.0f ms | %.1f MiB |%s" % (
                    format(r["vms"], ","), k, s["requests"], fmt_time(s["wall_s"]),
                    s["cpu_s"]["median"] * 1000, s["rss_kib"]["median"] / 1024,
                    " %.0f |" % s["ops_per_s"]["median"] if ops else ""))
            for k in r["contenders"]:
                if k in PEERS:
                    continue
                h = r[k]
                for peer in PEERS:
                    if peer not in r:
                        continue
                    g = r[peer]

                    def ratio(f):
                        return h[f]["median"] / g[f]["median"] if g[f]["median"] else float("nan")
                    print("| %s | **%s/%s** | %.2f | %.2f | %.2f | %.2f |%s" % (
                        format(r["vms"], ","), k, peer, h["requests"] / g["requests"] if g["requests"] else float("nan"),
                        ratio("wall_s"), ratio("cpu_s"), ratio("rss_kib"),
                        " %.2f |" % ratio("ops_per_s") if ops else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build", help="the meson build directory (default: build)")
    ap.add_argument("--sizes", default="100,1000,10000", help="VM counts, comma-separated")
    ap.add_argument("--reps", type=int, default=5, help="runs per contender below 10,000 VMs")
    ap.add_argument("--reps-large", type=int, default=3, help="runs per contender at 10,000 VMs and more")
    ap.add_argument("--models", default="esx,vc",
                    help="simulator models, comma-separated: esx (esx://), vc (a vCenter, vpx://DC0/DC0_H0)")
    ap.add_argument("--workloads", default="",
                    help="only the workloads whose name contains one of these words, comma-separated (default: all)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    args = ap.parse_args()
    results = []
    for model in args.models.split(","):
        if model not in ("esx", "vc"):
            ap.error("--models: %r is neither esx nor vc" % model)
        sizes = [int(x) for x in args.sizes.split(",")]
        for vms in sizes:
            results += bench_size(args, model, vms, min(sizes))
    if args.json:
        json.dump({"results": results, "cores": os.cpu_count()}, sys.stdout, indent=1)
        print()
    else:
        print_tables(results)


if __name__ == "__main__":
    main()
