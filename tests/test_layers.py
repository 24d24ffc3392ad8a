"""The Python package's layering: each module imports only from its own tier or the tiers below,
nothing imports upward (not even from inside a function), there is no import circle, and each
module imports on its own, without the package's __init__, pulling in nothing above its tier.
No network, no Go library."""
import ast
import json
import os
import subprocess
import sys

import pytest

import pyjindo

PACKAGE = os.path.dirname(os.path.abspath(pyjindo.__file__))

# Lowest first. A module of a package (pyjindo.models.objects, pyjindo.torch.dcp) is in its
# package's tier; docs/ARCHITECTURE.md ("The Python package") describes the same tiers.
TIERS = [
    # oss2's plain modules and the helpers under them: no Go session, no operation
    ("base", {"_version", "_types", "_ops", "compat", "defaults", "headers", "crc64_combine", "_caseinsensitive",
              "_response", "exceptions", "utils", "_retrylog", "_binding", "_wire", "_completion", "_cipher"}),
    # oss2's data: results, documents, iterators, credentials and auth, checkpoint records
    ("oss2 data", {"models", "xml_utils", "iterators", "credentials", "auth", "http", "resumable",
                   "_unsupported", "crypto"}),
    # the engine: the Go session, get_object's bodies, batches, file objects
    ("engine", {"_session", "_streams", "_batch", "_reader", "_writer"}),
    ("api", {"api", "aio", "crypto_bucket", "_families", "_service_families"}),
    ("front ends", {"fs", "torch"}),
    ("package", {"__init__"}),
]
TIER_OF = {unit: i for i, (_, units) in enumerate(TIERS) for unit in units}


def _modules():
    """{dotted name below pyjindo ("api", "models.objects", "torch", "__init__"): path}"""
    out = {}
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        rel = os.path.relpath(root, PACKAGE)
        prefix = "" if rel == "." else rel.replace(os.sep, ".") + "."
        for f in files:
            if f.endswith(".py"):
                name = f[:-3]
                if name == "__init__" and prefix:
                    out[prefix[:-1]] = os.path.join(root, f)
                else:
                    out[prefix + name] = os.path.join(root, f)
    return out


MODULES = _modules()


def _unit(name):
    """The tier unit of a module: its first component ("models" for "models.objects")."""
    return name.split(".")[0]


def _package_of(name, path):
    """The dotted package (below pyjindo) that relative imports in `name` start from."""
    if path.endswith("__init__.py"):
        return "" if name == "__init__" else name
    return name.rpartition(".")[0]


def _imports(name):
    """Every pyjindo module `name` imports, anywhere in its file (function bodies included), as
    dotted names below pyjindo."""
    path = MODULES[name]
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    package = _package_of(name, path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "pyjindo" or a.name.startswith("pyjindo."):
                    found.add(a.name[len("pyjindo."):] or "__init__")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "pyjindo" or node.module.startswith("pyjindo.")):
                mod = node.module[len("pyjindo."):] if node.module != "pyjindo" else ""
            else:
                continue
            for a in node.names:  # `from . import x` and `from .models import objects` name modules
                sub = (mod + "." if mod else "") + a.name
                found.add(sub if sub in MODULES else (mod or "__init__"))
    found.discard(name)
    return found


def test_every_module_has_a_tier():
    assert sorted({_unit(n) for n in MODULES} - set(TIER_OF)) == []
    assert sorted(set(TIER_OF) - {_unit(n) for n in MODULES}) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down(name):
    """A module imports its own tier or below; the modules of a package (models, torch) import
    within it or below."""
    tier = TIER_OF[_unit(name)]
    upward = sorted(m for m in _imports(name) if TIER_OF[_unit(m)] > tier)
    assert upward == [], "%s (tier %s) imports %s" % (name, TIERS[tier][0], upward)


def test_engine_modules_never_import_the_api_or_the_front_ends():
    engine = [n for n in MODULES if TIER_OF[_unit(n)] <= TIER_OF["_session"]]
    above = {"api", "fs", "torch", "__init__"}
    assert {n: sorted(_unit(m) for m in _imports(n) if _unit(m) in above) for n in engine
            if any(_unit(m) in above for m in _imports(n))} == {}


def test_there_is_no_import_circle():
    graph = {n: {m for m in _imports(n) if m in MODULES} for n in MODULES}
    done, path = set(), []

    def visit(n):
        if n in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(n):] + [n]))
        if n in done:
            return
        path.append(n)
        for m in sorted(graph[n]):
            visit(m)
        path.pop()
        done.add(n)

    for n in sorted(graph):
        visit(n)


# Imports the module in a fresh interpreter without running pyjindo/__init__.py (which imports
# everything, and so would hide a module that works only when something else was imported
# first), then reports which pyjindo modules got loaded.
_ALONE = r"""
import importlib, importlib.util, json, sys, types
spec = importlib.util.find_spec("pyjindo")
pkg = types.ModuleType("pyjindo")
pkg.__path__ = list(spec.submodule_search_locations)
sys.modules["pyjindo"] = pkg
importlib.import_module("pyjindo." + sys.argv[1])
print(json.dumps(sorted(m[len("pyjindo."):] for m in sys.modules if m.startswith("pyjindo."))))
"""


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "__init__"))
def test_module_imports_alone_and_loads_nothing_above_it(name):
    out = subprocess.run([sys.executable, "-c", _ALONE, name], cwd=os.path.dirname(PACKAGE),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    tier = TIER_OF[_unit(name)]
    loaded = json.loads(out.stdout.splitlines()[-1])
    assert sorted(m for m in loaded if TIER_OF[_unit(m)] > tier) == []
