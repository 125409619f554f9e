"""Shared by the exercise tests: a student's answers typed into a handout notebook."""

from __future__ import annotations

import re

from backprop.exercises.notebooks import METADATA_KEY


def fill_answers(notebook: dict, texts: dict[str, str]) -> dict:
    """Replace ``answer_Xy = None`` by ``answer_Xy = <text>`` in the answers cell."""
    for cell in notebook["cells"]:
        if cell["metadata"].get(METADATA_KEY, {}).get("role") == "answers":
            source = "".join(cell["source"])
            for variable, text in texts.items():
                source = re.sub(rf"^{variable} = None", f"{variable} = {text}", source,
                                flags=re.MULTILINE)
            cell["source"] = source
    return notebook
