"""tests/leaks.py, which the editions' and reader notebooks' leak tests share."""

from leaks import shows


def test_the_leak_tests_look_for_whole_numbers():
    assert shows("after 3000 epochs", "3000") and shows("E = 0.1000.", "0.1000")
    assert not shows("w = -0.3000", "3000") and not shows("-0.1000", "0.1000")
    assert not shows("30001", "3000") and not shows("0.10005", "0.1000")
    assert shows("Solution prose, as it is", "prose, as")
