"""The student reader notebooks, in a fresh venv with only the wheel, under a third kernel.

One nbval run checks three things at once (see portable_kernels.py for the kernels):

- **portability**: the student edition's notebooks (no cell tagged ``solution``) give
  their committed outputs under OpenBLAS's Haswell kernel (where the processor has
  AVX2), a third setting besides this machine's own and the basic kernel;
- **the package**: they run top to bottom in a fresh virtual environment that holds the
  wheel of ``backprop-course`` (as ``make dist`` builds it) and only what running needs
  (ipykernel, pytest, nbval); the wheel itself is installed by the reader notebooks'
  setup cell, run first on its own, from a local package index (as in Colab from PyPI);
- **the reader notebooks**: the outputs they keep (so that they read well before they are
  run) are the ones a run gives, glue cells included (they publish nothing there).

The environment's Python has no access to this repository's ``src/`` (the venv is not
given --system-site-packages, and the notebooks run from a temporary folder).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from portable_kernels import SANITIZE, kernel_settings
from test_reader_notebooks import run_notebook
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
# What running the notebooks under nbval needs besides the wheel, at this repository's pins.
RUNNER = ("ipykernel", "pytest", "nbval")


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, capture_output=True,
                          text=True, **kwargs)


def pinned(names: tuple[str, ...], requirements: Path = ROOT / "requirements.txt") -> list[str]:
    """``name==version`` of each of ``names`` as requirements.txt pins it."""
    pins = {}
    for line in requirements.read_text().splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if version:
            pins[name.lower()] = f"{name}=={version}"
    missing = [name for name in names if name not in pins]
    assert not missing, f"requirements.txt pins no {missing}"
    return [pins[name] for name in names]


def local_index(dist: Path, root: Path) -> str:
    """A PEP 503 simple index holding the built distributions; its file:// URL."""
    project = root / "simple" / "backprop-course"
    project.mkdir(parents=True)
    links = "".join(f'<a href="{path.resolve().as_uri()}">{path.name}</a>\n'
                    for path in sorted(dist.iterdir()))
    (project / "index.html").write_text(f"<!DOCTYPE html><html><body>{links}</body></html>")
    return (root / "simple").resolve().as_uri()


def run_in_kernel(notebook, python: Path, env: dict[str, str], root: Path):
    """``notebook`` executed by nbclient in a kernel of ``python`` with ``env`` added."""
    spec = root / "kernels" / "fresh-venv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh venv", "language": "python", "env": env}))
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(root)
    try:
        return run_notebook(notebook, kernel_name="fresh-venv", path=root)
    finally:
        if previous is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = previous


def test_student_reader_notebooks_run_from_the_wheel_alone_under_a_third_kernel(
        tmp_path, package_dist):
    started = time.monotonic()
    reader = load_tool("reader_notebooks")
    version = reader.package_version()
    # as `make dist` builds it, once for the run (tests/built_package.py)
    wheel = package_dist / f"backprop_course-{version}-py3-none-any.whl"
    assert wheel.is_file(), sorted(package_dist.iterdir())

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv])  # no --system-site-packages
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    # The wheel's dependencies and the runner (pip's cache serves them), then without the
    # package itself: the setup cell must install it. --no-compile: byte-compiling all of
    # sympy and scipy would take most of a minute; the kernels compile what they import.
    run(pip + ["install", "--quiet", "--no-compile", f"{wheel}[widgets]", *pinned(RUNNER)])
    run(pip + ["uninstall", "--yes", "--quiet", "backprop-course"])
    setup_seconds = time.monotonic() - started

    folder = tmp_path / "student"
    folder.mkdir()
    notebooks = reader.reader_notebooks("student")
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / name)
    assert len(notebooks) == len(list((ROOT / "chapters").glob("*.ipynb")))

    # The setup cell installs the package from the local index (pip prints a note there,
    # so it is run here, not compared by nbval); then every notebook runs under nbval,
    # compared cell by cell with its kept outputs.
    setting = kernel_settings()["student notebooks"]
    index = local_index(package_dist, tmp_path)
    install = nbformat.v4.new_notebook(cells=[
        reader.setup_cells(version)[1], nbformat.v4.new_code_cell(
            "import importlib.metadata, backprop\n"
            "print(importlib.metadata.version('backprop-course'), backprop.__file__)")])
    # Byte-code is written (PYTHONDONTWRITEBYTECODE empty), so that only the first of the
    # 15 kernels compiles numpy, scipy, matplotlib and sympy: about 2.5 s each otherwise.
    executed = run_in_kernel(install, python,
                             {"PIP_INDEX_URL": index, "PYTHONDONTWRITEBYTECODE": ""}, tmp_path)
    installed_version, location = executed.cells[-1].outputs[0]["text"].split()
    assert installed_version == version
    assert Path(location).resolve().is_relative_to(venv.resolve()), location

    install_seconds = time.monotonic() - started
    environment = {**os.environ, **setting, "PYTHONPATH": str(ROOT / "tests"),
                   "PYTHONDONTWRITEBYTECODE": ""}
    environment.pop("BACKPROP_GLUE_RECORDS", None)  # the setup cell sets it
    command = [python, "-m", "pytest", "-q", "-c", ROOT / "pyproject.toml", "--rootdir",
               tmp_path, "-p", "kernel_race", "--nbval", "--nbval-current-env",
               "--nbval-sanitize-with", SANITIZE, *sorted(folder.glob("*.ipynb"))]
    result = subprocess.run([str(part) for part in command], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=1200)
    described = ", ".join(f"{k}={v}" for k, v in setting.items()) or "this machine's own"
    assert result.returncode == 0, (
        f"the student reader notebooks, run from the wheel under {described}, differ from "
        f"their kept outputs:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    # nbval makes one test of every code cell: none may have been left out
    code_cells = sum(cell.cell_type == "code" for notebook in notebooks.values()
                     for cell in notebook.cells)
    assert re.search(rf"\b{code_cells} passed\b", result.stdout), result.stdout[-2000:]
    print(f"fresh venv: wheel and dependencies {setup_seconds:.0f} s, setup cell "
          f"{install_seconds - setup_seconds:.0f} s, nbval "
          f"{time.monotonic() - started - install_seconds:.0f} s")
