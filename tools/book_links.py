"""Sphinx extension: the repository and launch buttons follow from one setting, or do not exist.

Set the public repository where the book is published, either in ``_config.yml``::

    sphinx:
      config:
        course_repository: https://github.com/<owner>/<repo>

or with the environment variable ``COURSE_REPOSITORY`` (which wins). From it follow the
repository button and the Binder and Colab buttons of every chapter. Those buttons open
the *reader notebooks* of this edition (``tools/reader_notebooks.py``), published on the
branch ``course_notebooks_branch`` (default ``reader-notebooks``) under
``<edition>/chapters/`` (README, "Publishing"): never the book's sources, which hold raw
MyST and, in the instructor edition, every solution.

Only the student edition gets launch buttons: the branch is public, so it holds only the
student reader notebooks. Unset (the default), the book has no repository button and no
launch button at all, so it never links to an address that does not exist. Either way,
when the reader notebooks of this edition have been written (``make notebooks``), the
page's download button serves the reader notebook instead of the book's source.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
ENVIRONMENT_VARIABLE = "COURSE_REPOSITORY"
REPOSITORY = re.compile(r"^https://(github\.com|gitlab\.com)/[\w.-]+/[\w.-]+$")
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"


def repository_setting(config) -> str:
    """The repository address: the environment variable, else the Sphinx setting."""
    value = os.environ.get(ENVIRONMENT_VARIABLE) or config.course_repository or ""
    value = value.strip().removesuffix(".git").rstrip("/")
    if value and not REPOSITORY.match(value):
        raise SystemExit(
            f"course_repository / {ENVIRONMENT_VARIABLE} must look like "
            f"https://github.com/<owner>/<repo> (or gitlab.com); got {value!r}")
    return value


def configure_buttons(app, config) -> None:
    options = dict(config.html_theme_options or {})
    repository = repository_setting(config)
    if not repository:
        options.update(use_repository_button=False, launch_buttons={},
                       use_issues_button=False, use_edit_page_button=False)
        options.pop("repository_url", None)
    else:
        options.update(
            repository_url=repository,
            use_repository_button=True,
            repository_branch=config.course_notebooks_branch,
            path_to_docs=f"{config.course_edition}/",
            launch_buttons={"binderhub_url": BINDER, "colab_url": COLAB,
                            "notebook_interface": "jupyterlab"},
        )
        if config.course_edition != "student":
            # The public branch holds the student notebooks only (the instructor edition's
            # would publish every solution), so launching an instructor page would lead
            # nowhere: that edition keeps the repository button and its download buttons.
            options.update(launch_buttons={})
    config.html_theme_options = options


def serve_reader_notebooks(app, exception) -> None:
    """The download button's .ipynb: the reader notebook of this edition, where written."""
    if exception is not None or app.builder.name != "html":
        return
    readers = Path(app.srcdir) / app.config.course_reader_notebooks / app.config.course_edition
    sources = Path(app.outdir) / "_sources"
    for source in sorted(sources.glob("chapters/*.ipynb")):
        reader = readers / source.name
        if reader.is_file():
            shutil.copyfile(reader, source)


def write_root_page(app, exception) -> None:
    """``index.html``: a redirect to the book's first page with a title and a language.

    sphinx-external-toc writes a bare ``<meta http-equiv="Refresh">`` there, a page with
    no title and no language for a screen reader or a search engine (WCAG 2.4.2, 3.1.1).
    Written first (this runs before that extension's handler, which then keeps it).
    """
    if exception is not None or app.builder.name != "html":
        return
    first = f"{app.config.root_doc}.html"
    title = html.escape(app.config.html_title or app.config.project or "The book")
    language = html.escape(app.config.language or "en")
    # the pages' icon (html_favicon, copied to _static), so no request for /favicon.ico
    favicon = Path(app.config.html_favicon or "").name
    icon = f'\n<link rel="icon" href="_static/{html.escape(favicon)}">' if favicon else ""
    (Path(app.outdir) / "index.html").write_text(
        f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={first}">
<link rel="canonical" href="{first}">{icon}
</head>
<body>
<p><a href="{first}">{title}</a></p>
</body>
</html>
""", encoding="utf-8")


def setup(app):
    app.add_config_value("course_repository", "", "html", types=[str])
    app.add_config_value("course_notebooks_branch", "reader-notebooks", "html", types=[str])
    app.add_config_value("course_edition", "instructor", "html", types=[str])
    app.add_config_value("course_reader_notebooks", "_build/reader", "html", types=[str])
    app.connect("config-inited", configure_buttons)
    app.connect("build-finished", serve_reader_notebooks)
    # before sphinx-external-toc's handler (priority 500), which writes a bare redirect
    app.connect("build-finished", write_root_page, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
