from django.urls import path

from changelog.feeds import CorrectionsAtomFeed, CorrectionsFeed
from changelog.views import CorrectionsView

app_name = "changelog"

urlpatterns = [
    path("corrections/", CorrectionsView.as_view(), name="corrections"),
    path("feeds/corrections/", CorrectionsFeed(), name="feed"),
    path("feeds/corrections/atom/", CorrectionsAtomFeed(), name="feed-atom"),
]
