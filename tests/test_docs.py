"""Documentation where Python users look: help() on the oss2 surface says what
each call does, and the public API carries type hints that ship with the package (py.typed).
No network, no Go library."""
import inspect
import os

import pytest

import pyjindo
from pyjindo import auth, exceptions, iterators, models

PACKAGE = os.path.dirname(os.path.abspath(pyjindo.__file__))


def _public_methods(cls):
    return sorted(n for n, v in inspect.getmembers(cls) if not n.startswith("_") and callable(v))


def _implemented(cls, name):
    """A method written in pyjindo.api (or its families), not one of _unsupported's stubs."""
    return getattr(cls, name).__module__ in ("pyjindo.api", "pyjindo._families", "pyjindo._service_families")


def _classes(module):
    """The module's own public classes; for a package (models), those of its modules too."""
    return [c for n, c in vars(module).items()
            if inspect.isclass(c) and not n.startswith("_")
            and (c.__module__ == module.__name__ or c.__module__.startswith(module.__name__ + "."))]


@pytest.mark.parametrize("cls", [pyjindo.Bucket, pyjindo.Service], ids=lambda c: c.__name__)
def test_every_public_method_has_a_docstring_of_its_own(cls):
    undocumented = [n for n in _public_methods(cls) if not (getattr(cls, n).__doc__ or "").strip()]
    assert undocumented == []


@pytest.mark.parametrize("cls", [pyjindo.Bucket, pyjindo.Service], ids=lambda c: c.__name__)
def test_every_implemented_method_has_type_hints(cls):
    """Every parameter but self, and the result, of each method pyjindo implements is annotated."""
    bare = []
    for name in [n for n in _public_methods(cls) if _implemented(cls, n)] + ["__init__"]:
        sig = inspect.signature(getattr(cls, name))
        params = [p for p in list(sig.parameters.values())[1:] if p.annotation is p.empty]
        if params or sig.return_annotation is sig.empty:
            bare.append(name)
    assert bare == []


@pytest.mark.parametrize("module", [models, exceptions, iterators, auth], ids=lambda m: m.__name__)
def test_every_public_class_has_a_docstring(module):
    assert [c.__name__ for c in _classes(module) if not (c.__doc__ or "").strip()] == []


def test_get_object_help_says_what_differs_from_oss2_and_what_it_raises():
    doc = inspect.getdoc(pyjindo.Bucket.get_object)
    for words in ("Differs from oss2", "ranged parts", "ETag", "Returns:", "Raises:", "NoSuchKey",
                  "InconsistentError", "byte_range"):
        assert words in doc, words


@pytest.mark.parametrize("name,words", [
    ("put_object", ["multipart_threshold", "Multipart", "retried"]),
    ("get_object_to_file", ["partial", "O_TMPFILE"]),
    ("append_object", ["Never retried"]),
    ("create_live_channel", ["not supported by pyjindo", "UnsupportedOperation"]),
])
def test_help_names_the_differences(name, words):
    doc = inspect.getdoc(getattr(pyjindo.Bucket, name))
    for w in words:
        assert w in doc, (name, w)


def test_the_package_says_it_is_typed():
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))
