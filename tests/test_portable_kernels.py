"""The main nbval run's kernels really run under the other BLAS kernel (portable_kernels.py).

If they did not, nbval would check the committed outputs only under the setting of the
machine that wrote them, and a processor-dependent last digit would pass unseen.
"""

from __future__ import annotations

import nbval.kernel
from portable_kernels import kernel_settings

PROBE = ("import os\nfrom numpy._core._multiarray_umath import __cpu_features__ as f\n"
         "print(os.environ.get('OPENBLAS_CORETYPE', ''), os.environ.get("
         "'NPY_DISABLE_CPU_FEATURES', ''), sorted(k for k, on in f.items() if on "
         "and k in os.environ.get('NPY_DISABLE_CPU_FEATURES', '').split(',')))")


def test_settings_differ_from_this_run_and_from_each_other():
    settings = kernel_settings()
    assert settings["every chapter"], "no other kernel setting on this processor"
    assert settings["every chapter"] != settings["student notebooks"]


def test_nbval_kernels_start_under_the_basic_kernel_with_simd_off():
    setting = nbval.kernel.start_new_kernel.portable_setting
    assert setting == kernel_settings()["every chapter"]
    # as nbval starts them (RunningKernel would leave its /dev/null stderr open)
    manager, client = nbval.kernel.start_new_kernel(kernel_name="python3")
    printed = []
    try:
        client.execute_interactive(PROBE, timeout=60, output_hook=lambda message: printed.append(
            message["content"].get("text", "")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(printed)
    core, disabled, still_on = text.split(" ", 2)
    assert core == setting.get("OPENBLAS_CORETYPE", "")
    assert disabled == setting["NPY_DISABLE_CPU_FEATURES"]
    assert still_on.strip() == "[]", f"features the kernel's NumPy still uses: {still_on}"
