"""Install tests: the built wheels and sdist (dist/, from `make wheel`; `make test` builds them when
their sources change) installed into fresh virtualenvs, used as a user without Go would use them."""
import pytest

from .venvs import Venv, built, wheel_path


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory):
    """A fresh virtualenv with the x86_64 wheel installed by pip, and no go or C compiler on PATH."""
    v = Venv(tmp_path_factory.mktemp("wheel-venv"))
    v.pip_install(built(wheel_path("x86_64")))
    return v
