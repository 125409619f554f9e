"""The committed notebooks are the same on every machine: nbval under other BLAS kernels.

A reader's or a CI machine's processor makes OpenBLAS choose its own kernels
(SkylakeX, Haswell, ...) and NumPy its own SIMD loops, and the same computation then
ends in different last binary digits. The chapters glue and print display values
(backprop.display), so their committed outputs must not change. They were written on
the machine of whoever ran ``make execute``; ``make test`` checks them in two other
settings:

- the main nbval run (every chapter, solution cells included) starts its kernels with
  OpenBLAS's most basic kernel for this processor (Prescott on x86-64, ARMV8 on ARM)
  and NumPy on its baseline instructions only. This plugin does that: the test
  process itself keeps this machine's own setting, only the notebooks' kernels change;
- the student reader notebooks (no solution cells), from the wheel in a fresh venv,
  under OpenBLAS's Haswell kernel where the processor has AVX2
  (test_portability_student.py).

Before, every chapter was run a second time for the first setting alone; starting the
main run's kernels under it checks the same in one run. Try a setting by hand with
``OPENBLAS_CORETYPE=Haswell .venv/bin/python -m pytest --nbval chapters`` plus
``-p no:portable_kernels`` to keep the kernels on the variables you set.
"""

from __future__ import annotations

import functools
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
BASELINE_CORE = {"x86_64": "Prescott", "AMD64": "Prescott", "aarch64": "ARMV8", "arm64": "ARMV8"}


def numpy_dispatched_features() -> str:
    """Every SIMD extension NumPy would dispatch to on this processor (to turn them off).

    NumPy 2.4 names groups (X86_V3, AVX512_ICL, ...); naming one it does not dispatch is
    an error, so the list is read from NumPy itself.
    """
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


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("nbval"):
        return
    import nbval.kernel

    start = nbval.kernel.start_new_kernel
    if getattr(start, "portable_setting", None) is not None:
        return
    setting = kernel_settings()["every chapter"]

    @functools.wraps(start)
    def start_new_kernel(*args, **kwargs):
        kwargs.setdefault("env", {**os.environ, **setting})
        return start(*args, **kwargs)

    start_new_kernel.portable_setting = setting
    nbval.kernel.start_new_kernel = start_new_kernel
