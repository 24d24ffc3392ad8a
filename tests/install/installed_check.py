"""A pytest plugin (`-p installed_check`) for suites run against an installed pyjindo: it stops the
run before any test unless pyjindo is imported from the install under test and PATH has no Go or C
compiler, so a pass cannot come from the source tree or from a build on the fly."""
import os
import shutil

import pytest


def pytest_sessionstart(session):
    import pyjindo
    import pyjindo._binding

    prefix = os.environ["PYJINDO_INSTALLED_PREFIX"] + os.sep
    for path in (pyjindo.__file__, pyjindo._binding.LIB_PATH):
        if not os.path.realpath(path).startswith(os.path.realpath(prefix)):
            pytest.exit("pyjindo comes from %s, not from the install under %s" % (path, prefix), returncode=3)
    tools = [t for t in ("go", "cc", "gcc", "clang") if shutil.which(t)]
    if tools:
        pytest.exit("PATH has %s: the install must work without them" % ", ".join(tools), returncode=3)
