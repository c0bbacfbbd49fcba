from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "medsite editorial"
admin.site.site_title = "medsite admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("drugs.urls")),
]
