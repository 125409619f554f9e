"""Vendor the page assets the built book needs, so it renders with no network.

Usage: python tools/vendor_assets.py [OUT]      (default: assets/vendor)
       python tools/vendor_assets.py --test [OUT]    (default: tests/vendor)

Fetches, with ``npm pack`` from the npm registry, the pinned packages below and
copies the files a page uses into OUT:

- ``mathjax`` 3: the ``tex-chtml`` bundle, its woff-v2 fonts, and the TeX
  extensions, menu and accessibility components it loads on demand;
- ``requirejs``: the AMD loader that loads ``anywidget`` for the widget embedder;
- ``anywidget``: the front end of the explorers' widgets (an AMD module, the same
  file as the Python package's ``nbextension/index.js``), at the version
  requirements.txt pins; ``assets/widgets-compat.js`` maps the module name to it.

and builds, with ``npm ci`` and esbuild, the book's Jupyter widgets embedder from its
source in ``tools/widget_embed`` into ``OUT/widget-embed/embed.js`` (see
:func:`build_widget_embed`): it renders the explorers' saved widget state, in place of
the stock ``@jupyter-widgets/html-manager`` bundle.

``_config.yml`` points Sphinx's ``mathjax_path`` and myst-nb's ``nb_ipywidgets_js``
at these files. The folder is not called ``_static``: Jupyter Book 1 adds every
.js file under a book's ``_static`` to every page. A stamp file records the
versions (and the embedder's source, by :data:`WIDGET_EMBED`), so running it again with
nothing changed does nothing.

With ``--test`` it vendors what only the tests use, into a git-ignored folder that no
book copies (everything under assets/ lands in every built book's ``_static``):

- ``axe-core``: the accessibility rules the browser test runs on every page
  (tests/axe_check.py).
"""

from __future__ import annotations

import hashlib
import json
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
    "requirejs": ("requirejs@2.3.8", ["require.js", "README.md"]),
    "anywidget": ("anywidget@0.11.0", ["dist/index.js", "LICENSE"]),
}
# Used by the tests only: never under assets/, so no built book ships it.
TEST_PACKAGES = {
    "axe-core": ("axe-core@4.14.1", ["axe.min.js", "LICENSE"]),
}
# The widget embedder, built from tools/widget_embed (package.json and package-lock.json pin
# every package it bundles, esbuild included). Its stamp is the digest of that folder
# (:func:`widget_embed_digest`), written here rather than computed: an edited embedder
# changes this file, which is what the Makefile's vendoring target depends on, and the
# editions (tools/make_edition.py copies this file, not the folder) compare the same
# string. tests/test_widget_embed.py fails, naming the new value, when the two differ.
WIDGET_EMBED = "tools/widget_embed sha256:378c004b0fac5832"
EMBED_SOURCE = ROOT / "tools" / "widget_embed"
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
    wanted = {name: spec for name, (spec, _) in packages.items()}
    if packages is PACKAGES:
        wanted["widget-embed"] = WIDGET_EMBED
    return wanted


def widget_embed_digest(folder: Path = EMBED_SOURCE) -> str:
    """The stamp of the embedder's source: a digest of every file in ``folder`` (its path
    and bytes), bar an npm install's ``node_modules``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and "node_modules" not in relative.parts:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"tools/widget_embed sha256:{digest.hexdigest()[:16]}"


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{(result.stderr or result.stdout).strip()}")


def build_widget_embed(target: Path) -> None:
    """Bundle tools/widget_embed into ``target`` (``embed.js``, ``embed.LICENSES.txt``).

    Why not the stock ``@jupyter-widgets/html-manager`` ``embed-amd.js``: it is 2.8 MB,
    689 kB gzipped, and put every explorer page over the 1.5 MB budget (issue 16); the
    book uses ipywidgets 8's base and controls and its own anywidget views, none of the
    HTMLManager's output rendering, schema validation, Font Awesome or ipywidgets 7
    modules. The embedder (``embed.js`` there, with the reasons) is about 600 kB, 166 kB
    gzipped. ``npm ci`` installs exactly the lockfile's packages, with no install
    scripts: esbuild runs from its platform package (x64, arm64, ...), which npm picks.
    """
    if not (EMBED_SOURCE / "package-lock.json").is_file():
        raise SystemExit(f"no widget embedder source in {EMBED_SOURCE}: run "
                         "`python tools/vendor_assets.py` in the repository")
    if widget_embed_digest() != WIDGET_EMBED:
        raise SystemExit(f"tools/widget_embed changed: set WIDGET_EMBED in "
                         f"tools/vendor_assets.py to {widget_embed_digest()!r}")
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary) / "widget_embed"
        shutil.copytree(EMBED_SOURCE, work, ignore=shutil.ignore_patterns("node_modules"))
        run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], work)
        run(["node", "build.mjs", str(target.resolve())], work)


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
    if packages is PACKAGES:
        build_widget_embed(out / "widget-embed")
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
