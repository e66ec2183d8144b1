"""Moving the test database between migrations, for the tests of data migrations."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: list[tuple[str, str]]) -> Apps:
    """Apply or unapply migrations until ``target``; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def latest() -> list[tuple[str, str]]:
    """Every app's newest migration. Going back in one app also unapplies the later migrations of
    the apps that depend on it, and the rest of the suite needs all of them forward again."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
