from django.urls import include, path
from health import views as health_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", health_views.search, name="search"),
    # Everything else is a page of the tree; the tag pages are a route of the home page.
    path("", include(wagtail_urls)),
]
