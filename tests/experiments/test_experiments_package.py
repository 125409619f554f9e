"""backprop.experiments is one module per chapter, and the package re-exports them all."""

from __future__ import annotations

import importlib

import backprop.experiments as experiments

MODULES = {"practical": "chapter 9", "post002": "chapter 12",
           "practical_figures": "chapter 9", "post002_figures": "chapter 12"}


def test_every_public_name_of_the_computing_modules_is_importable_from_the_package():
    for name in ("practical", "post002"):
        module = importlib.import_module(f"backprop.experiments.{name}")
        for public in module.__all__:
            assert getattr(experiments, public) is getattr(module, public), public
            assert public in experiments.__all__


def test_each_module_names_its_chapter():
    for name, chapter in MODULES.items():
        module = importlib.import_module(f"backprop.experiments.{name}")
        assert chapter in module.__doc__.splitlines()[0], name
