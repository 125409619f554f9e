"""The one kernel failure the tests start again: a kernel that lost the race for its ports.

jupyter_client picks a kernel's ports, frees them and hands them over; another process
(another nbval kernel, a browser's connection) can take one in between, and the new
kernel dies on "Address already in use" before it answers (jupyter/jupyter_client#154).
This pytest plugin starts such an nbval kernel once more. A kernel that dies for any
other reason, or twice, fails its test. tests/conftest.py loads it for the main run,
and tests/test_portability_student.py passes it (``-p kernel_race``) to the nbval run
it starts in a fresh venv.
"""

from __future__ import annotations

import functools

KERNEL_START_RACE = "Kernel died before replying to kernel_info"


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("nbval"):
        return
    import nbval.kernel

    start_once = nbval.kernel.start_new_kernel
    if getattr(start_once, "retries_a_lost_port_race", False):
        return

    @functools.wraps(start_once)
    def start_new_kernel(*args, **kwargs):
        try:
            return start_once(*args, **kwargs)
        except RuntimeError as error:
            if KERNEL_START_RACE not in str(error):
                raise
            return start_once(*args, **kwargs)

    start_new_kernel.retries_a_lost_port_race = True
    nbval.kernel.start_new_kernel = start_new_kernel
