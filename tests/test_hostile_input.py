"""Hostile input at every address of the site and the admin.

Every URL pattern the resolver knows is listed in ``URL_MAP`` with the address
to try it at; a pattern added without an entry fails
``test_every_url_pattern_is_in_the_map``. Each address then gets hostile path
arguments and hostile query strings. Whatever arrives, the answer is never a
5xx and never echoes the markup it was sent. How long the answers take is
not asserted here: each walk prints its slowest request, and
``bench/hostile_input.py`` collects those lines.
"""

import logging
import re
import string
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from feedback.models import Feedback
from linkcheck.models import LinkCheck, LinkState
from linkcheck.tasks import schedule_next
from publishing.models import Status
from readability.models import GlossaryTerm
from tests.admin_helpers import add_row, form_data, inline_errors
from tests.factories import (
    make_article,
    make_category,
    make_condition,
    make_drug_class,
    make_image,
    make_interaction,
    make_page,
    make_published_drug,
    make_user,
)
from workflow.models import SlugRedirect, Transition

pytestmark = pytest.mark.django_db

# Every pattern, spelled as the resolver spells it, and the address that reaches it.
# {name} is filled from the objects ``build_site`` makes, or replaced by a hostile value.
URL_MAP = {
    "": "/",
    "articles/<slug:slug>/": "/articles/{article_slug}/",
    "category/": "/category/",
    "category/<slug:slug>/": "/category/{category_slug}/",
    "tag/": "/tag/",
    "tag/<slug:slug>/": "/tag/{tag_slug}/",
    "drugs/": "/drugs/",
    "drugs/<slug:slug>/": "/drugs/{drug_slug}/",
    "drug-classes/": "/drug-classes/",
    "drug-classes/<slug:slug>/": "/drug-classes/{drug_class_slug}/",
    "conditions/": "/conditions/",
    "conditions/<slug:slug>/": "/conditions/{condition_slug}/",
    "<path:slug>/": "/{page_address}/",
    "interactions/": "/interactions/",
    "feeds/latest/": "/feeds/latest/",
    "feeds/latest/atom/": "/feeds/latest/atom/",
    "feeds/category/<slug:slug>/": "/feeds/category/{category_slug}/",
    "feeds/category/<slug:slug>/atom/": "/feeds/category/{category_slug}/atom/",
    "feeds/tag/<slug:slug>/": "/feeds/tag/{tag_slug}/",
    "feeds/tag/<slug:slug>/atom/": "/feeds/tag/{tag_slug}/atom/",
    "search/": "/search/",
    "corrections/": "/corrections/",
    "feeds/corrections/": "/feeds/corrections/",
    "feeds/corrections/atom/": "/feeds/corrections/atom/",
    "feedback/": "/feedback/",
    "robots.txt": "/robots.txt",
    "sitemap.xml": "/sitemap.xml",
    "sitemap-<section>.xml": "/sitemap-{sitemap_section}.xml",
    "healthz": "/healthz",
    "api/v1/": "/api/v1/",
    "api/v1/openapi.json": "/api/v1/openapi.json",
    "api/v1/docs": "/api/v1/docs",
    "api/v1/articles/": "/api/v1/articles/",
    "api/v1/articles/<slug>/": "/api/v1/articles/{article_slug}/",
    "api/v1/categories/": "/api/v1/categories/",
    "api/v1/tags/": "/api/v1/tags/",
    "api/v1/drugs/": "/api/v1/drugs/",
    "api/v1/drugs/<slug>/": "/api/v1/drugs/{drug_slug}/",
    "api/v1/drug-classes/": "/api/v1/drug-classes/",
    "api/v1/conditions/": "/api/v1/conditions/",
    "api/v1/interactions/": "/api/v1/interactions/",
    "api/v1/search/": "/api/v1/search/",
    "api/^(?P<rest>.*)$": "/api/{anything}/",
    "admin/review-queue/": "/admin/review-queue/",
    "admin/link-chooser/": "/admin/link-chooser/",
    "admin/image-chooser/": "/admin/image-chooser/",
    "admin/": "/admin/",
    "admin/login/": "/admin/login/",
    "admin/logout/": "/admin/logout/",
    "admin/password_change/": "/admin/password_change/",
    "admin/password_change/done/": "/admin/password_change/done/",
    "admin/autocomplete/": "/admin/autocomplete/",
    "admin/jsi18n/": "/admin/jsi18n/",
    "admin/r/<path:content_type_id>/<path:object_id>/": "/admin/r/{article_content_type}/{article}/",
    "admin/^(?P<app_label>articles|auth|axes|django_tasks_database|drugs|feedback|images|linkcheck|otp_static|otp_totp|pages|readability|taggit|workflow)/$": (  # noqa: E501
        "/admin/{app_label}/"
    ),
    "admin/(?P<url>.*)$": "/admin/{anything}/",
    "admin/auth/user/<id>/password/": "/admin/auth/user/{user}/password/",
    "admin/account/login/": "/admin/account/login/",
    "admin/account/two_factor/": "/admin/account/two_factor/",
    "admin/account/two_factor/setup/": "/admin/account/two_factor/setup/",
    "admin/account/two_factor/qrcode/": "/admin/account/two_factor/qrcode/",
    "admin/account/two_factor/setup/complete/": "/admin/account/two_factor/setup/complete/",
    "admin/account/two_factor/backup/tokens/": "/admin/account/two_factor/backup/tokens/",
    "admin/account/two_factor/disable/": "/admin/account/two_factor/disable/",
    "admin/otp_totp/totpdevice/<int:pk>/config/": "/admin/otp_totp/totpdevice/{totp_device}/config/",
    "admin/otp_totp/totpdevice/<int:pk>/qrcode/": "/admin/otp_totp/totpdevice/{totp_device}/qrcode/",
    "admin/articles/article/tag-autocomplete/": "/admin/articles/article/tag-autocomplete/",
    "admin/articles/article/<path:object_id>/presence/": "/admin/articles/article/{article}/presence/",
    "admin/articles/article/<path:object_id>/history/compare/": "/admin/articles/article/{article}/history/compare/",
    "admin/articles/article/<path:object_id>/changes/": "/admin/articles/article/{article}/changes/",
    "admin/articles/article/<path:object_id>/move/": "/admin/articles/article/{article}/move/",
    "admin/articles/article/<path:object_id>/changes/preview/": "/admin/articles/article/{article}/changes/preview/",
    "admin/articles/article/^recover/$": "/admin/articles/article/recover/",
    "admin/articles/article/^recover/(\\d+)/$": "/admin/articles/article/recover/{deleted_article_version}/",
    "admin/articles/article/^([^/]+)/history/(\\d+)/$": "/admin/articles/article/{article}/history/{article_version}/",
    "admin/drugs/drug/<path:object_id>/presence/": "/admin/drugs/drug/{drug}/presence/",
    "admin/drugs/drug/<path:object_id>/history/compare/": "/admin/drugs/drug/{drug}/history/compare/",
    "admin/drugs/drug/<path:object_id>/changes/": "/admin/drugs/drug/{drug}/changes/",
    "admin/drugs/drug/<path:object_id>/move/": "/admin/drugs/drug/{drug}/move/",
    "admin/drugs/drug/<path:object_id>/changes/preview/": "/admin/drugs/drug/{drug}/changes/preview/",
    "admin/drugs/drug/^recover/$": "/admin/drugs/drug/recover/",
    "admin/drugs/drug/^recover/(\\d+)/$": "/admin/drugs/drug/recover/{deleted_drug_version}/",
    "admin/drugs/drug/^([^/]+)/history/(\\d+)/$": "/admin/drugs/drug/{drug}/history/{drug_version}/",
    "admin/pages/page/<path:object_id>/presence/": "/admin/pages/page/{page}/presence/",
    "admin/pages/page/<path:object_id>/history/compare/": "/admin/pages/page/{page}/history/compare/",
    "admin/pages/page/<path:object_id>/changes/": "/admin/pages/page/{page}/changes/",
    "admin/pages/page/<path:object_id>/move/": "/admin/pages/page/{page}/move/",
    "admin/pages/page/<path:object_id>/changes/preview/": "/admin/pages/page/{page}/changes/preview/",
    "admin/pages/page/^recover/$": "/admin/pages/page/recover/",
    "admin/pages/page/^recover/(\\d+)/$": "/admin/pages/page/recover/{deleted_page_version}/",
    "admin/pages/page/^([^/]+)/history/(\\d+)/$": "/admin/pages/page/{page}/history/{page_version}/",
}
# Each model admin's standard six pages, with the object that fills them.
MODEL_ADMINS = {
    "auth/group": "group",
    "auth/user": "user",
    "workflow/transition": "transition",
    "workflow/slugredirect": "slug_redirect",
    "articles/article": "article",
    "articles/category": "category",
    "taggit/tag": "tag",
    "drugs/drug": "drug",
    "pages/page": "page",
    "images/image": "image",
    "drugs/drugclass": "drug_class",
    "drugs/condition": "condition",
    "drugs/interaction": "interaction",
    "otp_static/staticdevice": "static_device",
    "otp_totp/totpdevice": "totp_device",
    "axes/accessattempt": "access_attempt",
    "axes/accesslog": "access_log",
    "axes/accessfailurelog": "access_failure_log",
    "linkcheck/linkcheck": "link_check",
    "linkcheck/brokenlink": "broken_link",
    "django_tasks_database/dbtaskresult": "task_result",
    "readability/glossaryterm": "glossary_term",
    "feedback/feedback": "feedback",
}
for _model, _object in MODEL_ADMINS.items():
    URL_MAP[f"admin/{_model}/"] = f"/admin/{_model}/"
    URL_MAP[f"admin/{_model}/add/"] = f"/admin/{_model}/add/"
    for _view in ("history/", "delete/", "change/", ""):
        URL_MAP[f"admin/{_model}/<path:object_id>/{_view}"] = f"/admin/{_model}/{{{_object}}}/{_view}"

# Raw payloads whose unescaped form must never come back in a page.
XSS_MARKERS = ["<script>x", "<svg onload=x", "<img src=x onerror"]
# What the template engine's {% debug %} would print if a payload were ever rendered as a template.
TEMPLATE_LEAK_MARKERS = ["<module '", "module &#x27;", "'csrf_token'"]
HUGE = "9" * 30
LONG = "a" * 100_000
LOG_INJECTION = "%0D%0AINJECTED%1B[31m"

# Hostile values for path arguments, already percent-encoded as a browser would send them.
HOSTILE_SEGMENTS = [
    "abc",
    "-1",
    HUGE,
    "%C3%BC%E6%BC%A2%F0%9F%92%8A",  # unicode: ü漢 and an emoji
    "%ED%A0%80",  # a lone surrogate, as invalid UTF-8
    "x%00y",  # a null byte
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%3Cscript%3Ex%3C%2Fscript%3E",
    "%7B%7B7*7%7D%7D%7B%25%20debug%20%25%7D",
    "1%27%20OR%20%271%27%3D%271",
    LOG_INJECTION,
    "b" * 5000,
]
# Hostile query strings, in three sets by what a page reads. The admin's object pages (change, delete, history,
# revisions) read only the admin's own parameters, and any admin page answers an anonymous visitor with the sign-in
# door before reading anything: they get ``FORM_QUERIES``. Rendering an admin form costs up to a fifth of a second,
# and the walk has to stay quick.
FORM_QUERIES = [
    f"q={LONG}&_changelist_filters={LONG}",
    "_to_field=password&_popup=1&_changelist_filters=%3Cscript%3Ex%3C%2Fscript%3E&next=javascript:alert(1)",
    "q=x%00y&o=%ED%A0%80&_changelist_filters=%00&category=abc&drugs=1,abc&author=-1&published_at=%7B%7B7*7%7D%7D",
    f"category={HUGE}&parent={HUGE}&drug_a=%3Cscript%3Ex&classes=..%2F..&reviewed_by=%22%3E%3Csvg%20onload%3Dx%3E",
]
# Admin lists, autocompletes and the admin's other pages.
LIST_QUERIES = FORM_QUERIES + [
    f"p={HUGE}&q=%3Cscript%3Ex%3C%2Fscript%3E&term=%22%3E%3Csvg%20onload%3Dx%3E",
    "p=-5&o=-id);--&o=99&all=&e=1&_connector=OR&title__regex=.*",
    "o=abc.1.-2&published_at__year=abc&published_at__month=13&status__exact=%3Cscript%3Ex%3C%2Fscript%3E",
    "q=%7B%7B7*7%7D%7D%7B%25%20debug%20%25%7D&old=abc&new=-1",
    f"old={HUGE}&new={HUGE}&app_label=%3Cscript%3Ex&model_name=x&field_name=y&q=%ED%A0%80",
    "q=1%27%20OR%201%3D1--&unknown=1&sort=-id);--",
    "q=x%00y",
    f"q={LONG}",
]
# Reader pages, which read page numbers, searches, letters, drug names and filters from the query string.
PAGE_QUERIES = FORM_QUERIES + [
    "page=abc",
    "page=-1",
    f"page={HUGE}",
    "page=0&page=2&page=x",
    f"p={HUGE}&section=..%2F..",
    "q=%3Cscript%3Ex%3C%2Fscript%3E&drugs=%22%3E%3Csvg%20onload%3Dx%3E&letter=%3Cimg%20src%3Dx%20onerror%3Dx%3E",
    "q=%7B%7B7*7%7D%7D&tag=%7B%25%20debug%20%25%7D&kind=%7B%25%20debug%20%25%7D",
    "q=1%27%20OR%201%3D1--&category=%27%3B%20DROP%20TABLE%20articles_article%3B--",
    "q=x%00y&drug=a%00b&letter=%00&tag=%00&kind=%00",
    "q=%ED%A0%80&drug=%ED%A0%80&letter=%ED%A0%80",
    f"drugs={LONG}&letter={LONG}&tag={LONG}",
    "q=a&q=b&drug=a&drug=a&drug=a&letter=A&letter=B",
    "_connector=OR&sort=-id);--&order=1;--&unknown=1&o=-id",
]
OBJECT_PAGE_ENDINGS = ("/change/", "/delete/", "/history/", "/<path:object_id>/", "(\\d+)/$", "/password/")


@dataclass
class Site:
    """One of everything the addresses need, as the strings that fill ``URL_MAP``."""

    values: dict[str, str] = field(default_factory=dict)
    superuser: object = None


def build_site() -> Site:
    author = make_user(username="site-author")
    superuser = make_user(username="site-root", is_staff=True, is_superuser=True)
    category = make_category(name="Liver health", slug="liver-health")
    drug = make_published_drug(generic_name="azathioprine")
    article = make_article(title="Azathioprine basics", category=category, tags=["Azathioprine"], author=author)
    article.drugs.add(drug)
    deleted_article = make_article(status=Status.DRAFT, author=author)
    deleted_drug = make_published_drug()
    page = make_page(title="Editorial policy", parent=make_page(title="About us", segment="about"), author=author)
    deleted_page = make_page(status=Status.DRAFT, author=author)
    for obj in (article, drug, deleted_article, deleted_drug, page, deleted_page):
        with reversion.create_revision():
            reversion.set_user(superuser)
            obj.save()
    deleted_article.delete()
    deleted_drug.delete()
    deleted_page.delete()
    drug_class = make_drug_class(name="Immunosuppressants")
    condition = make_condition(name="Rheumatoid arthritis")
    article_type = ContentType.objects.get_for_model(article)
    transition = Transition.objects.create(
        content_type=article_type, object_id=article.pk, from_status=Status.DRAFT, to_status=Status.PUBLISHED
    )
    redirect = SlugRedirect.objects.create(content_type=article_type, old_slug="old-basics", object_id=article.pk)
    versions = reversion.models.Version.objects
    access = {"user_agent": "curl", "ip_address": "203.0.113.9", "username": "site-root", "path_info": "/admin/"}
    values = {
        "article": article.pk,
        "article_slug": article.slug,
        "article_content_type": article_type.pk,
        "article_version": versions.get_for_object(article).first().pk,
        "deleted_article_version": versions.get_deleted(type(article)).first().pk,
        "drug": drug.pk,
        "drug_slug": drug.slug,
        "drug_version": versions.get_for_object(drug).first().pk,
        "deleted_drug_version": versions.get_deleted(type(drug)).first().pk,
        "page": page.pk,
        "page_address": page.slug,
        "page_version": versions.get_for_object(page).first().pk,
        "deleted_page_version": versions.get_deleted(type(page)).first().pk,
        "category": category.pk,
        "category_slug": category.slug,
        "tag": article.tags.get().pk,
        "tag_slug": article.tags.get().slug,
        "drug_class": drug_class.pk,
        "image": make_image().pk,
        "drug_class_slug": drug_class.slug,
        "condition": condition.pk,
        "condition_slug": condition.slug,
        "interaction": make_interaction(drug, drug_class=drug_class).pk,
        "group": Group.objects.get(name="Author").pk,
        "user": author.pk,
        "transition": transition.pk,
        "slug_redirect": redirect.pk,
        "glossary_term": GlossaryTerm.objects.create(term="hepatic", plainer="liver").pk,
        "static_device": StaticDevice.objects.create(user=superuser, name="backup").pk,
        "totp_device": TOTPDevice.objects.create(user=superuser, name="phone", confirmed=False).pk,
        "access_attempt": AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1).pk,
        "access_log": AccessLog.objects.create(**access).pk,
        "access_failure_log": AccessFailureLog.objects.create(**access).pk,
        "link_check": LinkCheck.objects.create(url="https://example.org/ok", state=LinkState.OK).pk,
        "broken_link": LinkCheck.objects.create(url="https://example.org/gone", state=LinkState.BROKEN).pk,
        "task_result": schedule_next().id,
        "feedback": Feedback.objects.create(
            page=article, helpful=False, comment="<script>x</script>{{ 7*7 }}", voter="hostile-input"
        ).pk,
        "sitemap_section": "articles",
        "app_label": "articles",
        "anything": "no-such-page",
    }
    return Site(values={name: str(value) for name, value in values.items()}, superuser=superuser)


def resolver_routes(patterns=None, prefix: str = "") -> set[str]:
    """Every pattern of the site, as its full route (``admin/articles/article/<path:object_id>/change/``)."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes |= resolver_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.add(_sorted_app_labels(prefix + str(pattern.pattern)))
    return routes


def _sorted_app_labels(route: str) -> str:
    """The admin's app-list pattern names its apps in registration order; compare them as a set."""
    match = re.search(r"\(\?P<app_label>([^)]*)\)", route)
    if match is None:
        return route
    labels = "|".join(sorted(match.group(1).split("|")))
    return route[: match.start(1)] + labels + route[match.end(1) :]


def is_admin(route: str) -> bool:
    return route.startswith("admin/")


def placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def addresses(site: Site, routes) -> list[str]:
    """Each route's address with good arguments, then with each hostile value in place of each argument."""
    urls = []
    for route in sorted(routes):
        template = URL_MAP[route]
        urls.append(template.format(**site.values))
        for name in placeholders(template):
            for hostile in HOSTILE_SEGMENTS:
                urls.append(template.format(**{**site.values, name: hostile}))
    return urls


def queries_for(route: str, *, signed_in: bool) -> list[str]:
    if not is_admin(route):
        return PAGE_QUERIES
    if not signed_in or route.endswith(OBJECT_PAGE_ENDINGS):
        return FORM_QUERIES
    return LIST_QUERIES


def expected_requests(routes, *, signed_in: bool) -> int:
    per_route = (
        1 + len(placeholders(URL_MAP[route])) * len(HOSTILE_SEGMENTS) + len(queries_for(route, signed_in=signed_in))
        for route in routes
    )
    return sum(per_route)


@dataclass
class Walk:
    sent: int = 0
    problems: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")  # seconds and address, reported, never asserted

    def get(self, client: Client, url: str) -> None:
        response, elapsed = self._timed(client, url)
        self.sent += 1
        shown = url if len(url) < 120 else url[:120] + "…"
        self.slowest = max(self.slowest, (elapsed, shown))
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} for {shown}")
        body = response.content.decode("utf-8", errors="replace")
        for marker in XSS_MARKERS + TEMPLATE_LEAK_MARKERS:
            if marker in body:
                self.problems.append(f"{marker!r} in the answer to {shown}")

    @staticmethod
    def _timed(client: Client, url: str):
        started = time.perf_counter()
        response = client.get(url)
        return response, time.perf_counter() - started


def walk(client: Client, site: Site, routes, *, signed_in: bool) -> Walk:
    seen = Walk()
    base = {route: URL_MAP[route].format(**site.values) for route in routes}
    for url in addresses(site, routes):
        seen.get(client, url)
    for route in sorted(routes):
        for query in queries_for(route, signed_in=signed_in):
            seen.get(client, f"{base[route]}?{query}")
    return seen


@pytest.fixture
def site(db):
    return build_site()


@pytest.fixture
def reader():
    # A 500 must show up as a status code to count, not as an exception that stops the walk.
    return Client(raise_request_exception=False)


def report_slowest(label: str, *walks: Walk) -> None:
    """One line for bench/hostile_input.py, which collects them; speed is measured there, not asserted here."""
    seconds, url = max(walk.slowest for walk in walks)
    print(f"SLOWEST {label}: {seconds * 1000:.0f} ms for {url}")


def test_every_url_pattern_is_in_the_map():
    routes = resolver_routes()
    assert routes - URL_MAP.keys() == set(), "new URL patterns: add them to URL_MAP"
    assert URL_MAP.keys() - routes == set(), "URL_MAP lists patterns that no longer exist"


def test_hostile_input_to_public_pages_as_reader_and_as_superuser(site, reader):
    public = {route for route in URL_MAP if not is_admin(route)}
    anonymous = walk(reader, site, public, signed_in=False)
    reader.force_login(site.superuser)
    staff = walk(reader, site, public, signed_in=True)
    sent = anonymous.sent + staff.sent
    print(f"\nhostile input, public pages: {sent} requests, {len(public)} patterns")
    report_slowest("public pages", anonymous, staff)
    assert sent == 2 * expected_requests(public, signed_in=False) > 1000
    assert anonymous.problems + staff.problems == []


def test_hostile_input_to_admin_pages_as_anonymous(site, reader):
    admin = {route for route in URL_MAP if is_admin(route)}
    seen = walk(reader, site, admin, signed_in=False)
    print(f"\nhostile input, admin pages, anonymous: {seen.sent} requests, {len(admin)} patterns")
    report_slowest("admin pages, anonymous", seen)
    assert seen.sent == expected_requests(admin, signed_in=False) > 1000
    assert seen.problems == []


def test_hostile_input_to_admin_pages_as_superuser(site, reader):
    admin = {route for route in URL_MAP if is_admin(route)}
    reader.force_login(site.superuser)
    seen = walk(reader, site, admin, signed_in=True)
    print(f"\nhostile input, admin pages, superuser: {seen.sent} requests, {len(admin)} patterns")
    report_slowest("admin pages, superuser", seen)
    assert seen.sent == expected_requests(admin, signed_in=True) > 1000
    assert seen.problems == []


def raw_control_characters(records) -> list[str]:
    return [record.getMessage() for record in records if any(c in record.getMessage() for c in "\r\n\x1b")]


@pytest.mark.parametrize("path", ["/articles/x/", "/admin/articles/article/", "/no-such-page/", "/drugs/x/"])
def test_control_characters_in_the_path_reach_the_logs_escaped(site, reader, caplog, path):
    reader.force_login(site.superuser)
    with caplog.at_level(logging.DEBUG):
        for url in (f"{path}{LOG_INJECTION}/", f"{path}{LOG_INJECTION}"):
            assert reader.get(url).status_code < 500
    logged = [record for record in caplog.records if "INJECTED" in record.getMessage()]
    assert logged, "the 404 should be logged, naming the path"
    assert raw_control_characters(logged) == []
    assert "\\r\\nINJECTED\\x1b[31m" in logged[0].getMessage()


def test_the_database_down_warning_escapes_the_path(caplog, monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    reader = Client(raise_request_exception=False)
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    with caplog.at_level(logging.WARNING, logger="ops.middleware"):
        assert reader.get(f"/articles/x{LOG_INJECTION}/").status_code in {404, 503}
        assert reader.get(f"/drugs/{LOG_INJECTION}x/").status_code in {404, 503}
        assert reader.get(f"/search/?q={LOG_INJECTION}").status_code == 503
    logged = [record for record in caplog.records if record.name == "ops.middleware"]
    assert logged
    assert raw_control_characters(logged) == []


def test_a_scheduled_article_is_not_found_however_its_slug_is_written(site, reader):
    scheduled = make_article(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    for slug in (scheduled.slug, scheduled.slug.upper(), f"{scheduled.slug}%00", f"{scheduled.slug}/../"):
        assert reader.get(f"/articles/{slug}/").status_code == 404, slug


def test_add_pages_keep_valid_prefills_and_drop_hostile_ones(site, reader):
    reader.force_login(site.superuser)
    category = make_category(name="Kidney health")
    good = reader.get(f"/admin/articles/article/add/?category={category.pk}&title=Hello&tags=Liver")
    assert good.status_code == 200
    assert good.context["adminform"].form.initial["category"] == category
    assert 'value="Hello"' in good.content.decode()
    for query in ("category=abc", f"drugs=1,{HUGE}", "author=-1", "published_at=x", "parent=%00"):
        for add_page in ("/admin/articles/article/add/", "/admin/articles/category/add/", "/admin/drugs/drug/add/"):
            assert reader.get(f"{add_page}?{query}").status_code == 200, (add_page, query)


@pytest.mark.parametrize(
    "url", ["/search/", "/admin/articles/article/", "/admin/taggit/tag/", "/admin/auth/user/", "/admin/auth/group/"]
)
def test_a_search_of_thousands_of_words_is_answered(site, reader, url):
    reader.force_login(site.superuser)
    started = time.perf_counter()
    response = reader.get(url, {"q": "a " * 30_000})
    assert response.status_code < 500
    print(f"SLOWEST thousands of words at {url}: {(time.perf_counter() - started) * 1000:.0f} ms")


RELATION_BOXES = [
    ("/admin/articles/article/{article}/change/", "category"),
    ("/admin/articles/article/{article}/change/", "author"),
    ("/admin/articles/article/{article}/change/", "drugs"),
    ("/admin/articles/article/add/", "drugs"),
    ("/admin/drugs/drug/{drug}/change/", "classes"),
    ("/admin/drugs/drug/add/", "reviewed_by"),
    ("/admin/articles/category/add/", "parent"),
    ("/admin/drugs/interaction/add/", "drug_a"),
    ("/admin/auth/group/add/", "permissions"),
    ("/admin/auth/user/{user}/change/", "groups"),
]


@pytest.mark.parametrize(("page", "field"), RELATION_BOXES)
@pytest.mark.parametrize("value", ["abc", HUGE, "-1"])
def test_a_posted_relation_that_is_not_a_key_is_a_form_error(site, reader, page, field, value):
    reader.force_login(site.superuser)
    url = page.format(**site.values)
    data = {**form_data(reader, url), field: [value], "name": "Hostile group"}
    response = reader.post(url, data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("page", "prefix", "field"),
    [
        ("/admin/articles/article/{article}/change/", "pinned_links", "target"),
        ("/admin/drugs/drug/{drug}/change/", "uses", "condition"),
        ("/admin/drugs/drug/{drug}/change/", "interactions", "drug_b"),
    ],
)
def test_a_posted_inline_relation_that_is_not_a_key_is_a_form_error(site, reader, page, prefix, field):
    reader.force_login(site.superuser)
    url = page.format(**site.values)
    for value in ("abc", HUGE):
        data = add_row(form_data(reader, url), prefix, **{field: value})
        added_row = inline_errors(reader.post(url, data), prefix)[-1]
        assert "Select a valid choice" in str(added_row[field]), value
