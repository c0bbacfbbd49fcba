"""The three editorial roles as groups: Author, Medical reviewer, Publisher.

Permissions are normally created after all migrations have run, so they are
created here first; re-running updates each group to the list in
``workflow.roles`` (a later migration can call ``sync_roles`` again when the
list changes).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_APPS = ["articles", "drugs", "taggit", "workflow"]


def sync_roles(apps, schema_editor):
    from workflow.roles import ROLE_PERMISSIONS

    for label in ROLE_APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    from workflow.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("articles", "0004_tag_names_case_insensitive"),
        ("drugs", "0002_workflow_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, remove_roles)]
