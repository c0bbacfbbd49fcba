"""Stored numbers of published articles per tag and per category (``articles.counts``), filled from the rows."""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models


def fill_counts(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Category = apps.get_model("articles", "Category")
    CategoryArticleCount = apps.get_model("articles", "CategoryArticleCount")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Tag = apps.get_model("taggit", "Tag")
    TagArticleCount = apps.get_model("articles", "TagArticleCount")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    published = Article.objects.filter(status="published")
    per_category = Counter(published.values_list("category_id", flat=True).iterator())
    CategoryArticleCount.objects.bulk_create(
        CategoryArticleCount(category_id=pk, articles=per_category[pk])
        for pk in Category.objects.values_list("pk", flat=True)
    )
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    per_tag = Counter()
    if article_type is not None:
        published_ids = set(published.values_list("pk", flat=True).iterator())
        items = TaggedItem.objects.filter(content_type=article_type).values_list("object_id", "tag_id").iterator()
        per_tag.update(tag_id for object_id, tag_id in items if object_id in published_ids)
    TagArticleCount.objects.bulk_create(
        TagArticleCount(tag_id=pk, articles=per_tag[pk]) for pk in Tag.objects.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_tag_names_case_insensitive"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="CategoryArticleCount",
            fields=[
                (
                    "category",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="published_count",
                        serialize=False,
                        to="articles.category",
                    ),
                ),
                ("articles", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "category article count",
                "verbose_name_plural": "category article counts",
                "ordering": ["category__name"],
            },
        ),
        migrations.CreateModel(
            name="TagArticleCount",
            fields=[
                (
                    "tag",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="published_count",
                        serialize=False,
                        to="taggit.tag",
                    ),
                ),
                ("articles", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "tag article count",
                "verbose_name_plural": "tag article counts",
                "ordering": ["tag__name"],
            },
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop),
    ]
