"""RSS 2.0 and Atom feeds of corrections, newest first, each linking to the note on its page."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from changelog.selectors import attach_pages, public_corrections

ITEMS_PER_FEED = 20


class CorrectionsFeed(Feed):
    def title(self):
        return f"{settings.SITE_NAME}: corrections"

    def link(self):
        return reverse("changelog:corrections")

    def description(self):
        return f"Corrections to articles and drug pages on {settings.SITE_NAME}."

    def feed_url(self):
        return reverse("changelog:feed")

    def items(self):
        return attach_pages(public_corrections()[:ITEMS_PER_FEED])

    def item_title(self, item):
        return f"Correction: {item.page_title}"

    def item_description(self, item):
        return escape(item.summary)  # plain text; feed readers read descriptions as HTML

    def item_link(self, item):
        return f"{item.page_url}#change-{item.pk}"

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item):
        return item.created_at


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description

    def feed_url(self):
        return reverse("changelog:feed-atom")
