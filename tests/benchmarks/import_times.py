"""``python tests/benchmarks/import_times.py [runs]``: how long each function takes to import.

Lambda pays this on every cold start. Measured as Lambda would import: Lambda's Python
(3.13, found as infra/build/Makefile finds it; else this machine's), bare (``-S``: no
site-packages), its path holding only the layer's locked packages and boto3 (which the
runtime brings); each import in a fresh process, the median of ``runs``. Two ways: with
the bytecode compiled (as the build ships the layer when it has that Python), and from
source (a layer without ``.pyc``: Lambda's ``/opt`` is read-only, nothing is cached).
The packages are installed once under ``.cache/`` (pip, from the registry).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ("api", "reminder", "feedback", "report")
FLOOR = ", ".join(
    ("boto3", "pydantic", *(f"aws_lambda_powertools.{m}" for m in ("logging", "metrics", "event_handler")))
)
"""What the api imports before any module of ours: the row that says how low it can go."""
FLOOR_WITH_A_MODEL = f"""{FLOOR}
from pydantic import BaseModel
class Probe(BaseModel):
    name: str
Probe.model_validate_json('{{"name": "a"}}')"""
"""The floor, plus what pydantic loads on the first model a module defines (its schema
builder): every function defines models, so none can import faster than this."""
RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"}
"""What the Lambda runtime brings, compiled; the rest of the site is the layer's."""
PROBE = """
import sys, time, json
sys.path[:0] = {path!r}
started = time.perf_counter()
import {modules}
elapsed = time.perf_counter() - started
print(json.dumps({{"ms": elapsed * 1000, "modules": len(sys.modules),
                   "layer": sum(name.split(".")[0] == "relance" for name in sys.modules)}}))
"""


def interpreter() -> str:
    """Lambda's Python when this machine has it (pyenv's, or on PATH), else this one."""
    found = sorted(Path.home().glob(".pyenv/versions/3.13.*/bin/python3.13"))
    for candidate in [*map(str, found[-1:]), "python3.13"]:
        if shutil.which(candidate) and subprocess.run([candidate, "-c", ""], check=False).returncode == 0:
            return candidate
    return str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}")


def _version(python: str) -> str:
    answer = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    return answer.stdout.strip()


def _install(python: str, site: Path) -> None:
    if (site / "boto3").is_dir():
        return
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(site)]
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "shared" / "requirements.lock")], check=True)
    subprocess.run([*pip, "boto3"], check=True)


def _compile(python: str, *folders: Path) -> None:
    for folder in folders:
        subprocess.run(
            [python, "-m", "compileall", "-q", "-j", "0", str(folder)], check=True, capture_output=True
        )


def _clear_bytecode(*folders: Path) -> None:
    for folder in folders:
        for cache in folder.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def _import_once(python: str, site: Path, function: str, *, bytecode: bool) -> dict[str, float]:
    path = [str(site), str(ROOT), str(ROOT / "shared")]
    environment = {**os.environ, "POWERTOOLS_METRICS_NAMESPACE": "Relance", "AWS_DEFAULT_REGION": "eu-west-3"}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    floors = {"floor": FLOOR, "floor + a model": FLOOR_WITH_A_MODEL}
    modules = floors.get(function, f"functions.{function}.handler")
    probe = PROBE.format(path=path, modules=modules)
    answer = subprocess.run([python, "-S", "-c", probe], env=environment, check=True,
                            capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    measured: dict[str, float] = json.loads(answer.stdout.strip().splitlines()[-1])
    return measured


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    python = interpreter()
    version = _version(python)
    site = ROOT / ".cache" / f"lambda-site-{'.'.join(version.split('.')[:2])}"
    _install(python, site)
    ours = (ROOT / "shared", ROOT / "functions")
    layer = [p for p in site.iterdir() if p.is_dir() and p.name not in RUNTIME]
    print(f"Python {version}")
    print("| function | with .pyc (ms) | from source, no .pyc shipped (ms) | modules | of the layer |")
    print("|---|---|---|---|---|")
    for function in (*FUNCTIONS, "floor", "floor + a model"):
        _compile(python, site, *ours)
        warm = [_import_once(python, site, function, bytecode=True) for _ in range(runs)]
        _clear_bytecode(*ours, *layer)
        cold = [_import_once(python, site, function, bytecode=False) for _ in range(runs)]
        compiled, source = (statistics.median(m["ms"] for m in ms) for ms in (warm, cold))
        modules, layer_modules = warm[0]["modules"], warm[0]["layer"]
        print(f"| {function} | {compiled:.0f} | {source:.0f} | {modules:.0f} | {layer_modules:.0f} |")
    _compile(python, *ours)
    return 0


if __name__ == "__main__":
    sys.exit(main())
