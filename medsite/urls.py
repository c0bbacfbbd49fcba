from django.contrib import admin
from django.urls import include, path

from ops.views import healthz
from workflow.views import review_queue_view

admin.site.site_header = "medsite editorial"
admin.site.site_title = "medsite admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/review-queue/", admin.site.admin_view(review_queue_view), name="review-queue"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
    path("", include("drugs.urls")),
    path("feeds/", include("articles.feeds")),
    path("", include("search.urls")),
]

# A database outage caught outside a view still answers a plain 503, never a traceback.
handler500 = "ops.views.server_error"
