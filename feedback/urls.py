from django.urls import path

from feedback.views import submit_feedback

app_name = "feedback"

urlpatterns = [
    path("feedback/", submit_feedback, name="submit"),
]
