import pytest

from tests.directory_server import running_slapd


@pytest.fixture(scope="session")
def directory_url(tmp_path_factory):
    """A real slapd for the whole run (started once, on a free loopback port)."""
    with running_slapd(tmp_path_factory.mktemp("slapd")) as url:
        yield url
