"""Every public method of oss2.Bucket and oss2.Service exists on pyjindo's with oss2's signature;
the ones pyjindo does not implement (pyjindo/_unsupported.py) raise UnsupportedOperation, which
oss2 programs can catch as ClientError (OssError) or NotImplementedError, before sending anything."""
import inspect

import oss2
import pytest

import pyjindo
from pyjindo import _unsupported
from pyjindo.exceptions import UnsupportedOperation

def _public_methods(cls):
    return sorted(n for n, v in inspect.getmembers(cls) if not n.startswith("_") and callable(v))


def _unannotated(f):
    """A signature without its type hints: oss2 has none, pyjindo's names, kinds and defaults must
    be oss2's."""
    sig = inspect.signature(f)
    return sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                       return_annotation=sig.empty)


@pytest.mark.parametrize("cls", ["Bucket", "Service"])
def test_every_oss2_method_exists_with_oss2s_signature(cls):
    theirs, ours = getattr(oss2, cls), getattr(pyjindo, cls)
    missing, different = [], []
    for name in _public_methods(theirs):
        if not hasattr(ours, name):
            missing.append(name)
            continue
        expected, actual = _unannotated(getattr(theirs, name)), _unannotated(getattr(ours, name))
        if expected != actual:
            different.append("%s%s != oss2's %s" % (name, actual, expected))
    assert missing == [] and different == []


def _unsupported_methods():
    for cls, table in ((pyjindo.Bucket, _unsupported.BUCKET), (pyjindo.Service, _unsupported.SERVICE)):
        for family, name, signature in _unsupported.parse(table):
            yield cls, family, name, signature


def _receiver(cls):
    # An endpoint nothing listens on: the call must fail before any request.
    auth = pyjindo.Auth("ak", "sk")
    if cls is pyjindo.Bucket:
        return cls(auth, "127.0.0.1:9", "bkt", connect_timeout=1)
    return cls(auth, "127.0.0.1:9", connect_timeout=1)


@pytest.mark.parametrize("cls,family,name,signature", list(_unsupported_methods()),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_unsupported_method_raises(cls, family, name, signature):
    method = getattr(_receiver(cls), name)
    assert getattr(cls, name).__qualname__ == "%s.%s" % (cls.__name__, name)  # the stub, not a real method
    required = [p for p in list(signature.parameters)[1:] if signature.parameters[p].default is inspect.Parameter.empty]
    with pytest.raises(UnsupportedOperation) as info:
        method(*[None] * len(required))
    e = info.value
    assert isinstance(e, pyjindo.exceptions.ClientError) and isinstance(e, NotImplementedError)
    assert e.operation == "%s.%s" % (cls.__name__, name) and e.family == family and e.status == -1
    assert "pyjindo does not support %s.%s" % (cls.__name__, name) in str(e)
    with pytest.raises(TypeError):
        method(*[None] * (len(signature.parameters) + 1))  # too many arguments: as a real method


def test_install_keeps_implemented_methods():
    class Fake(object):
        def list_live_channel(self, prefix="", marker="", max_keys=100):
            return "real"

    _unsupported.install(Fake, _unsupported.BUCKET)
    assert Fake().list_live_channel() == "real"
    with pytest.raises(UnsupportedOperation):
        Fake().get_live_channel("c")


def test_unsupported_list_is_in_the_readme():
    import os

    # the repository's README (pyjindo may be an installed wheel, without it)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "README.md")
    with open(path, encoding="utf-8") as f:
        readme = f.read()
    for cls, _, name, _ in _unsupported_methods():
        assert "`%s`" % name in readme, "%s.%s is not listed in the README" % (cls.__name__, name)
