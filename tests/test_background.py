"""tests/background.py: what the background pytest runs in."""

from types import SimpleNamespace

from tests import background


def test_every_background_part_runs_in_a_database_and_redis_database_of_its_own(monkeypatch):
    # A child's CKAN app creates the site user in the database it is given when it starts:
    # in this session's database, that raced this session's own tests (a duplicate key in CI).
    monkeypatch.setenv("CKAN_SQLALCHEMY_URL", "postgresql://t@127.0.0.1:1/ckan_test")
    monkeypatch.setenv("CKAN_LANE_TEST_DATABASE_URL", "postgresql://t@127.0.0.1:1/ckan_test_lane")
    monkeypatch.setenv("CKAN_REDIS_URL", "redis://127.0.0.1:2/1")
    for part in (background.PRODUCTION, background.SOCIAL):
        env = part.env()
        assert env["CKAN_SQLALCHEMY_URL"] == "postgresql://t@127.0.0.1:1/ckan_test_lane", part.name
        # Neither this session's Redis database (1) nor that of CKAN's own search tests (2).
        assert env["CKAN_REDIS_URL"] == "redis://127.0.0.1:2/3", part.name


def test_nothing_runs_in_the_background_without_a_database_of_its_own(monkeypatch, request):
    monkeypatch.delenv("CKAN_LANE_TEST_DATABASE_URL", raising=False)
    # Were this test one of the production tests, it would otherwise be swapped for a stand-in.
    monkeypatch.setattr(background.PRODUCTION, "prefixes", (request.node.nodeid,))
    monkeypatch.setattr(background.PRODUCTION, "nodeids", [])
    items = [request.node, SimpleNamespace(nodeid="tests/elsewhere/test_x.py::test_y")]
    assert background.parts(items) == []
    assert items[0] is request.node
