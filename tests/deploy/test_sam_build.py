"""`make build` runs `sam build` on this machine (Python 3.11, no Docker) and gives Lambda's
python3.13/arm64 what it can load: every native library built for AArch64, and the layer's
bytecode when a Python 3.13 is at hand (pyenv's, here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
ELF_MAGIC = b"\x7fELF"
ELF_64_BIT, LITTLE_ENDIAN, EM_AARCH64 = 2, 1, 183


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_dir = tmp_path_factory.mktemp("sam") / "build"
    result = subprocess.run(
        ["make", "--no-print-directory", "build", f"BUILD_DIR={build_dir}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build_dir


def machine_of(library: Path) -> tuple[int, int, int]:
    """(class, byte order, machine) from the ELF header."""
    header = library.read_bytes()[:20]
    assert header[:4] == ELF_MAGIC, f"{library} is not an ELF file"
    return header[4], header[5], int.from_bytes(header[18:20], "little")


def test_every_native_library_of_the_layer_is_aarch64(build: Path) -> None:
    libraries = list((build / "SharedLayer" / "python").rglob("*.so"))
    packages = {library.relative_to(build / "SharedLayer" / "python").parts[0] for library in libraries}
    assert {"pydantic_core", "css_inline", "markupsafe"} <= packages
    for library in libraries:
        assert machine_of(library) == (ELF_64_BIT, LITTLE_ENDIAN, EM_AARCH64), library
        assert "x86_64" not in library.name and "cpython-311" not in library.name, library


def runtime_python() -> str | None:
    """A Python of Lambda's runtime version on this machine, as infra/build/Makefile finds it."""
    found = sorted(Path.home().glob(".pyenv/versions/3.13.*/bin/python3.13"))
    candidates = [str(found[-1])] if found else ["python3.13"]
    for candidate in candidates:
        if subprocess.run([candidate, "-c", ""], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def test_the_layer_ships_bytecode_for_the_runtimes_python_when_this_machine_has_it(build: Path) -> None:
    """Lambda's /opt is read-only: without .pyc, every cold start compiles the layer again."""
    if runtime_python() is None:
        pytest.skip("no Python 3.13 here: the layer is built without bytecode")
    layer = build / "SharedLayer" / "python"
    sources = [*(layer / "relance").rglob("*.py"), *(layer / "pydantic").glob("*.py")]
    pycs = layer.rglob("__pycache__/*.cpython-313.pyc")
    compiled = {pyc.parent.parent / pyc.name.split(".")[0] for pyc in pycs}
    assert sources and all(p.with_suffix("") in compiled for p in sources)
    assert not list(layer.rglob("*.cpython-311.pyc"))


def test_the_layer_holds_the_package_and_a_css_inline_that_has_its_features(build: Path) -> None:
    layer = build / "SharedLayer" / "python"

    def package_files(root: Path) -> set[Path]:
        files = (root / "relance").rglob("*")
        return {f.relative_to(root) for f in files if f.suffix in (".py", ".html", ".txt")}

    assert package_files(layer) == package_files(ROOT / "shared")
    (css_inline,) = layer.glob("css_inline-*.dist-info")
    major, minor = (int(part) for part in css_inline.name.split("-")[1].split(".")[:2])
    assert (major, minor) >= (0, 14), "SAM's own builder stops at 0.11 for arm64: the Makefile must be used"


def test_each_function_ships_its_handler_and_the_built_template_targets_arm64(build: Path) -> None:
    for function in ("api", "reminder", "report", "feedback"):
        built = build / f"{function.capitalize()}Function" / "handler.py"
        assert built.read_bytes() == (ROOT / "functions" / function / "handler.py").read_bytes()
    template = (build / "template.yaml").read_text()
    loaded = yaml.load(template, Loader=_IgnoreTags)  # noqa: S506 - a SafeLoader subclass
    assert loaded["Globals"]["Function"]["Runtime"] == "python3.13"
    assert loaded["Globals"]["Function"]["Architectures"] == ["arm64"]


def test_the_trimmed_locale_data_still_formats_french_and_english(build: Path) -> None:
    # Babel is pure Python: the layer's copy runs here. Other locales are gone on purpose,
    # and core/email/i18n.py treats them as unknown, as it treats any unsupported locale.
    script = (
        "import babel, sys; assert babel.__file__.startswith(sys.argv[1]), babel.__file__\n"
        "from babel import Locale, UnknownLocaleError\n"
        "from babel.numbers import format_currency\n"
        "print(format_currency(1234.5, 'EUR', locale='fr_FR'), format_currency(12, 'GBP', locale='en_GB'))\n"
        "print(Locale.parse('fr_CA').language, Locale.parse('en_US').territory)\n"
        "try:\n    Locale.parse('de_DE')\nexcept UnknownLocaleError:\n    print('de unknown')\n"
    )
    layer = str(build / "SharedLayer" / "python")
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {layer!r})\n" + script, layer],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == ["1\u202f234,50\xa0€ £12.00", "fr US", "de unknown"]


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_the_layer_is_built_from_the_hashed_lock_of_every_requirement() -> None:
    import re

    lock = (ROOT / "shared" / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+ \\\n((?:    --hash=sha256:\w+.*\n)+)", lock, re.M)
    pinned = {name.lower().replace("_", "-") for name, _ in pins}
    lines = (ROOT / "shared" / "requirements.txt").read_text().splitlines()
    wanted = {re.split(r"[>=<\[ ]", line, maxsplit=1)[0].lower() for line in lines if line and line[0] != "#"}
    assert wanted and wanted <= pinned, wanted - pinned
    assert len(pins) == lock.count("=="), "every pin carries its hashes"
    assert "--require-hashes" in (ROOT / "infra" / "build" / "Makefile").read_text()
