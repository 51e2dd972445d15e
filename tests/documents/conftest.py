# The verification tests issue real acknowledgements: reuse that domain's fixture.
from tests.acknowledgements.conftest import published  # noqa: F401
