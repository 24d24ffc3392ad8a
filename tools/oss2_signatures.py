"""How much of oss2's API pyjindo has with identical signatures: public methods of Bucket and
Service (inspect.signature compared) and oss2.models' classes. Run with both packages importable:
    PYTHONPATH=. .venv/bin/python tools/oss2_signatures.py [-v]
"""
import inspect
import sys

import oss2
import oss2.models

import pyjindo
import pyjindo.models


def unannotated(f):
    """f's signature without type hints (oss2 has none; pyjindo's are extra)."""
    sig = inspect.signature(f)
    return sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                       return_annotation=sig.empty)


def methods(cls):
    return sorted(n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n)))


def compare_class(name):
    """(identical, different, missing) method names of oss2.<name> in pyjindo.<name>."""
    theirs, ours = getattr(oss2, name), getattr(pyjindo, name)
    identical, different, missing = [], [], []
    for n in methods(theirs):
        if not hasattr(ours, n):
            missing.append(n)
        elif unannotated(getattr(theirs, n)) == unannotated(getattr(ours, n)):
            identical.append(n)
        else:
            different.append(n)
    return identical, different, missing


def main(verbose):
    for name in ("Bucket", "Service"):
        identical, different, missing = compare_class(name)
        total = len(identical) + len(different) + len(missing)
        print("%s: %d of %d identical; different: %s" % (name, len(identical), total, different or "none"))
        if verbose:
            print("  missing:", " ".join(missing))
    models = [n for n, c in vars(oss2.models).items() if inspect.isclass(c) and c.__module__ == "oss2.models"]
    print("models: %d of %d classes" % (sum(hasattr(pyjindo.models, n) for n in models), len(models)))


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
