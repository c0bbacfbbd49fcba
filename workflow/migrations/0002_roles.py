"""Formerly created the role groups from a fixed list of permissions.

The roles now follow the installed publishable models: ``workflow.roles``
brings them up to date after every ``migrate`` (``sync_roles_after_migrate``),
so a new content type's permissions join them without a migration here. The
migration stays, empty, so databases that applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = []
