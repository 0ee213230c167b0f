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
import tempfile
import time
import urllib.request

# (name, hvdctl argument lists (one process each), govmomi workload)
WORKLOADS = [
    ("connect + version", [["version"]], ["version"]),
    ("list --all", [["list", "--all"]], ["list"]),
    # govmomi reading the 8 properties hvd-esx reads per VM (not only name
    # and state): how much of the difference is the properties asked for
    ("list --all, govmomi reading hvd-esx's properties", [["list", "--all"]], ["list-driver-props"]),
    ("dominfo", [["dominfo", "{vm}"]], ["dominfo", "{vm}"]),
    ("dumpxml", [["dumpxml", "{vm}"]], ["dumpxml", "{vm}"]),
    ("destroy + start", [["destroy", "{vm}"], ["start", "{vm}"]], ["destroy-start", "{vm}"]),
    ("pool-list", [["pool-list"]], ["pool-list"]),
]


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

    def stop(self):
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
    for argv in argvs:
        p = subprocess.run([runner] + argv, stdin=subprocess.DEVNULL, capture_output=True, env=env)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), p.returncode,
                                                       p.stderr.decode(errors="replace").strip()))
        ru = json.loads(p.stdout)
        wall += ru["wall_s"]
        cpu += ru["cpu_s"]
        rss = max(rss, ru["rss_kib"])
    requests = sim.control("GET", "/stats")["total_calls"]
    return {"requests": requests, "wall_s": wall, "cpu_s": cpu, "rss_kib": rss}


def summary(samples):
    out = {"runs": len(samples), "requests": statistics.median(s["requests"] for s in samples)}
    for k in ("wall_s", "cpu_s", "rss_kib"):
        vals = [s[k] for s in samples]
        out[k] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}
    return out


def bench_size(args, model, vms):
    workdir = tempfile.mkdtemp(prefix="hvd-bench-")
    t0 = time.monotonic()
    sim = Sim(os.path.join(args.build, "tests/sim/hvd-sim"), model, vms, workdir)
    print("# %s, %d VMs: simulator ready in %.1f s" % (model, vms, time.monotonic() - t0), file=sys.stderr)
    try:
        i = sim.info
        auth = os.path.join(workdir, "auth.conf")
        fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("[credentials-sim]\nusername=%s\npassword=%s\n\n[auth-%s-%s]\ncredentials=sim\n"
                    % (i["username"], i["password"], "esx" if model == "esx" else "vpx", i["host"]))
        env = dict(os.environ, HVD_DRIVER_FILES=os.path.join(args.build, "plugin/esx.json"),
                   HVD_AUTH_FILE=auth)
        if model == "esx":
            uri = "esx://%s:%d/?ca_file=%s" % (i["host"], i["port"], i["ca_file"])
        else:
            uri = "vpx://%s:%d/DC0/DC0_H0?ca_file=%s" % (i["host"], i["port"], i["ca_file"])
        url = "https://%s:%s@%s:%d/sdk" % (i["username"], i["password"], i["host"], i["port"])
        hvdctl = os.path.join(args.build, "tools/hvdctl")
        peer = os.path.join(args.build, "tests/bench/hvd-bench-govmomi")
        runner = os.path.join(args.build, "tests/bench/hvd-bench-run")
        reps = args.reps if vms < 10000 else args.reps_large
        vm = "ha-host_VM0" if model == "esx" else "DC0_H0_VM0"
        results = []
        for name, hv, gv in WORKLOADS:
            if args.workloads and not any(w in name for w in args.workloads.split(",")):
                continue
            def fill(a):
                return [x.replace("{vm}", vm) for x in a]
            contenders = {"hvd-esx": [[hvdctl, "-c", uri] + fill(a) for a in hv],
                          "govmomi": [[peer, url, "--ca", i["ca_file"]] + fill(gv)]}
            samples = {k: [] for k in contenders}
            for rep in range(reps + 1):  # run 0 is the warm-up
                for k, argvs in contenders.items():
                    s = run_one(runner, sim, argvs, env)
                    if rep:
                        samples[k].append(s)
            results.append({"workload": name, "vms": vms, "model": model,
                            **{k: summary(v) for k, v in samples.items()}})
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
        print("\n## %s (%s)\n" % (name, "ESX" if model == "esx" else "vCenter, vpx://"))
        print("| VMs | contender | requests | wall median (min-max) | CPU median | peak RSS median |")
        print("|---:|---|---:|---|---:|---:|")
        for r in rows:
            for k in ("hvd-esx", "govmomi"):
                s = r[k]
                print("| %s | %s | %g | %s | %.0f ms | %.1f MiB |" % (
                    format(r["vms"], ","), k, s["requests"], fmt_time(s["wall_s"]),
                    s["cpu_s"]["median"] * 1000, s["rss_kib"]["median"] / 1024))
            h, g = r["hvd-esx"], r["govmomi"]

            def ratio(k):
                return h[k]["median"] / g[k]["median"] if g[k]["median"] else float("nan")
            print("| %s | **hvd-esx/govmomi** | %.2f | %.2f | %.2f | %.2f |" % (
                format(r["vms"], ","), h["requests"] / g["requests"] if g["requests"] else float("nan"),
                ratio("wall_s"), ratio("cpu_s"), ratio("rss_kib")))


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
        for vms in (int(x) for x in args.sizes.split(",")):
            results += bench_size(args, model, vms)
    if args.json:
        json.dump({"results": results, "cores": os.cpu_count()}, sys.stdout, indent=1)
        print()
    else:
        print_tables(results)


if __name__ == "__main__":
    main()
