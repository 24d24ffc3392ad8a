"""The options and commands jindo takes from ossutil 1.7.19 (--meta, --acl, --tagging,
--encoding-type, set-meta, restore), each run through the real ossutil and through jindo on the
same jindo server, in prefixes of their own; the objects they leave are compared through oss2.

Deliberate differences are not compared here (see the README's CLI table): a copy within OSS
without --meta keeps the source's headers in jindo (ossutil replaces them with none).
"""
import importlib.util
import os
import subprocess

import oss2
import pytest

_spec = importlib.util.spec_from_file_location(
    "_ossutil_build", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server", "test_ossutil.py"))
_ossutil_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ossutil_build)

# The headers both tools may set; Date, request ids and times differ by nature.
COMPARED = ("content-type", "cache-control", "content-disposition", "content-encoding", "expires",
            "x-oss-storage-class", "x-oss-tagging-count")


@pytest.fixture(scope="module")
def ossutil():
    return _ossutil_build._build_ossutil()


@pytest.fixture
def both(srv, ossutil, tmp_path):
    """run(args) runs args through ossutil under prefix u/ and jindo under j/ (P/ in an argument
    is the prefix); answers are fed to both on stdin."""
    def run(*args, stdin=""):
        out = {}
        for who, prefix in (("ossutil", "u/"), ("jindo", "j/")):
            argv = [a.replace("P/", prefix) for a in args]
            if who == "ossutil":
                cmd = [ossutil, argv[0], "-c", str(srv.config)] + argv[1:]
            else:
                cmd = srv.command(*argv)
            out[who] = subprocess.run(cmd, capture_output=True, text=True, input=stdin, timeout=120, cwd=str(tmp_path))
        return out
    return run


def _described(bucket, key):
    h = {k.lower(): v for k, v in bucket.head_object(key).headers.items()}
    meta = {k: v for k, v in h.items() if k.startswith("x-oss-meta-")}
    tags = bucket.get_object_tagging(key).tag_set.tagging_rule
    return {"headers": {k: h.get(k) for k in COMPARED}, "meta": meta, "acl": bucket.get_object_acl(key).acl, "tags": tags}


def _same(srv, key):
    u, j = _described(srv.bucket, "u/" + key), _described(srv.bucket, "j/" + key)
    assert u == j, "ossutil left %r, jindo %r" % (u, j)
    return j


def _ok(done):
    for who, d in done.items():
        assert d.returncode == 0, "%s: %s%s" % (who, d.stdout, d.stderr)


def test_cp_meta_acl_tagging_as_ossutil(srv, both, tmp_path):
    f = tmp_path / "f.txt"
    f.write_bytes(b"hello")
    _ok(both("cp", str(f), "oss://bkt/P/f.txt", "-f", "--acl", "private", "--tagging", "a=1&b=x y",
             "--meta", "Content-Type:text/x-a#Cache-Control:no-cache#X-Oss-Meta-Owner:me#Expires:2030-01-02T03:04:05Z"
             "#Content-Disposition:attachment#X-Oss-Storage-Class:IA"))
    got = _same(srv, "f.txt")
    assert got["meta"] == {"x-oss-meta-owner": "me"} and got["acl"] == "private" and got["tags"] == {"a": "1", "b": "x y"}
    assert got["headers"]["expires"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def test_cp_header_errors_as_ossutil(srv, both, tmp_path):
    f = tmp_path / "f.txt"
    f.write_bytes(b"x")
    for args, message in ((("--acl", "secret"), "invalid acl: secret, please check"),
                          (("--tagging", "a=1&&b"), "tagging value is empty,maybe exist &&"),
                          (("--meta", "Foo:1"), "unsupported header:Foo")):
        done = both("cp", str(f), "oss://bkt/P/bad", "-f", *args)
        for who, d in done.items():
            assert d.returncode != 0 and message in d.stdout + d.stderr, (who, d.stdout, d.stderr)


def test_set_meta_update_delete_replace_as_ossutil(srv, both, tmp_path):
    f = tmp_path / "f.txt"
    f.write_bytes(b"x")
    _ok(both("cp", str(f), "oss://bkt/P/o", "-f", "--acl", "private", "--tagging", "k=v",
             "--meta", "Cache-Control:no-cache#X-Oss-Meta-A:1"))
    _ok(both("set-meta", "oss://bkt/P/o", "X-Oss-Meta-B:2#Content-Type:text/y#x-oss-object-acl:public-read", "--update"))
    assert _same(srv, "o")["meta"] == {"x-oss-meta-a": "1", "x-oss-meta-b": "2"}
    _ok(both("set-meta", "oss://bkt/P/o", "X-Oss-Meta-A#Cache-Control", "--delete"))
    assert _same(srv, "o")["acl"] == "public-read"
    _ok(both("set-meta", "oss://bkt/P/o", "X-Oss-Meta-C:3", stdin="y\n"))
    assert _same(srv, "o")["meta"] == {"x-oss-meta-c": "3"}
    for k in ("r/a.jpg", "r/b.txt", "r/c/d.jpg"):
        # Content-Type given: Go's and ossutil's extension tables differ for .txt (charset)
        _ok(both("cp", str(f), "oss://bkt/P/" + k, "-f", "--meta", "Content-Type:text/plain"))
    done = both("set-meta", "oss://bkt/P/r/", "X-Oss-Meta-R:1", "-r", "-u", "--include", "*.jpg", stdin="y\n")
    _ok(done)
    for d in done.values():
        assert "Succeed: Total 2 objects. Setted meta on 2 objects(skip 0 objects)." in d.stdout
    for k in ("r/a.jpg", "r/b.txt", "r/c/d.jpg"):
        _same(srv, k)


def test_encoding_type_and_restore_as_ossutil(srv, both, tmp_path):
    f = tmp_path / "f"  # no extension: Go's and ossutil's MIME tables differ for .txt
    f.write_bytes(b"x")
    _ok(both("cp", str(f), "oss://bkt/P/%E4%B8%AD%20a%2Bb", "-f", "--encoding-type", "url", "--meta", "X-Oss-Storage-Class:Archive"))
    assert _same(srv, "中 a+b")["headers"]["x-oss-storage-class"] == "Archive"
    done = both("stat", "oss://bkt/P/%E4%B8%AD%20a%2Bb", "--encoding-type", "url")
    _ok(done)
    for d in done.values():
        assert "X-Oss-Storage-Class   : Archive" in d.stdout
    _ok(both("restore", "oss://bkt/P/%E4%B8%AD%20a%2Bb", "--encoding-type", "url"))
    _ok(both("restore", "oss://bkt/P/%E4%B8%AD%20a%2Bb", "--encoding-type", "url"))  # under way: no error
    for p in ("u/", "j/"):
        assert srv.bucket.head_object(p + "中 a+b").headers.get("x-oss-restore") == 'ongoing-request="true"'
    done = both("ls", "oss://b%6Bt", "--encoding-type", "url")
    for who, d in done.items():
        assert d.returncode != 0 and "bucket url do not support --encoding-type option" in d.stdout + d.stderr, who


def test_sync_meta_acl_tagging_as_ossutil(srv, both, tmp_path):
    d = tmp_path / "tree"
    (d / "sub").mkdir(parents=True)
    (d / "a").write_bytes(b"1")  # no extensions: Go's and ossutil's MIME tables differ
    (d / "sub" / "b").write_bytes(b"22")
    _ok(both("sync", str(d), "oss://bkt/P/s/", "-f", "--acl", "public-read", "--tagging", "t=1&u=v w",
             "--meta", "Cache-Control:no-cache#X-Oss-Meta-Team:ops#Content-Disposition:inline#X-Oss-Storage-Class:IA"))
    for key in ("s/a", "s/sub/b"):
        got = _same(srv, key)
        assert got["meta"] == {"x-oss-meta-team": "ops"} and got["acl"] == "public-read" and got["tags"] == {"t": "1", "u": "v w"}
        assert got["headers"]["x-oss-storage-class"] == "IA" and got["headers"]["cache-control"] == "no-cache"
    done = both("sync", "oss://bkt/P/s/", str(tmp_path / "down"), "--acl", "private")
    for who, d in done.items():
        assert d.returncode != 0 and "No need to set ACL for download" in d.stdout + d.stderr, (who, d.stdout, d.stderr)
