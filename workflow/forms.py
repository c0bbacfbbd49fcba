"""The admin form behaviour articles and drug pages share: roles, states and the edit lock."""

from dataclasses import replace

from django import forms
from django.core.exceptions import ValidationError

from workflow import roles
from workflow.conflicts import (
    BOTH,
    OPENED_FIELD,
    RESOLUTION_FIELD,
    THEIRS,
    THEIRS_ONLY,
    Conflict,
    changes_between,
    choices_posted,
    fingerprint,
    seen_from_token,
    seen_now,
    seen_token,
    text_field_names,
)
from workflow.services import edit_version_current

CONFLICT_MESSAGE = (
    "Someone else saved this page after you opened it, so your changes have not been saved. "
    "Your text is kept below; the box above it shows both versions side by side. "
    "Choose which text to keep where you both changed a field, then save again."
)
UNRESOLVED_MESSAGE = (
    "Nothing was saved: choose “Keep theirs” or “Keep mine” for {fields}, then save again. "
    "Saving without choosing would overwrite their changes."
)
NEWER_SAVE_MESSAGE = (
    "Someone saved this page again while you were merging, so nothing was saved. "
    "The box above now compares your text with their latest version."
)
UNREADABLE_MESSAGE = (
    "The merge choices sent with this save could not be checked (the page was open too long, or was altered), "
    "so nothing was saved. Compare again below."
)
MISSING_VERSION_MESSAGE = (
    "This save did not say which version of the page it started from, so it was not written. "
    "Reload the page and save again."
)
PUBLISHER_ONLY_FIELDS = ["published_at", "expires_at", "author", "reviewed_by", "last_reviewed", "next_review_due"]


class WorkflowForm(forms.ModelForm):
    """Set ``user`` on the class (the admin's ``get_form`` does) before instantiating."""

    user = None
    # Set by the admin when the pressed move was refused: the form then shows why and saves nothing.
    refusal = None

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    transition_comment = forms.CharField(
        label="Note for the log",
        required=False,
        max_length=500,
        help_text="Optional: why you changed the state or what you reviewed. Kept in the workflow log.",
    )

    references_checked = forms.BooleanField(
        label="I re-checked this page's references",
        required=False,
        help_text="Needed to sign the page off: each source still supports the text, and none is broken or out of "
        "date (problems the link checker found are listed at the top of the form).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.base_version = edit_version_current(self.instance)
        self.fields["edit_version"].initial = self.base_version
        # The state moves only by the workflow's buttons, never as a form field.
        self.fields.pop("status", None)
        self._lock_publisher_fields()

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
        if self.refusal:
            raise ValidationError(self.refusal, code="move_refused")
        if self.instance.pk is not None:
            self._check_edit_version(cleaned.get("edit_version"))
        return cleaned

    @property
    def opened_token(self) -> str:
        """The signed version this form was opened at; a form shown again keeps the one it was posted with."""
        if self.instance.pk is None:
            return ""
        posted = self.data.get(OPENED_FIELD) if self.is_bound else None
        if posted and seen_from_token(posted, obj=self.instance, user=self.user):
            return posted
        seen = seen_now(obj=self.instance, version=self.base_version, names=text_field_names(self))
        return seen_token(obj=self.instance, user=self.user, seen=seen)

    def _check_edit_version(self, posted):
        # The admin's form always sends the number; a change without it would
        # save over whatever is there now, so it is refused like a conflict.
        if posted is None:
            raise ValidationError(MISSING_VERSION_MESSAGE, code="edit_version_missing")
        if posted == self.base_version:
            return
        # A stale edit_version passes only with a resolution from a conflict page
        # showing the version saved now, with a choice for every field both changed.
        token = self.data.get(RESOLUTION_FIELD)
        resolution = seen_from_token(token, obj=self.instance, user=self.user)
        saved = type(self.instance)._base_manager.get(pk=self.instance.pk)
        choices = choices_posted(self.data, resolution.pending) if resolution else {}
        if resolution:
            self._take_theirs(saved, self._still_theirs(saved, resolution, choices))
        missing = [name for name in resolution.pending if name not in choices] if resolution else []
        if resolution and resolution.version == self.base_version:
            if not missing:
                self.cleaned_data["edit_version"] = self.base_version
                return
            message = UNRESOLVED_MESSAGE.format(fields=", ".join(self._label(name) for name in missing))
        elif resolution:
            message = NEWER_SAVE_MESSAGE
        else:
            message = UNREADABLE_MESSAGE if token else CONFLICT_MESSAGE
        base = self._base(resolution, missing)
        if resolution and resolution.version != self.base_version:
            choices = {}  # their text has changed again: ask afresh
        self.conflict = self._conflict(saved, base, message, choices)
        raise ValidationError(message, code="edit_conflict")

    def _base(self, resolution, unresolved):
        """The version to compare against: the one the conflict page showed, else the one the form was opened at.

        A field left without a choice on the conflict page was changed by both
        sides, whatever it looks like now, so it keeps no base and is asked again.
        """
        if resolution is None:
            return seen_from_token(self.data.get(OPENED_FIELD), obj=self.instance, user=self.user)
        kept = {name: value for name, value in resolution.fingerprints.items() if name not in unresolved}
        return replace(resolution, fingerprints=kept)

    def _still_theirs(self, saved, resolution, choices) -> list[str]:
        """Fields where "keep theirs" was chosen and their text is still the one the editor saw."""
        return [
            name
            for name, choice in choices.items()
            if choice == THEIRS and fingerprint(getattr(saved, name, "")) == resolution.fingerprints.get(name)
        ]

    def _take_theirs(self, saved, names):
        data = self.data.copy()
        for name in names:
            value = getattr(saved, name)
            data[self.add_prefix(name)] = value or ""
            if name in self.cleaned_data:
                self.cleaned_data[name] = value
        self.data = data

    def _label(self, name) -> str:
        return str(self.fields[name].label or name)

    def _conflict(self, saved, base, message, choices) -> Conflict:
        """Compare saved and posted text, merge what only they changed into the form, sign what was shown."""
        names = text_field_names(self)
        posted = {name: self.data.get(self.add_prefix(name), "") for name in names}
        labels = {name: self._label(name) for name in names}
        changes = changes_between(saved=saved, posted=posted, labels=labels, seen=base, choices=choices)
        self._take_theirs(saved, [change.name for change in changes if change.outcome == THEIRS_ONLY])
        pending = tuple(change.name for change in changes if change.outcome == BOTH)
        shown = replace(seen_now(obj=saved, version=self.base_version, names=names), pending=pending)
        token = seen_token(obj=saved, user=self.user, seen=shown)
        return Conflict(
            changes=changes,
            token=token,
            message=message,
            base_known=base is not None,
            refused_again=message != CONFLICT_MESSAGE,
        )
