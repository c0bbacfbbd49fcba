from django.urls import path

from drugs import views

app_name = "drugs"

urlpatterns = [
    path("drugs/", views.DrugIndexView.as_view(), name="index"),
    path("drugs/<slug:slug>/", views.DrugDetailView.as_view(), name="drug"),
]
