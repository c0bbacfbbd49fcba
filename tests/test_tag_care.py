"""Tag care: one tag whatever the case, merge with redirects, rename, unused tags, and aliases."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import cards, counts, tag_publications
from articles.models import Article, TagAlias, TagGroupPublication
from articles.related import refresh_see_also, score_candidates, see_also_for, tag_weights
from articles.tags import tag_merge
from articles.views import tag_and_main
from publishing.models import Status
from tests.factories import make_article, make_role_user
from workflow.roles import PUBLISHER

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def publisher_client(client):
    client.force_login(make_role_user(PUBLISHER))
    return client


def tag(name):
    return Tag.objects.get(name=name)


def alias(alias_name, main_name):
    names = {
        name: Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]
        for name in (alias_name, main_name)
    }
    return TagAlias.objects.create(tag=names[alias_name], main=names[main_name])


def test_tags_ignore_case_on_articles_and_in_the_database():
    first = make_article(tags=["Imuran"])
    second = make_article(tags=["imuran"])
    assert list(first.tags.all()) == list(second.tags.all())
    assert Tag.objects.filter(name__iexact="imuran").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="IMURAN", slug="imuran-2")


def test_the_tag_form_refuses_a_name_that_differs_only_in_case(publisher_client):
    make_article(tags=["Imuran"])
    response = publisher_client.post(reverse("admin:taggit_tag_add"), {"name": "imuran", "slug": "imuran-x"})
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["name"])
    assert not Tag.objects.filter(slug="imuran-x").exists()


def test_merging_keeps_every_tag_once_and_redirects_the_old_tag_url(client, publisher_client):
    both = make_article(tags=["Azathioprine", "Aza"])
    only_old = make_article(tags=["Aza", "Liver"])
    survivor, old = tag("Azathioprine"), tag("Aza")
    response = publisher_client.post(
        CHANGELIST,
        {"action": "merge_tags", "_selected_action": [survivor.pk, old.pk], "survivor": survivor.pk, "confirm": "1"},
    )
    assert response.status_code == 302
    assert not Tag.objects.filter(name="Aza").exists()
    assert sorted(both.tags.names()) == ["Azathioprine"]
    assert sorted(only_old.tags.names()) == ["Azathioprine", "Liver"]
    assert TaggedItem.objects.filter(object_id=both.pk, content_type__model="article").count() == 1
    moved = client.get("/tag/aza/")
    assert moved.status_code == 301 and moved["Location"] == "/tag/azathioprine/"


def test_the_merge_action_first_asks_which_tag_to_keep(publisher_client):
    make_article(tags=["One", "Two"])
    response = publisher_client.post(
        CHANGELIST, {"action": "merge_tags", "_selected_action": [tag("One").pk, tag("Two").pk]}
    )
    assert response.status_code == 200
    assert "Keep which tag?" in response.content.decode()
    assert Tag.objects.filter(name__in=["One", "Two"]).count() == 2


def test_merging_a_tag_carries_its_aliases_and_old_redirects_along():
    make_article(tags=["Azathioprine", "Azathioprin", "Imuran"])
    alias("Imuran", "Azathioprin")
    misspelt = tag("Azathioprin")
    misspelt.slug = "azathioprin-old"
    misspelt.save()
    tag_merge(survivor=tag("Azathioprine"), others=[tag("Azathioprin")])
    assert TagAlias.objects.get(tag__name="Imuran").main == tag("Azathioprine")


def test_merging_into_an_alias_gives_the_merged_tags_aliases_to_its_main_tag():
    make_article(title="Brand", tags=["Imuran"])
    make_article(title="Misspelt", tags=["Imurann"])
    make_article(title="Short", tags=["Aza"])
    alias("Imuran", "Azathioprine")
    alias("Aza", "Imurann")
    tag_merge(survivor=tag("Imuran"), others=[tag("Imurann")])
    assert TagAlias.objects.get(tag__name="Aza").main == tag("Azathioprine")  # never an alias of an alias
    assert not TagAlias.objects.filter(main__alias_of__isnull=False).exists()
    assert group_page_titles("Azathioprine") == ["Short", "Misspelt", "Brand"]


def test_rename_changes_the_name_everywhere_and_redirects_the_old_url(client, publisher_client):
    make_article(tags=["Ibuprofen"])
    old = tag("Ibuprofen")
    response = publisher_client.post(
        reverse("admin:taggit_tag_change", args=[old.pk]),
        {"name": "Ibuprofen (Advil, Motrin)", "slug": "ibuprofen-advil-motrin", **empty_alias_inline()},
    )
    assert response.status_code == 302
    assert client.get("/tag/ibuprofen/")["Location"] == "/tag/ibuprofen-advil-motrin/"
    assert "Ibuprofen (Advil, Motrin)" in client.get("/tag/ibuprofen-advil-motrin/").content.decode()


def empty_alias_inline():
    return {"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000"}  # fmt: skip


def test_unused_tags_are_listed_and_removed_and_leave_autocomplete(publisher_client, editor_client):
    make_article(tags=["Used"])
    Tag.objects.create(name="Orphan", slug="orphan")
    listed = publisher_client.get(CHANGELIST, {"usage": "unused"})
    assert [t.name for t in listed.context["cl"].result_list] == ["Orphan"]
    publisher_client.post(
        CHANGELIST, {"action": "delete_unused", "_selected_action": list(Tag.objects.values_list("pk", flat=True))}
    )
    assert list(Tag.objects.values_list("name", flat=True)) == ["Used"]
    found = editor_client.get(reverse("admin:articles_article_tag_autocomplete"), {"q": "orph"}).json()
    assert found["results"] == []


def test_an_alias_page_lists_the_articles_of_its_main_tag(client):
    generic = make_article(title="Azathioprine explained", tags=["Azathioprine"])
    brand = make_article(title="Taking Imuran", tags=["Imuran"])
    make_article(title="Hidden draft", tags=["Azathioprine"], status=Status.DRAFT)
    alias("Imuran", "Azathioprine")
    for slug in ("imuran", "azathioprine"):
        response = client.get(f"/tag/{slug}/")
        assert response.status_code == 200
        assert {a.title for a in response.context["articles"]} == {generic.title, brand.title}, slug
    assert "another name for" in client.get("/tag/imuran/").content.decode()


def test_the_tag_page_finds_its_tag_group_and_count_as_the_orm_does():
    make_article(tags=["Azathioprine", "Imuran", "Ibuprofen"])
    make_article(tags=["Ibuprofen", "Azathioprine"])
    make_article(tags=["Azathioprine"], status=Status.DRAFT)
    make_article(tags=["Ibuprofen"], published_at=timezone.now() + timedelta(days=1))
    make_article(tags=["Imuran"])  # the group's page counts it, its main tag's number does not
    make_article(tags=["Imuran"], published_at=timezone.now() + timedelta(days=1))
    alias("Imuran", "Azathioprine")
    for slug, main, in_group in (
        ("imuran", "Azathioprine", True),
        ("azathioprine", "Azathioprine", True),
        ("ibuprofen", "Ibuprofen", False),
    ):
        found, found_main, found_group, count = tag_and_main(slug)
        expected = Tag.objects.get(slug=slug)
        assert (found, found.name, found.slug) == (expected, expected.name, expected.slug)
        assert (found_main, found_main.name, found_main.slug) == (tag(main), main, tag(main).slug)
        assert found_group is in_group, slug
        names = [found_main, *Tag.objects.filter(alias_of__main=found_main)]
        assert count == Article.objects.published().filter(tags__in=names).distinct().count(), slug
        assert count == (3 if in_group else 2)
    assert tag_and_main("no-such-tag") is None


def test_an_article_with_both_names_is_listed_once():
    make_article(tags=["Azathioprine", "Imuran"])
    alias("Imuran", "Azathioprine")
    from django.test import Client

    response = Client().get("/tag/imuran/")
    assert response.context["paginator"].count == 1


def group_page_titles(main_name: str) -> list[str]:
    """The titles a group's page lists, checked against the ORM: published articles carrying any of its names,
    each once, newest first. The stored rows must also equal what the articles and aliases give."""
    main = tag(main_name)
    listed = [card.title for card in cards.cards(cards.tag_group_ids(main.pk, offset=0, limit=50))]
    names = [main.pk, *TagAlias.objects.filter(main=main).values_list("tag_id", flat=True)]
    expected = Article.objects.published().filter(tags__in=names).distinct().order_by("-published_at", "-pk")
    assert listed == [article.title for article in expected]
    assert counts.tag_group_public_count(main.pk) == len(listed)
    assert tag_publications.stored_rows() == tag_publications.wanted_rows()
    return listed


def test_a_groups_rows_follow_its_aliases_tags_articles_and_merges():
    hour = timedelta(hours=1)
    brand = make_article(title="Brand", tags=["Imuran"], published_at=timezone.now() - 3 * hour)
    generic = make_article(title="Generic", tags=["Azathioprine"], published_at=timezone.now() - 2 * hour)
    both = make_article(title="Both", tags=["Imuran", "Azathioprine"], published_at=timezone.now() - hour)
    assert not TagGroupPublication.objects.exists()  # no aliases, no groups
    alias("Imuran", "Azathioprine")
    assert group_page_titles("Azathioprine") == ["Both", "Generic", "Brand"]
    both.tags.remove("Imuran")  # still carries the main name
    assert group_page_titles("Azathioprine") == ["Both", "Generic", "Brand"]
    generic.tags.remove("Azathioprine")  # its last name of the group
    assert group_page_titles("Azathioprine") == ["Both", "Brand"]
    generic.tags.add("Ibuprofen")
    brand.status = Status.UNPUBLISHED
    brand.save()
    assert group_page_titles("Azathioprine") == ["Both"]
    brand.status = Status.PUBLISHED
    brand.save()
    alias("Azasan", "Ibuprofen")  # a second group, then its alias moved to the first
    assert group_page_titles("Ibuprofen") == ["Generic"]
    moved = TagAlias.objects.get(tag__name="Azasan")
    moved.main = tag("Azathioprine")
    moved.save()
    make_article(title="Azasan", tags=["Azasan"])
    assert group_page_titles("Azathioprine") == ["Azasan", "Both", "Brand"]
    assert not TagGroupPublication.objects.filter(main=tag("Ibuprofen")).exists()  # no longer a group
    make_article(title="Spelt", tags=["Azathioprin"])
    alias("Aza", "Azathioprin")
    make_article(title="Short", tags=["Aza"], published_at=timezone.now() - 4 * hour)
    tag_merge(survivor=tag("Azathioprine"), others=[tag("Azathioprin")])  # its alias comes along
    assert group_page_titles("Azathioprine") == ["Spelt", "Azasan", "Both", "Brand", "Short"]
    tag("Imuran").delete()
    TagAlias.objects.get(tag__name="Azasan").delete()
    assert group_page_titles("Azathioprine") == ["Spelt", "Both", "Short"]
    both.delete()
    assert group_page_titles("Azathioprine") == ["Spelt", "Short"]
    tag("Azathioprine").delete()
    assert not TagGroupPublication.objects.exists()
    assert tag_publications.stored_rows() == tag_publications.wanted_rows()


def test_see_also_scores_an_alias_as_its_main_tag(commit):
    subject = make_article(tags=["Imuran"])
    generic = make_article(tags=["Azathioprine"])
    make_article(tags=["Unrelated"])
    assert score_candidates(subject) == []
    alias("Imuran", "Azathioprine")
    candidates = score_candidates(subject)
    assert [c.pk for c in candidates] == [generic.pk]
    both = make_article(tags=["Imuran", "Azathioprine"])
    scores = {c.pk: c.score for c in score_candidates(subject)}
    assert scores[both.pk] == pytest.approx(scores[generic.pk])  # two names, one shared tag
    weights = tag_weights([tag("Imuran").pk, tag("Azathioprine").pk])
    assert weights[tag("Imuran").pk] == weights[tag("Azathioprine").pk]
    refresh_see_also(subject)
    assert generic.pk in [link.pk for link in see_also_for(subject)]


def test_tag_pages_keep_their_query_budget_with_aliases(client, django_assert_max_num_queries):
    for i in range(6):
        make_article(tags=["Azathioprine" if i % 2 else "Imuran"])
    alias("Imuran", "Azathioprine")
    client.get("/tag/imuran/")
    with django_assert_max_num_queries(4):
        assert client.get("/tag/imuran/").status_code == 200
