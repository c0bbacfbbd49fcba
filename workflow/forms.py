"""The admin form behaviour articles and drug pages share: roles, states and the edit lock."""

from django import forms
from django.core.exceptions import ValidationError

from publishing.models import Status
from workflow import roles
from workflow.services import SIGN_OFF_MESSAGE, edit_version_current, review_signs_off

CONFLICT_MESSAGE = (
    "Someone else saved this page after you opened it, so your changes have not been saved. "
    "Your text is kept below; the box above it shows what they changed. Merge the two, then save again."
)
MISSING_VERSION_MESSAGE = (
    "This save did not say which version of the page it started from, so it was not written. "
    "Reload the page and save again."
)
PUBLISHER_ONLY_FIELDS = ["published_at", "author", "reviewed_by", "last_reviewed", "next_review_due"]


class WorkflowForm(forms.ModelForm):
    """Set ``user`` on the class (the admin's ``get_form`` does) before instantiating."""

    user = None

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    transition_comment = forms.CharField(
        label="Note for the log",
        required=False,
        max_length=500,
        help_text="Optional: why you changed the state or what you reviewed. Kept in the workflow log.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.base_version = edit_version_current(self.instance)
        self.fields["edit_version"].initial = self.base_version
        self._limit_states()
        self._lock_publisher_fields()

    def _limit_states(self):
        field = self.fields.get("status")
        if field is None:
            return
        current = self.instance.status or Status.DRAFT
        allowed = {current, *roles.allowed_moves(self.user, self.instance)}
        field.choices = [(value, label) for value, label in Status.choices if value in allowed]

    def _lock_publisher_fields(self):
        if roles.can_publish(self.user, self.instance):
            return
        # What a locked field is for and who fills it, instead of help on typing into it.
        locked_help = {
            "published_at": "Only a publisher sets when readers first see the page.",
            "author": "Only a publisher can hand the page to another author.",
            "reviewed_by": "Filled in when a medical reviewer presses “Mark medically reviewed”.",
            "last_reviewed": "Filled in when a medical reviewer presses “Mark medically reviewed”.",
            "next_review_due": "Set when the page is marked medically reviewed; a publisher can change it.",
        }
        for name in PUBLISHER_ONLY_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.disabled = True
                field.help_text = locked_help.get(name, "Only a publisher can change this.")
                # The admin's date widgets add "Today | Now" and calendar links, which do nothing on a locked box.
                if isinstance(field.widget, forms.SplitDateTimeWidget):
                    field.widget = forms.SplitDateTimeWidget(date_attrs={"size": 10}, time_attrs={"size": 8})
                elif isinstance(field.widget, forms.DateInput):
                    field.widget = forms.DateInput(attrs={"size": 10})
        if "author" in self.fields and self.instance.pk is None:
            self.initial["author"] = self.user.pk

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_edit_version(cleaned.get("edit_version"))
        self._check_sign_off(cleaned)
        return cleaned

    def _check_sign_off(self, cleaned):
        publishing = cleaned.get("status") == Status.PUBLISHED and self.initial.get("status") != Status.PUBLISHED
        if not publishing:
            return

        # clean() runs before the posted values reach the instance: read them here.
        def value(name):
            return cleaned[name] if name in cleaned else getattr(self.instance, name, None)

        reviewer, author = value("reviewed_by"), value("author")
        signed_off = review_signs_off(
            reviewer_id=reviewer.pk if reviewer else None,
            reviewed_on=value("last_reviewed"),
            author_id=author.pk if author else None,
        )
        if not signed_off:
            self.add_error("status", SIGN_OFF_MESSAGE)

    def _check_edit_version(self, posted):
        # The admin's form always sends the number; a change without it would
        # save over whatever is there now, so it is refused like a conflict.
        if posted is None:
            raise ValidationError(MISSING_VERSION_MESSAGE, code="edit_version_missing")
        if posted == self.base_version:
            return
        self.conflict = {"opened_at": posted, "now": self.base_version}
        # Saving the merged text again is a deliberate choice made after seeing
        # the other edit, so the next save is checked against the version now.
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = self.base_version
        self.data = data
        raise ValidationError(CONFLICT_MESSAGE, code="edit_conflict")
