"""Benchmark ``govreport batch``: 1 worker vs 2 workers over the shared corpus.

    .venv/bin/python benchmarks/bench_batch.py [--inputs 200] [--workers 1,2]
                                               [--corpus /work/shared/corpus] [--json]

The corpus (reports and snippets) is copied into a temporary folder and repeated until
there are at least ``--inputs`` files, each copy made distinct (a trailing comment or
PDF comment) so content hashes differ and nothing is de-duplicated or resumed. Each
worker count runs the real batch (``run_batch``: sniffing, hashing, parsing, appending
to reports.jsonl) into a fresh output folder; the CSV/Parquet export at the end is
timed separately. Printed: reports per second, speed-up and scaling efficiency against
the first worker count, and the peak memory of a worker — its peak RSS (getrusage in
the worker) and, with psutil, the peak unique (USS) and proportional (PSS) set sizes
sampled from outside (workers fork from a warm server and share its pages).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from govreport.batch import _start_warm_forkserver, discover, run_batch, sniff

DEFAULT_CORPUS = Path(os.environ.get("GOVREPORT_CORPUS", "/work/shared/corpus"))


def _report_files(corpus: Path) -> list[Path]:
    out = []
    for p in discover([corpus]):
        with open(p, "rb") as fh:
            head = fh.read(65536)
        if sniff(head, p)[0] is not None:
            out.append(Path(p))
    return out


def _distinct_copy(src: Path, dst: Path, n: int) -> None:
    data = src.read_bytes()
    suffix = src.suffix.lower()
    if data[:1024].find(b"%PDF-") >= 0:
        data += f"\n%govreport-bench-copy {n}\n".encode()
    elif suffix in (".html", ".htm") or data.lstrip()[:1] == b"<":
        data += f"\n<!-- govreport-bench-copy {n} -->\n".encode()
    else:
        data += f"\n\n（副本 {n}）\n".encode()
    dst.write_bytes(data)


def build_inputs(corpus: Path, folder: Path, n_inputs: int) -> list[Path]:
    sources = _report_files(corpus)
    if not sources:
        raise SystemExit(f"no report files under {corpus}")
    made, i = [], 0
    while len(made) < n_inputs:
        src = sources[i % len(sources)]
        dst = folder / f"{i:05d}-{src.name}"
        _distinct_copy(src, dst, i)
        made.append(dst)
        i += 1
    return made


class MemorySampler:
    """Peak RSS/USS/PSS of this process's descendant worker processes, sampled."""

    def __init__(self, every: float = 0.25):
        self.every = every
        self.peak: dict[int, dict[str, float]] = {}
        self.cpu: dict[int, float] = {}  # CPU seconds of each process, last sample
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            import psutil

            self._psutil = psutil
        except ImportError:
            self._psutil = None

    def __enter__(self) -> MemorySampler:
        if self._psutil is not None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        me = self._psutil.Process()
        while not self._stop.wait(self.every):
            for child in me.children(recursive=True):
                try:
                    info = child.memory_full_info()
                except Exception:
                    continue
                with contextlib.suppress(Exception):
                    t = child.cpu_times()
                    self.cpu[child.pid] = t.user + t.system
                d = self.peak.setdefault(child.pid, {"rss": 0.0, "uss": 0.0, "pss": 0.0})
                d["rss"] = max(d["rss"], info.rss / 2**20)
                d["uss"] = max(d["uss"], getattr(info, "uss", 0) / 2**20)
                d["pss"] = max(d["pss"], getattr(info, "pss", 0) / 2**20)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def summary_parse_seconds(outdir: Path) -> float:
    from govreport.outputs import iter_lines, read_batch_meta

    return sum((read_batch_meta(line) or {}).get("seconds", 0.0)
               for _, line in iter_lines(outdir / "reports.jsonl"))


def run_once(inputs_dir: Path, outdir: Path, workers: int) -> dict:
    if outdir.exists():
        shutil.rmtree(outdir)
    with MemorySampler() as mem:
        t0 = time.perf_counter()
        summary = run_batch([inputs_dir], outdir, workers=workers, formats=["jsonl"],
                            max_tasks_per_child=None)
        elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    from govreport.outputs import export_tables

    export_tables(outdir, ["csv"])
    export_s = time.perf_counter() - t1
    # keep the worker processes only (not the fork server or the resource tracker)
    worker_peaks = [p for pid, p in mem.peak.items() if pid in summary.peak_rss_mb]
    return {
        "workers": workers, "inputs": summary.total, "parsed": summary.parsed,
        "failed": summary.failed, "skipped": summary.skipped, "seconds": elapsed,
        "reports_per_s": summary.total / elapsed, "export_csv_seconds": export_s,
        "worker_peak_rss_mib": max(summary.peak_rss_mb.values(), default=None),
        "worker_processes": len(summary.peak_rss_mb),
        "sampled_peak_rss_mib": max((p["rss"] for p in worker_peaks), default=None),
        "sampled_peak_uss_mib": max((p["uss"] for p in worker_peaks), default=None),
        "sampled_peak_pss_mib": max((p["pss"] for p in worker_peaks), default=None),
        "error_types": dict(summary.error_types),
        # CPU seconds the workers got (sampled, so slightly low): with other programs
        # competing for the CPUs, wall-clock scaling says little; reports per worker CPU
        # second shows whether running in parallel made each document dearer
        "worker_cpu_seconds": sum(c for pid, c in mem.cpu.items() if pid in summary.peak_rss_mb),
        "parse_seconds_sum": summary_parse_seconds(outdir),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--inputs", type=int, default=200, help="number of inputs (default 200)")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs per worker count, alternating; the fastest is kept (default 2)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} not found", file=sys.stderr)
        return 2
    counts = [int(x) for x in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as tmp:
        root = Path(tmp)
        inputs_dir = root / "inputs"
        inputs_dir.mkdir()
        made = build_inputs(args.corpus, inputs_dir, args.inputs)
        size = sum(p.stat().st_size for p in made)
        print(f"{len(made)} inputs ({size / 2**20:.1f} MiB) from {args.corpus}; "
              f"{os.cpu_count()} CPUs")
        t0 = time.perf_counter()
        _start_warm_forkserver()  # one-time per process: jieba, OpenCC, plugins
        run_batch([made[0]], root / "warm", workers=1, formats=["jsonl"])
        print(f"warm-up (fork server + first worker): {time.perf_counter() - t0:.1f} s")
        best: dict[int, dict] = {}
        for _ in range(max(1, args.repeat)):
            for w in counts:
                r = run_once(inputs_dir, root / f"out{w}", w)
                if w not in best or r["seconds"] < best[w]["seconds"]:
                    best[w] = r
        results = [best[w] for w in counts]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    base = results[0]
    print(f"\n{'workers':>7} {'seconds':>8} {'reports/s':>10} {'speed-up':>9} {'efficiency':>10} "
          f"{'peak RSS':>9} {'peak USS':>9} {'peak PSS':>9} {'CPU s':>6} {'rep/CPU s':>9}"
          "  parsed/failed/skipped")
    for r in results:
        speedup = r["reports_per_s"] / base["reports_per_s"]
        r["speedup"] = speedup
        r["efficiency"] = speedup * base["workers"] / r["workers"]

        def mib(v):
            return f"{v:7.0f}Mi" if v else "      —  "
        print(f"{r['workers']:>7} {r['seconds']:8.2f} {r['reports_per_s']:10.1f} {speedup:8.2f}x "
              f"{r['efficiency']:9.0%} {mib(r['worker_peak_rss_mib'])} "
              f"{mib(r['sampled_peak_uss_mib'])} {mib(r['sampled_peak_pss_mib'])} "
              f"{r['worker_cpu_seconds']:6.1f} "
              f"{(r['inputs'] / r['worker_cpu_seconds'] if r['worker_cpu_seconds'] else 0):9.1f}  "
              f"{r['parsed']}/{r['failed']}/{r['skipped']}")
    if load is not None:
        print(f"\nload average at the end: {load:.1f} (other processes compete for the CPUs "
              "when it is above the worker count)")
    print("\npeak RSS: getrusage(ru_maxrss) in the worker (includes pages shared with the "
          "fork server); USS/PSS: psutil samples every 0.25 s")
    try:
        import resource

        main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"main process peak RSS: {main_peak:.0f} MiB (hashing, sniffing, writing)")
    except ImportError:
        pass
    print("CSV export after the run: " + ", ".join(
        f"{r['workers']}w {r['export_csv_seconds']:.2f} s" for r in results))
    if any(r["error_types"] for r in results):
        print("errors: " + json.dumps(results[-1]["error_types"], ensure_ascii=False))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
