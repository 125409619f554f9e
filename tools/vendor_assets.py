"""Vendor the page assets the built book needs, so it renders with no network.

Usage: python tools/vendor_assets.py [OUT]      (default: assets/vendor)
       python tools/vendor_assets.py --test [OUT]    (default: tests/vendor)

Fetches, with ``npm pack`` from the npm registry, the pinned packages below and
copies the files a page uses into OUT:

- ``mathjax`` 3: the ``tex-chtml`` bundle, its woff-v2 fonts, and the TeX
  extensions, menu and accessibility components it loads on demand;
- ``@jupyter-widgets/html-manager``: ``embed-amd.js``, which renders the embedded
  widget state of the explorers, and the icon fonts it refers to; its modules for
  widgets saved by ipywidgets 7 go to files of their own (:func:`split_widgets_7`);
- ``requirejs``: the AMD loader ``embed-amd.js`` needs;
- ``anywidget``: the front end of the explorers' widgets (an AMD module, the same
  file as the Python package's ``nbextension/index.js``), at the version
  requirements.txt pins; ``assets/widgets-compat.js`` maps the module name to it,
  or the manager would ask a CDN for it.

``_config.yml`` points Sphinx's ``mathjax_path`` and myst-nb's ``nb_ipywidgets_js``
at these files. The folder is not called ``_static``: Jupyter Book 1 adds every
.js file under a book's ``_static`` to every page. A stamp file records the
versions, so running it again with nothing changed does nothing.

With ``--test`` it vendors what only the tests use, into a git-ignored folder that no
book copies (everything under assets/ lands in every built book's ``_static``):

- ``axe-core``: the accessibility rules the browser test runs on every page
  (tests/axe_check.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "mathjax": ("mathjax@3.2.2", [
        "es5/tex-chtml.js",
        "es5/output/chtml/fonts/woff-v2",
        "es5/input/tex/extensions",
        "es5/ui",
        "es5/a11y",
        "LICENSE",
    ]),
    "html-manager": ("@jupyter-widgets/html-manager@1.0.15", [
        "dist/embed-amd.js",
        *(f"dist/*.{font}" for font in ("woff2", "woff", "ttf", "eot", "svg")),
        "package.json",
    ]),
    "requirejs": ("requirejs@2.3.8", ["require.js", "README.md"]),
    "anywidget": ("anywidget@0.11.0", ["dist/index.js", "LICENSE"]),
}
# Used by the tests only: never under assets/, so no built book ships it.
TEST_PACKAGES = {
    "axe-core": ("axe-core@4.14.1", ["axe.min.js", "LICENSE"]),
}
# Files reshaped after copying, named in the stamp so that a folder vendored before the
# reshaping is vendored again.
RESHAPED = {"html-manager": "ipywidgets 7 modules split out"}
STAMP = ".versions.json"
TEST_OUT = ROOT / "tests" / "vendor"


def npm_pack(spec: str, into: Path) -> Path:
    """Download one package tarball with npm and unpack it; returns its package folder."""
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed:\n{result.stderr.strip()}")
    tarball = into / result.stdout.strip().splitlines()[-1]
    unpacked = into / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    return unpacked / "package"


def wanted_versions(packages: dict = PACKAGES) -> dict[str, str]:
    return {name: f"{spec} + {RESHAPED[name]}" if name in RESHAPED else spec
            for name, (spec, _) in packages.items()}


WIDGETS_7 = ("base7", "controls7")
BUNDLE_START = re.compile(r"^/\*! For license information please see (\w+)\.js\.LICENSE\.txt \*/$",
                          re.M)


def split_widgets_7(dist: Path) -> None:
    """Move the ipywidgets 7 modules out of ``embed-amd.js`` into files of their own.

    ``embed-amd.js`` is webpack bundles one after another, each opening with a line
    ``/*! For license information please see <name>.js.LICENSE.txt */`` and defining the
    AMD module ``@jupyter-widgets/<name>``. ``base7`` and ``controls7`` (825 kB of its
    3.6 MB, 229 kB gzipped) serve only widgets saved by ipywidgets 7, which this book has
    none of, yet every explorer page loaded them. As ``dist/base7.js`` and
    ``dist/controls7.js`` they load only if a page asks for them: require.js finds a
    ``@jupyter-widgets/<name>`` module in ``dist/`` (the path assets/widgets-compat.js
    sets).
    """
    bundle = dist / "embed-amd.js"
    text = bundle.read_text(encoding="utf-8")
    starts = [(match.start(), match.group(1)) for match in BUNDLE_START.finditer(text)]
    if not {name for _, name in starts} >= set(WIDGETS_7):
        raise SystemExit(f"{bundle} no longer holds the bundles {WIDGETS_7}: update "
                         "split_widgets_7 in tools/vendor_assets.py")
    kept = [text[:starts[0][0]]]
    for (start, name), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        if name in WIDGETS_7:
            (dist / f"{name}.js").write_text(text[start:end], encoding="utf-8")
        else:
            kept.append(text[start:end])
    bundle.write_text("".join(kept), encoding="utf-8")


def is_current(out: Path, packages: dict = PACKAGES) -> bool:
    """True if ``out`` holds the assets at the pinned versions."""
    stamp = out / STAMP
    try:
        return json.loads(stamp.read_text()) == wanted_versions(packages)
    except (OSError, ValueError):
        return False


def vendor(out: Path, packages: dict = PACKAGES) -> bool:
    """Write the assets into ``out``; False if they were already there at these versions."""
    wanted = wanted_versions(packages)
    if is_current(out, packages):
        return False
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as temporary:
        for name, (spec, paths) in packages.items():
            package = npm_pack(spec, Path(temporary))
            for pattern in paths:
                sources = sorted(package.glob(pattern))
                if not sources:
                    raise SystemExit(f"{spec} has no {pattern}")
                for source in sources:
                    relative = source.relative_to(package)
                    if relative.parts[0] == "es5":  # MathJax's browser build: drop the prefix
                        relative = relative.relative_to("es5")
                    target = out / name / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if source.is_dir():
                        shutil.copytree(source, target)
                    else:
                        shutil.copy2(source, target)
    if "html-manager" in packages:
        split_widgets_7(out / "html-manager" / "dist")
    (out / STAMP).write_text(json.dumps(wanted, indent=2))
    return True


def main(arguments: list[str]) -> int:
    packages, default = PACKAGES, ROOT / "assets" / "vendor"
    if arguments[:1] == ["--test"]:
        packages, default, arguments = TEST_PACKAGES, TEST_OUT, arguments[1:]
    out = Path(arguments[0]) if arguments else default
    changed = vendor(out, packages)
    print(f"vendored assets {'written to' if changed else 'already current in'} {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
