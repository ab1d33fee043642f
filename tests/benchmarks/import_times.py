"""``python tests/benchmarks/import_times.py [runs]``: how long each function takes to import.

Lambda pays this on every cold start. Measured as Lambda would import: a bare interpreter
(``-S``: no site-packages of this machine) whose path holds only the layer's locked packages
and boto3 (which the runtime brings), each import in a fresh process, median of ``runs``.
Two ways: with bytecode (``.pyc``) already compiled, and from source, as a layer built
without ``.pyc`` is imported on Lambda (its ``/opt`` is read-only: nothing is cached).
The packages are installed once into ``.cache/lambda-site`` (pip, from the registry).
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / ".cache" / "lambda-site"
FUNCTIONS = ("api", "reminder", "feedback", "report")
RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"}
"""What the Lambda runtime brings, compiled; the rest of SITE is the layer's."""
PROBE = """
import sys, time, json
sys.path[:0] = {path!r}
started = time.perf_counter()
import functions.{function}.handler
elapsed = time.perf_counter() - started
print(json.dumps({{"ms": elapsed * 1000, "modules": len(sys.modules),
                   "layer": sum(name.split(".")[0] == "relance" for name in sys.modules)}}))
"""


def _interpreter() -> str:
    return str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}")


def _install() -> None:
    if (SITE / "boto3").is_dir():
        return
    pip = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--target",
        str(SITE),
    ]
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "shared" / "requirements.lock")], check=True)
    subprocess.run([*pip, "boto3"], check=True)


def _clear_bytecode(*folders: Path) -> None:
    for folder in folders:
        for cache in folder.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def _import_once(function: str, *, bytecode: bool) -> dict[str, float]:
    path = [str(SITE), str(ROOT), str(ROOT / "shared")]
    environment = {**os.environ, "POWERTOOLS_METRICS_NAMESPACE": "Relance", "AWS_DEFAULT_REGION": "eu-west-3"}
    if bytecode:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    probe = PROBE.format(path=path, function=function)
    answer = subprocess.run([_interpreter(), "-S", "-c", probe], env=environment, check=True,
                            capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    measured: dict[str, float] = json.loads(answer.stdout.strip().splitlines()[-1])
    return measured


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    _install()
    ours = (ROOT / "shared", ROOT / "functions")
    print("| function | with .pyc (ms) | from source, as the layer ships (ms) | modules | of the layer |")
    print("|---|---|---|---|---|")
    for function in FUNCTIONS:
        compileall.compile_dir(str(SITE), quiet=2)
        for folder in ours:
            compileall.compile_dir(str(folder), quiet=2)
        warm = [_import_once(function, bytecode=True) for _ in range(runs)]
        _clear_bytecode(*ours, *(p for p in SITE.iterdir() if p.is_dir() and p.name not in RUNTIME))
        cold = [_import_once(function, bytecode=False) for _ in range(runs)]
        compiled, source = (statistics.median(m["ms"] for m in ms) for ms in (warm, cold))
        modules, layer_modules = warm[0]["modules"], warm[0]["layer"]
        print(f"| {function} | {compiled:.0f} | {source:.0f} | {modules:.0f} | {layer_modules:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
