import pytest


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="run the long fuzzing and corpus tests at full size")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running; scaled down unless --slow is given")


@pytest.fixture
def slow(request):
    """True when the run asked for the full-size fuzzing (--slow)."""
    return request.config.getoption("--slow")
