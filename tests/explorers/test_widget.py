"""The explorers' common parts: bundling a view's ES module, the widget, the vendored front end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from backprop.explorers.widget import HERE, bundle, explorer_widget, link_controls

ROOT = Path(__file__).resolve().parents[2]
VIEWS = sorted(p.name for p in HERE.glob("*.js"))


def test_every_explorer_module_has_its_view_and_every_view_bundles_to_one_module(tmp_path):
    assert "sigmoid.js" in VIEWS
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the explorers' views cannot be checked")
    for view in VIEWS:
        source = bundle(view)
        assert "\nimport " not in source and "export default" in source, view
        module = tmp_path / f"{Path(view).stem}.mjs"
        module.write_text(source)
        # Node parses the module (a duplicate name between inlined modules is a SyntaxError)
        result = subprocess.run(["node", "--check", str(module)], capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, f"{view}: {result.stderr}"


def test_bundle_inlines_each_shared_module_once_without_its_exports(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export function a() { return 1; }\n")
    (tmp_path / "js" / "b.js").write_text(
        'import { a } from "./a.js";\nexport const b = () => a() + 1;\n')
    view = tmp_path / "view.js"
    view.write_text('import { a } from "./js/a.js";\nimport { b } from "./js/b.js";\n'
                    "export default { render() { return a() + b(); } };\n")
    source = bundle(view)
    assert source.count("function a()") == 1 and "export function" not in source
    assert "export const" not in source and "export default" in source


def test_bundle_names_a_missing_module_and_refuses_other_imports(tmp_path):
    view = tmp_path / "view.js"
    view.write_text('import { a } from "./js/missing.js";\nexport default {};\n')
    with pytest.raises(FileNotFoundError, match="imports ./js/missing.js, which is missing"):
        bundle(view)
    view.write_text('import * as d3 from "https://cdn.example/d3.js";\nexport default {};\n')
    with pytest.raises(ValueError, match="only `import"):
        bundle(view)
    with pytest.raises(FileNotFoundError, match="no explorer view"):
        bundle("nothing.js")


def test_widget_values_are_synced_traits_and_bad_names_or_types_are_refused():
    import ipywidgets

    widget = explorer_widget("sigmoid.js", data={"a": [1, 2]}, net=0.5)
    assert widget.net == 0.5 and widget.data == {"a": [1, 2]}
    assert widget.trait_metadata("net", "sync") and widget.view_file == "sigmoid.js"
    with pytest.raises(ValueError, match="'w_4,1' cannot be an explorer value name"):
        explorer_widget("sigmoid.js", data={}, **{"w_4,1": 0.1})
    with pytest.raises(TypeError, match="must be a bool, int, float or str, got list"):
        explorer_widget("sigmoid.js", data={}, net=[0.1])
    slider = ipywidgets.FloatSlider()
    with pytest.raises(ValueError, match="the explorer has no value 'eta'"):
        link_controls(widget, {"eta": slider})


def test_the_vendored_front_end_is_the_python_package_version():
    """The static book's anywidget front end (npm) must match the widgets' Python side."""
    stamp = json.loads((ROOT / "assets" / "vendor" / ".versions.json").read_text())
    assert stamp["anywidget"] == f"anywidget@{version('anywidget')}"
    compat = (ROOT / "assets" / "widgets-compat.js").read_text()
    assert 'window.require.paths.anywidget = new URL("vendor/anywidget/dist/index"' in compat
    assert (ROOT / "assets" / "vendor" / "anywidget" / "dist" / "index.js").is_file()


def test_importing_the_package_loads_no_widget_library():
    """The explorers' builders import ipywidgets and anywidget when called, not on import:
    the engine works without the widgets extra and importing it has no side effects."""
    code = ("import sys, backprop, backprop.explorers; "
            "loaded = [m for m in ('ipywidgets', 'anywidget', 'matplotlib.pyplot') "
            "if m in sys.modules]; assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_chapters_embed_the_current_views():
    """The HTML book runs the view embedded in each chapter's saved widget state: a view
    changed without `make execute` would leave the book running the old one."""
    import nbformat

    current = {bundle(view) for view in VIEWS}
    embedded = 0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        state = notebook.metadata.get("widgets", {}).get(
            "application/vnd.jupyter.widget-state+json", {}).get("state", {})
        for model in state.values():
            if model["model_name"] == "AnyModel":
                embedded += 1
                assert model["state"]["_esm"] in current, (
                    f"{path.name} embeds an old explorer view: run `make execute` "
                    "(or tools/execute_notebooks.py on that chapter)")
    assert embedded >= 6  # chapters 4, 7, 9 (two), 10 and 12


def test_a_chapter_saves_widget_state_only_for_the_views_it_shows():
    """Saved widget state is embedded in the chapter's HTML page: state left from an
    explorer the chapter no longer shows would load the widget manager for nothing."""
    import nbformat

    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        saved = bool(notebook.metadata.get("widgets", {}).get(
            "application/vnd.jupyter.widget-state+json", {}).get("state"))
        shown = any("application/vnd.jupyter.widget-view+json" in output.get("data", {})
                    for cell in notebook.cells if cell.cell_type == "code"
                    for output in cell.outputs)
        assert saved == shown, (f"{path.name}: widget state saved: {saved}, widget view "
                                f"shown: {shown} (run tools/execute_notebooks.py on it)")
