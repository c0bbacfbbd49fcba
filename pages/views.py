import re

from django.http import Http404
from django.views.generic import DetailView

from images.embed import body_images
from pages.models import MAX_ADDRESS_LENGTH, MAX_DEPTH, SEGMENT_PATTERN, Page
from publishing.views import PreviewableMixin
from workflow.views import MovedOrGoneMixin

ADDRESS = re.compile(rf"{SEGMENT_PATTERN}(?:/{SEGMENT_PATTERN}){{0,{MAX_DEPTH - 1}}}")


def is_page_address(address: str) -> bool:
    """Whether ``address`` could be a page's: anything else is a 404 without a query."""
    return len(address) <= MAX_ADDRESS_LENGTH and ADDRESS.fullmatch(address) is not None


class PageDetailView(MovedOrGoneMixin, PreviewableMixin, DetailView):
    """A site page at its address below the root (``/about/editorial-policy/``): one lookup by stored address.

    The URL pattern is the last of the site, so an address nothing else
    answers ends here, and one that is no page's answers the usual 404.
    """

    model = Page
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get(self, request, *args, **kwargs):
        if not is_page_address(kwargs["slug"]):
            raise Http404("No page has this address.")
        return super().get(request, *args, **kwargs)

    def moved_or_gone_queryset(self):
        return Page.objects.only("pk", "slug", "status", "published_at", "expires_at")

    def base_queryset(self):
        return Page.objects.select_related("author", "reviewed_by__reviewer_profile").with_featured_image()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.object
        parts = page.slug.split("/")
        above = ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        ancestors = {}
        if above:
            found = Page.objects.published().filter(slug__in=above).only("title", "slug")
            ancestors = {ancestor.slug: ancestor for ancestor in found}
        trail = [
            (ancestors[address].title, ancestors[address].get_absolute_url())
            for address in above
            if address in ancestors
        ]
        context["breadcrumbs"] = [*trail, (page.title, None)]
        context["ancestors"] = list(ancestors.values())
        context["subpages"] = list(
            Page.objects.published().filter(parent_id=page.pk).only("title", "slug", "summary", "position")
        )
        # As on articles: found by their numbers (none without images), and in the context for the page cache.
        context["body_images"] = body_images(page.body)
        context["is_preview"] = not page.is_public
        return context
