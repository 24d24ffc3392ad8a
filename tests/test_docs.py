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


def _own_api(module):
    """(name, function) of the module's public functions and of its public classes' own public
    methods and properties, plus their __init__ (for hints; a class docstring covers it)."""
    out = [(n, f) for n, f in vars(module).items()
           if not n.startswith("_") and inspect.isfunction(f) and f.__module__ == module.__name__]
    for cname, cls in vars(module).items():
        if cname.startswith("_") or not inspect.isclass(cls) or cls.__module__ != module.__name__:
            continue
        # its own members and those of the private bases beside it (torch's _Factory)
        members = {}
        for klass in reversed(cls.__mro__):
            if klass.__module__ == module.__name__ and (klass is cls or klass.__name__.startswith("_")):
                members.update(vars(klass))
        for name, member in members.items():
            if name.startswith("_") and name != "__init__":
                continue
            if isinstance(member, (classmethod, staticmethod)):
                member = member.__func__
            elif isinstance(member, property):
                member = member.fget
            if inspect.isfunction(member):
                out.append(("%s.%s" % (cname, name), member))
    return out


def _unhinted(func):
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    return [p.name for p in params if p.annotation is p.empty] + (
        ["return"] if sig.return_annotation is sig.empty else [])


def _front_end_modules():
    """The modules beyond Bucket and Service whose public API must be documented and typed; the
    torch ones only where torch is installed (pyjindo.torch imports it)."""
    import pyjindo.crypto
    import pyjindo.crypto_bucket
    import pyjindo.fs
    from pyjindo import credentials, utils
    from pyjindo.models import buckets, common, listing, multipart, objects
    modules = [pyjindo.fs, credentials, exceptions, pyjindo.crypto, pyjindo.crypto_bucket, utils,
               objects, listing, multipart, buckets, common]
    try:
        import torch  # noqa: F401
    except ImportError:
        return modules
    from pyjindo.torch import checkpoint, datasets, dcp
    return modules + [datasets, checkpoint, dcp]


@pytest.mark.parametrize("module", _front_end_modules(), ids=lambda m: m.__name__)
def test_every_public_function_and_method_has_a_docstring_and_type_hints(module):
    """Its own docstring (not one inherited from fsspec, torch or Bucket, which would be wrong for
    it: CryptoBucket's refusals, OSSFile.close) and every parameter and result annotated."""
    undocumented = [n for n, f in _own_api(module) if not n.endswith("__init__") and not (f.__doc__ or "").strip()]
    bare = {n: _unhinted(f) for n, f in _own_api(module) if _unhinted(f)}
    classes = [c.__name__ for c in _classes(module) if not (c.__doc__ or "").strip()]
    assert (undocumented, bare, classes) == ([], {}, [])


def test_every_result_class_constructor_has_type_hints():
    results = [c for c in _classes(models) if issubclass(c, models.RequestResult)]
    assert len(results) > 50
    assert {c.__name__: _unhinted(c.__init__) for c in results if _unhinted(c.__init__)} == {}


def test_ossfile_close_says_it_is_the_one_call_that_publishes():
    from pyjindo.fs import OSSFile
    doc = inspect.getdoc(OSSFile.close)
    for words in ("one call that publishes", "aborted", "nothing is published"):
        assert words in doc, words


def test_crypto_bucket_refusals_say_they_refuse():
    from pyjindo.crypto_bucket import CryptoBucket
    for name in ("append_object", "put_object_with_url", "upload_part_copy", "select_object", "process_object"):
        doc = inspect.getdoc(getattr(CryptoBucket, name))
        assert "Refused" in doc and "ClientError" in doc, name


def test_the_package_says_it_is_typed():
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))
