from django.urls import path

from drugs import views

app_name = "drugs"

urlpatterns = [
    path("drugs/", views.DrugIndexView.as_view(), name="index"),
    path("drugs/<slug:slug>/", views.DrugDetailView.as_view(), name="drug"),
    path("drug-classes/", views.DrugClassIndexView.as_view(), name="class-index"),
    path("drug-classes/<slug:slug>/", views.DrugClassDetailView.as_view(), name="class"),
    path("conditions/", views.ConditionIndexView.as_view(), name="condition-index"),
    path("conditions/<slug:slug>/", views.ConditionDetailView.as_view(), name="condition"),
    path("interactions/", views.interaction_checker, name="interactions"),
]
