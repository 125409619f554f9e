"""The numbers a chapter pastes into its prose with ``{glue:text}`` roles, and the one
rule they follow: fixed decimals for anything rounded.

A reader cannot tell the precision of "0.47"; "0.4700" says four places (issue 15). So a
role that shows a rounded number formats it with fixed places (``.4f``, ``,.0f``, or
``.2e`` for a mantissa), and a number shown without them (``:g``, or no spec) must be
shown exactly: a given number (0.2, an input, eta), a count, or a text the chapter
wrote on purpose (the lecture's printed "0.235"). The text a role shows is what myst-nb
shows: the glued value's ``text/plain``, formatted with the role's spec.

Used by tests/test_fixed_decimals.py (every role of every chapter, from the committed
notebooks) and tests/test_built_book.py (every pasted number of the built pages).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::([^`]*))?`")
FIXED_SPEC = re.compile(r",?\.(\d+)[fe]")
NUMBER_TEXT = re.compile(r"-?[\d,]*\d(\.\d+)?(e[-+]?\d+)?")


@dataclass(frozen=True)
class Role:
    key: str
    spec: str
    value: object  # the glued value (float, int, str) or None when not glued
    shown: str  # the text the page shows

    def problem(self) -> str | None:
        """Why this role breaks the rule, or None."""
        if not isinstance(self.value, float) or isinstance(self.value, bool):
            return None  # an integer, or a text the chapter formatted itself
        fixed = FIXED_SPEC.fullmatch(self.spec)
        if fixed:
            mantissa = self.shown.split("e")[0]
            decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
            if decimals != int(fixed.group(1)):
                return f"{{glue:text}}`{self.key}:{self.spec}` shows {self.shown}"
            return None
        try:
            shown = float(self.shown.replace(",", ""))
        except ValueError:
            return f"{{glue:text}}`{self.key}:{self.spec}` shows {self.shown!r}, not a number"
        if abs(shown - self.value) > 1e-12 * max(1.0, abs(self.value)):
            return (f"{{glue:text}}`{self.key}:{self.spec}` rounds {self.value!r} to "
                    f"{self.shown} and hides its precision: use a fixed-point spec (.Nf)")
        return None


def glued_values(notebook: dict) -> dict[str, object]:
    """Every value a notebook glues (its ``text/plain``, evaluated), by key."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            for mime, text in output.get("data", {}).items():
                if name and mime.endswith("text/plain"):
                    text = "".join(text) if isinstance(text, list) else text
                    try:
                        values[name] = ast.literal_eval(text)
                    except (ValueError, SyntaxError):
                        values[name] = text
    return values


def shown_text(value: object, spec: str) -> str:
    """What myst-nb's ``{glue:text}`` shows for a glued value and a spec."""
    if isinstance(value, str):
        return value
    return format(value, spec) if spec else str(value)


def roles(notebook: dict) -> list[Role]:
    """Every ``{glue:text}`` role of the notebook's Markdown cells, in order."""
    values = glued_values(notebook)
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for key, spec in ROLE.findall("".join(cell["source"])):
                value = values.get(key)
                found.append(Role(key, spec, value,
                                  shown_text(value, spec) if value is not None else ""))
    return found
