"""Tags ignore case: fold existing "imuran"/"Imuran" pairs into one, then let the database refuse new ones.

taggit's own table has no such constraint and is not ours to migrate, so
the unique index on lower(name) is created here (it works on SQLite and
PostgreSQL alike). Each duplicate's articles move to the oldest spelling,
keeping every tag an article had exactly once.
"""

from django.db import migrations


def merge_case_duplicates(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    groups = {}
    for tag in Tag.objects.order_by("pk"):
        groups.setdefault(tag.name.casefold(), []).append(tag)
    for keeper, *duplicates in (group for group in groups.values() if len(group) > 1):
        carried = set(TaggedItem.objects.filter(tag=keeper).values_list("content_type_id", "object_id"))
        for item in TaggedItem.objects.filter(tag__in=duplicates).order_by("pk"):
            key = (item.content_type_id, item.object_id)
            if key in carried:
                item.delete()
            else:
                carried.add(key)
                item.tag = keeper
                item.save(update_fields=["tag"])
        Tag.objects.filter(pk__in=[tag.pk for tag in duplicates]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_permissions_tagalias"),
    ]

    operations = [
        migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            "CREATE UNIQUE INDEX taggit_tag_name_ci_unique ON taggit_tag (lower(name))",
            "DROP INDEX taggit_tag_name_ci_unique",
        ),
    ]
