"""The one kernel failure the tests start again: a kernel that lost the race for its ports.

jupyter_client picks a kernel's ports, frees them and hands them over; another process
(a kernel of the book build or of nbval, a browser's connection) can take one in
between, and the new kernel dies on "Address already in use" before it answers
(jupyter/jupyter_client#154). tests/conftest.py starts such an nbval kernel once more,
and tests/test_built_book.py builds such an edition once more. A kernel that dies for
any other reason, or twice, fails its test.
"""

KERNEL_START_RACE = "Kernel died before replying to kernel_info"
