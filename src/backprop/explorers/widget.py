"""What every explorer is made of: an anywidget whose view computes in the page.

An explorer of the book (chapters 4, 7, 9, 10 and 12) is three things:

- its **view**, ``<name>.js`` beside the explorer's Python module: an ES module whose
  ``render({model, el})`` draws the explorer and redraws it whenever one of the model's
  values changes, computing in the browser with the shared modules of ``js/`` (the
  network arithmetic ``network.js``, the number format ``format.js``, the charts
  ``chart.js``). :func:`bundle` inlines those imports, so the view is one module;
- its **widget**, an ``anywidget.AnyWidget`` built by :func:`explorer_widget`, which holds
  ``data`` (everything that does not move: the example, the seeded random draws, the
  engine's reference curves) and one synced value per control;
- its **controls**, ipywidgets sliders and buttons, each tied to one of the widget's
  values with ``ipywidgets.jslink`` (:func:`link_controls`). The link lives in the
  front end, so the controls drive the view in the static HTML book with no kernel, and
  the same widget works in JupyterLab, Notebook 7, VS Code and Colab.

The Python engine stays the reference: ``tests/explorers/`` drives every view in
Chromium and compares each number it shows with the engine's. ``import anywidget`` and
``import ipywidgets`` happen inside the functions, so importing the package works without
the widgets extra.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ETA_READOUT", "HERE", "bundle", "explorer_widget", "given_readout", "link_controls",
           "link_readouts"]

#: The readout of a learning-rate slider on a log scale (chapters 9 and 12): three
#: significant digits, trailing zeros trimmed (d3-format's type "none"), as the views write
#: eta (``formatGeneral(eta, 3)``, Python's ``:.3g``): 0.5 and 0.0501, not 0.500.
ETA_READOUT = ".3"

#: The folder of the explorers' modules and views; the shared modules are in ``js/``.
HERE = Path(__file__).resolve().parent

# import { a, b } from "./js/network.js";   (one line, relative path, named imports only)
_IMPORT = re.compile(r'^import\s*\{[^}]*\}\s*from\s*"(\./[^"]+\.js)";[ \t]*$', re.MULTILINE)
_EXPORT = re.compile(r"^export (?=(?:async )?function |const |let |class )", re.MULTILINE)


def bundle(view: str | Path) -> str:
    """The ES module of a view with the shared modules it imports inlined.

    Each ``import {...} from "./relative.js";`` line is replaced by that module's code
    (once, however many modules import it), with its ``export`` keywords dropped; the
    view's own ``export default`` stays. So the view loads as one module, which is what
    anywidget's ``_esm`` is (it is imported from a ``blob:`` URL, where relative imports
    cannot resolve).

    Parameters
    ----------
    view : str or Path
        A view file name relative to this folder (``"sigmoid.js"``) or a path.

    Returns
    -------
    str
        The module's source.
    """
    path = Path(view) if Path(view).is_absolute() else HERE / view
    if not path.is_file():
        raise FileNotFoundError(f"no explorer view {path}")
    seen: set[Path] = set()

    def inline(module: Path, is_view: bool) -> str:
        source = module.read_text(encoding="utf-8")

        def replace(match: re.Match) -> str:
            dependency = (module.parent / match.group(1)).resolve()
            if dependency in seen:
                return ""
            if not dependency.is_file():
                raise FileNotFoundError(f"{module.name} imports {match.group(1)}, which is missing")
            seen.add(dependency)
            return f"// ---- {dependency.name}\n" + inline(dependency, is_view=False)

        source = _IMPORT.sub(replace, source)
        if _has_other_import(source):
            raise ValueError(f"{module.name}: only `import {{...}} from \"./x.js\";` lines are "
                             "bundled; other imports would fail in the page")
        return source if is_view else _EXPORT.sub("", source)

    return inline(path, is_view=True)


def _strip_comments(source: str) -> str:
    return re.sub(r"//[^\n]*", "", source)


def _has_other_import(source: str) -> bool:
    return re.search(r"^\s*import[\s{*]", _strip_comments(source), re.MULTILINE) is not None


def _trait(value):
    import traitlets

    # bool before int: True is an int too
    if isinstance(value, bool):
        return traitlets.Bool(value)
    if isinstance(value, int):
        return traitlets.Int(value)
    if isinstance(value, float):
        return traitlets.Float(value)
    if isinstance(value, str):
        return traitlets.Unicode(value)
    raise TypeError(f"an explorer value must be a bool, int, float or str, got "
                    f"{type(value).__name__} ({value!r})")


@functools.cache
def _widget_class(view: str, names: tuple[str, ...], kinds: tuple[type, ...]):
    import anywidget
    import traitlets

    traits = {name: _trait(kind()).tag(sync=True) for name, kind in zip(names, kinds, strict=True)}
    stem = Path(view).stem.title().replace("_", "")
    return type(f"{stem}View", (anywidget.AnyWidget,), {
        "_esm": bundle(view),
        "__module__": __name__,
        # which view this is (the benchmark and the tests open it again without Jupyter)
        "view_file": str(view),
        "data": traitlets.Dict().tag(sync=True),
        **traits,
    })


def explorer_widget(view: str, data: Mapping, **values):
    """The widget of one explorer: its view, its fixed data and its moving values.

    Parameters
    ----------
    view : str
        The view's file name in this folder, e.g. ``"sigmoid.js"``.
    data : mapping
        JSON-serialisable data the view reads as ``model.get("data")``.
    **values : bool, int, float or str
        One synced value per control, e.g. ``net=0.0``; the view reads
        ``model.get("net")`` and listens to ``change:net``.

    Returns
    -------
    anywidget.AnyWidget
    """
    for name in values:
        if not name.isidentifier() or name.startswith("_") or name in ("data", "layout"):
            raise ValueError(f"{name!r} cannot be an explorer value name")
    cls = _widget_class(str(view), tuple(values), tuple(type(v) for v in values.values()))
    return cls(data=dict(data), **values)


def link_controls(widget, controls: Mapping) -> list:
    """Tie each control's ``value`` to the widget value of the same name, in the front end.

    Parameters
    ----------
    widget : anywidget.AnyWidget
        From :func:`explorer_widget`.
    controls : mapping of str to ipywidgets widget
        By value name, e.g. ``{"net": FloatSlider(...)}``.

    Returns
    -------
    list of ipywidgets.Link
        The links (they must be displayed with the controls: they live in the page).
    """
    import ipywidgets

    links = []
    for name, control in controls.items():
        if not widget.has_trait(name):
            raise ValueError(f"the explorer has no value {name!r}; it has "
                             f"{sorted(widget.trait_names(sync=lambda x: x))}")
        control.value = getattr(widget, name)
        links.append(ipywidgets.jslink((control, "value"), (widget, name)))
    return links


def given_readout(value: float, decimals: int) -> str:
    """The slider readout format that writes ``value`` as a view writes a given number.

    A view writes the number a slider holds as given (:func:`backprop.worked.format_given`):
    as it is when it has at most ``decimals`` places, else at ``decimals`` places. The
    readout does the same with this d3-format code (as ipywidgets reads it); the view's
    ``givenReadout`` (``js/format.js``) sets the same codes in the page as the values move.

    >>> given_readout(0.9, 4), given_readout(1.0, 4), given_readout(-0.2608342, 4)
    ('.1f', '.0f', '.4f')
    """
    from backprop.worked import format_given

    return f".{len(format_given(value, decimals).partition('.')[2])}f"


def link_readouts(widget, controls: Mapping) -> list:
    """Tie each control's ``readout_format`` to the widget value ``readout_<name>``, which
    its view sets (``givenReadout``) whenever the control's value changes: the readout then
    writes the number as the view does (0.9, not 0.9000). In the front end, as
    :func:`link_controls`.

    Returns
    -------
    list of ipywidgets.Link
    """
    import ipywidgets

    for name in controls:
        if not widget.has_trait(f"readout_{name}"):
            raise ValueError(f"the explorer has no value 'readout_{name}' for {name!r}'s readout")
    return [ipywidgets.jslink((control, "readout_format"), (widget, f"readout_{name}"))
            for name, control in controls.items()]
