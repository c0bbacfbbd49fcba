from django.urls import path

from pages import views

app_name = "pages"

# Include last in the root URLconf: every address no other app answers reaches it.
urlpatterns = [
    path("<path:slug>/", views.PageDetailView.as_view(), name="page"),
]
