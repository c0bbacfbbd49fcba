from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from two_factor.urls import urlpatterns as two_factor_urls

from images.views import image_chooser_view
from ops.views import healthz
from workflow.link_chooser import link_chooser_view
from workflow.views import review_queue_view

admin.site.site_header = "medsite editorial"
admin.site.site_title = "medsite admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/review-queue/", admin.site.admin_view(review_queue_view), name="review-queue"),
    path("admin/link-chooser/", admin.site.admin_view(link_chooser_view), name="link-chooser"),
    path("admin/image-chooser/", admin.site.admin_view(image_chooser_view), name="image-chooser"),
    # The admin signs in through the two-factor login (its pages live under /admin/account/, never cached).
    path("admin/login/", RedirectView.as_view(pattern_name="two_factor:login", query_string=True)),
    path("admin/", include(two_factor_urls)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("", include("articles.urls")),
    path("", include("drugs.urls")),
    path("", include("changelog.urls")),
    path("feeds/", include("articles.feeds")),
    path("", include("feedback.urls")),
    path("", include("search.urls")),
    # Last: site pages live at the root (/about/editorial-policy/), below every other address space.
    path("", include("pages.urls")),
]
# The development server serves uploaded images (static() adds nothing unless DEBUG is on); nginx does in production.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage caught outside a view still answers a plain 503, never a traceback.
handler500 = "ops.views.server_error"
