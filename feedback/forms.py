from django import forms

from feedback.models import COMMENT_MAX_LENGTH


class FeedbackForm(forms.Form):
    token = forms.CharField(max_length=300)
    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], error_messages={"required": "Choose Yes or No."}
    )
    comment = forms.CharField(max_length=COMMENT_MAX_LENGTH, required=False)
    # The honeypot: hidden from people (CSS and aria-hidden); a bot filling every field fills it too.
    website = forms.CharField(required=False, max_length=300)

    def first_error(self) -> str:
        for field, errors in self.errors.items():
            name = "Comment" if field == "comment" else field.capitalize()
            return errors[0] if field in ("helpful", "__all__") else f"{name}: {errors[0]}"
        return ""
