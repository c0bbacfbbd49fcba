from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("category/", views.CategoryIndexView.as_view(), name="category-index"),
    path("category/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("tag/", views.TagIndexView.as_view(), name="tag-index"),
    path("tag/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
