"""The display values that chapters glue and print (backprop.display).

The committed notebooks must not depend on the machine that executed them: a value
that differs in its last binary digits between two BLAS kernels must glue the same
text. The main nbval run checks the chapters themselves under another kernel
(tests/portable_kernels.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop.display import (
    GLUE_RECORDS_VARIABLE,
    display_value,
    glue,
    glue_records_wanted,
    noise_bound,
    noise_text,
    scientific,
)

ROOT = Path(__file__).resolve().parent.parent


def test_last_bit_noise_is_rounded_away():
    # Values nbval saw differ between two machines before the display rounding.
    assert display_value(0.09500000000000001) == display_value(0.095) == 0.095
    assert display_value(15.853957857248083) == display_value(15.853957857248085)
    assert repr(display_value(np.float64(-0.12000000000000001))) == "-0.12"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_display_value_keeps_ten_significant_digits(value):
    shown = display_value(value)
    assert abs(shown - value) <= 5e-10 * abs(value)
    assert len(f"{shown:.10e}".rstrip("0")) <= len(f"{value:.10e}")


def test_containers_and_other_types():
    rounded = display_value({"a": [1 / 3, 2], "b": (np.float32(0.5), "text", True)})
    assert rounded == {"a": [0.3333333333, 2], "b": (0.5, "text", True)}
    array = display_value(np.array([[1 / 3, 2 / 3]]))
    assert array.shape == (1, 2) and array.tolist() == [[0.3333333333, 0.6666666667]]
    assert display_value(7) == 7 and isinstance(display_value(np.int64(7)), np.integer)
    assert np.isnan(display_value(float("nan"))) and display_value(float("inf")) == float("inf")
    # rounding the largest double up to ten digits would overflow: it stays as it is
    largest = float(np.finfo(float).max)
    assert display_value(largest) == largest


def test_noise_is_shown_as_a_bound():
    assert noise_bound(5.9e-12) == 1e-9          # below the floor: the floor
    assert noise_bound(3.2e-9) == 1e-8            # above it: the next power of ten
    assert noise_bound(0.034) == 0.1
    assert noise_text(5.9e-12) == "< 1e-09"
    assert noise_text(0.3456789) == "0.35"  # a real error: fixed places
    assert noise_text(3.2e-05) == "3.2e-05"  # small but above the noise floor
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite value >= 0"):
            noise_bound(bad)
    with pytest.raises(ValueError, match="floor > 0"):
        noise_bound(1.0, floor=0)


def test_glue_writes_what_myst_nb_reads(monkeypatch):
    """Same MIME bundle and metadata as myst_nb.glue, with the display value."""
    import IPython.display
    from myst_nb import glue as myst_glue

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda *args, **kwargs: shown.append((args, kwargs)))
    monkeypatch.setattr("myst_nb.ext.glue.ipy_display",
                        lambda *args, **kwargs: shown.append((args, kwargs)))
    glue("x", 0.09500000000000001, display=False)
    myst_glue("x", 0.095, display=False)
    ours, theirs = shown
    assert ours == theirs
    assert ours[0][0] == {"application/papermill.record/text/plain": "0.095"}
    assert ours[1]["metadata"]["scrapbook"] == {
        "name": "x", "mime_prefix": "application/papermill.record/"}


def captured_glue(monkeypatch, *calls) -> list:
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda *args, **kwargs: shown.append((args, kwargs)))
    for name, value, display in calls:
        glue(name, value, display=display)
    return shown


@pytest.mark.parametrize("setting", [None, "", "1", " 1 "])
def test_glue_records_are_published_by_default(monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv(GLUE_RECORDS_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(GLUE_RECORDS_VARIABLE, setting)
    assert glue_records_wanted()
    shown = captured_glue(monkeypatch, ("x", 0.5, False))
    assert [args[0] for args, _ in shown] == [
        {"application/papermill.record/text/plain": "0.5"}]


def test_a_reader_notebook_publishes_no_glue_record_but_still_shows_shown_values(monkeypatch):
    """BACKPROP_GLUE_RECORDS=0 (a reader notebook's setup cell): no "No renderer" box."""
    monkeypatch.setenv(GLUE_RECORDS_VARIABLE, "0")
    assert not glue_records_wanted()
    shown = captured_glue(monkeypatch, ("hidden", 0.5, False), ("table", 0.25, True))
    assert len(shown) == 1, "the hidden value must publish nothing"
    (bundle,), kwargs = shown[0]
    assert bundle == {"text/plain": "0.25"}  # renderable: no papermill prefix
    assert kwargs["metadata"]["scrapbook"]["name"] == "table"


@pytest.mark.parametrize("setting", ["no", "false", "2", "off"])
def test_a_misspelt_glue_records_setting_fails_loudly(monkeypatch, setting):
    monkeypatch.setenv(GLUE_RECORDS_VARIABLE, setting)
    with pytest.raises(ValueError, match=f"BACKPROP_GLUE_RECORDS must be 0 .* got '{setting}'"):
        captured_glue(monkeypatch, ("x", 0.5, False))


def test_the_book_build_gets_its_glue_records_from_a_real_kernel(monkeypatch):
    """What myst-nb reads from an executed cell: the record, unless the reader setting is on."""
    import gc
    import warnings

    from nbclient import NotebookClient

    def outputs(environment: str) -> list:
        cell = nbformat.v4.new_code_cell(
            f"import os\n{environment}\n"
            "from backprop.display import glue\nglue('x', 0.1 + 0.2, display=False)")
        client = NotebookClient(nbformat.v4.new_notebook(cells=[cell]), timeout=120,
                                kernel_name="python3")
        notebook = client.execute()
        # nbclient's zmq sockets: collected here, not as a warning in a later test
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            del client
            gc.collect()
        return notebook.cells[0].outputs

    monkeypatch.delenv(GLUE_RECORDS_VARIABLE, raising=False)
    (record,) = outputs("")
    assert record["data"] == {"application/papermill.record/text/plain": "0.3"}
    assert outputs(f"os.environ['{GLUE_RECORDS_VARIABLE}'] = '0'") == []


def test_chapters_glue_only_display_values():
    """Every chapter glues through backprop.display.glue (never myst_nb's own glue)."""
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                           if cell.cell_type == "code")
        assert "myst_nb" not in source, f"{path.name} imports myst_nb"
        if re.search(r"(?<![\w.])glue\(", source):
            assert re.search(r"from backprop\.display import [^\n]*\bglue\b", source), (
                f"{path.name} glues without backprop.display.glue")


def test_scientific_writes_a_power_of_ten():
    assert scientific(4.6e-06) == "$4.6 \\times 10^{-6}$"
    assert scientific(-4.447e-05) == "$-4.4 \\times 10^{-5}$"
    assert scientific(2.4216e12, 3) == "$2.42 \\times 10^{12}$"
    assert scientific(9.96e-3) == "$1.0 \\times 10^{-2}$"  # the mantissa rounds up a decade
    with pytest.raises(ValueError, match="non-zero"):
        scientific(0.0)
