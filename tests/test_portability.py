"""The committed notebooks are the same on every machine: nbval under other BLAS kernels.

A reader's or a CI machine's processor makes OpenBLAS choose its own kernels
(SkylakeX, Haswell, ...) and NumPy its own SIMD loops, and the same computation then
ends in different last binary digits. The chapters glue and print display values
(backprop.display), so their committed outputs must not change. The main nbval run
checks every chapter on this machine as it is; the runs here check them again with
another OpenBLAS kernel and NumPy's SIMD dispatch turned off:

- every chapter, with OpenBLAS's most basic kernel for this processor (Prescott on
  x86-64, ARMV8 on ARM) and NumPy on its baseline instructions only;
- the student edition's notebooks (no solution cells), with a third setting (OpenBLAS's
  Haswell kernel where the processor has AVX2), which also shows that the student
  notebooks run top to bottom without the solutions.

The student run is in test_portability_student.py, so that pytest-xdist can give the
two runs to different workers. Run one by hand with, e.g.:
    OPENBLAS_CORETYPE=Prescott .venv/bin/python -m pytest --nbval chapters
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
BASELINE_CORE = {"x86_64": "Prescott", "AMD64": "Prescott", "aarch64": "ARMV8", "arm64": "ARMV8"}


def numpy_dispatched_features() -> str:
    """Every SIMD extension NumPy would dispatch to on this processor (to turn them off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return ",".join(feature for feature in __cpu_dispatch__ if __cpu_features__.get(feature))


def has_avx2() -> bool:
    try:
        return " avx2 " in f" {Path('/proc/cpuinfo').read_text()} ".replace("\n", " ")
    except OSError:
        return False


def kernel_settings() -> dict[str, dict[str, str]]:
    """Two settings that differ from this process's own and from each other."""
    own = os.environ.get("OPENBLAS_CORETYPE", "")
    baseline = BASELINE_CORE.get(platform.machine(), "")
    first = {"NPY_DISABLE_CPU_FEATURES": numpy_dispatched_features()}
    if baseline and baseline != own:
        first["OPENBLAS_CORETYPE"] = baseline
    second = {"OPENBLAS_CORETYPE": "Haswell"} if has_avx2() and own != "Haswell" else {}
    return {"every chapter": first, "student notebooks": second}


def run_nbval(notebooks: list[Path], setting: dict[str, str], cwd: Path) -> None:
    environment = {**os.environ, **setting}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "tests"), environment.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "-q", "-c", str(ROOT / "pyproject.toml"),
               "--rootdir", str(cwd), "-p", "kernel_race", "-p", "no:xdist",
               "--nbval", "--nbval-sanitize-with", str(SANITIZE), *map(str, notebooks)]
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True,
                            timeout=1200)
    described = ", ".join(f"{k}={v}" for k, v in setting.items()) or "this machine's own"
    assert result.returncode == 0, (
        f"the committed outputs differ under {described}:\n{result.stdout[-6000:]}"
        f"\n{result.stderr[-2000:]}")


def test_settings_differ_from_this_run():
    settings = kernel_settings()
    assert settings["every chapter"], "no other kernel setting on this processor"
    assert settings["every chapter"] != settings["student notebooks"]


def test_every_chapter_under_another_blas_kernel():
    run_nbval(CHAPTERS, kernel_settings()["every chapter"], ROOT)
