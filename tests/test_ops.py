"""pyjindo/_ops.py against the Go registry (go/ops): the operation names and argument keys
Python uses are the ones Go has, so a misspelt, missing or unknown key fails here."""
import ast
import os

import pytest

import pyjindo
from pyjindo import _binding, _ops
from pyjindo.exceptions import ClientError

PACKAGE = os.path.dirname(os.path.abspath(pyjindo.__file__))


def _as_dict(shape):
    return {"required": sorted(shape.required), "optional": sorted(shape.optional),
            "nested": {k: _as_dict(v) for k, v in sorted(shape.nested.items())}}


def _go_dict(args):
    return {"required": sorted(args["required"]), "optional": sorted(args["optional"]),
            "nested": {k: _go_dict(v) for k, v in sorted((args.get("nested") or {}).items())}}


def test_the_ops_module_names_every_go_operation_with_its_keys():
    go = _binding.describe_ops()
    session = go.pop("$session")
    assert sorted(_ops.SHAPES) == sorted(go)
    for name, shape in _ops.SHAPES.items():
        assert _as_dict(shape) == _go_dict(go[name]["args"]), name
    assert _as_dict(_ops.SESSION) == _go_dict(session["args"])


def test_each_constant_is_its_operations_name():
    constants = {v for k, v in vars(_ops).items() if k.isupper() and isinstance(v, str)}
    assert constants == set(_ops.SHAPES)


def test_go_refuses_a_missing_required_key():
    session = _binding.new_session({"endpoint": "127.0.0.1:1"})
    try:
        with pytest.raises(ClientError, match='missing "overwrite"'):
            _binding.call(session, _ops.RENAME, {"bucket": "b", "src": "a", "dst": "c"})
        with pytest.raises(ClientError, match='missing "items\\[0\\].key"'):
            _binding.call(session, _ops.HEAD_MANY, {"items": [{"bucket": "b"}]})
    finally:
        session.free()


def _modules():
    for root, _, files in os.walk(PACKAGE):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(root, f)
                with open(path) as src:
                    yield os.path.relpath(path, PACKAGE), ast.parse(src.read())


def _go_calls(tree):
    """(call node, function node) for every Bucket._call(...) and _binding.call(...)."""
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            f = node.func
            if f.attr == "_call" or (f.attr == "call" and isinstance(f.value, ast.Name) and f.value.id == "_binding"):
                yield node, fn


def _literal_keys(d):
    if any(k is None for k in d.keys):  # **spread: keys unknown
        return None
    if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in d.keys):
        return None
    return {k.value for k in d.keys}


def test_every_go_call_names_its_operation_by_constant_and_sends_known_keys():
    seen = set()
    for path, tree in _modules():
        if path in ("_binding.py", "_ops.py"):
            continue
        for call, fn in _go_calls(tree):
            pos = 1 if call.func.attr == "call" else 0  # _binding.call(session, name, args)
            name = call.args[pos]
            where = "%s:%d" % (path, call.lineno)
            if isinstance(name, ast.Name) and name.id == "name" and fn.name == "_call":
                continue  # Bucket._call passes its caller's name on
            assert isinstance(name, ast.Attribute) and isinstance(name.value, ast.Name) and name.value.id == "_ops", \
                "%s: name the operation with a pyjindo._ops constant" % where
            op = getattr(_ops, name.attr)
            seen.add(op)
            shape = _ops.SHAPES[op]
            allowed = shape.required | shape.optional
            args = call.args[pos + 1]
            if isinstance(args, ast.Dict):
                keys = _literal_keys(args)
                if keys is not None:
                    assert keys <= allowed, "%s: %s takes no %s" % (where, op, sorted(keys - allowed))
                    assert shape.required <= keys, "%s: %s needs %s" % (where, op, sorted(shape.required - keys))
            elif isinstance(args, ast.Name):  # built earlier in the function: check what is known
                for node in ast.walk(fn):
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                            isinstance(t, ast.Name) and t.id == args.id for t in node.targets):
                        keys = _literal_keys(node.value) or set()
                        assert keys <= allowed, "%s: %s takes no %s" % (where, op, sorted(keys - allowed))
    assert seen == set(_ops.SHAPES), "operations no Python code calls: %s" % sorted(set(_ops.SHAPES) - seen)


def test_the_session_config_sends_known_keys():
    for path, tree in _modules():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == "_go_config":
                for node in ast.walk(fn):
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                        keys = _literal_keys(node.value)
                        allowed = _ops.SESSION.required | _ops.SESSION.optional
                        assert keys and keys <= allowed, sorted((keys or set()) - allowed)
                return
    pytest.fail("no _go_config found")
