"""Edit conflicts: what each side changed since the version an editor opened, and how they chose to merge.

A change form carries a signed *seen* token naming the version of the page
its editor has seen (the edit version number) and a fingerprint of each text
field as it was then. When a save finds a newer version, every text field is
compared three ways: the version seen (the base), the saved text (theirs) and
the posted text (yours). A field only one side changed is merged without
asking; a field both changed needs an explicit "keep theirs" or "keep mine".
The conflict page's token names the version shown there and the fields still
to choose, so a second save without choices, or after yet another save, is
refused again instead of writing over the colleague's text.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass

from django.core import signing
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from workflow.diff import as_text

SALT = "workflow.conflicts.seen"
# A conflict page left open over a weekend still resolves; an older one is shown again.
TOKEN_MAX_AGE = 4 * 24 * 60 * 60
OPENED_FIELD = "edit_opened"
RESOLUTION_FIELD = "edit_resolution"
CHOICE_PREFIX = "conflict_choice_"
THEIRS, MINE = "theirs", "mine"

# What happened to a field both sides may have touched.
BOTH, THEIRS_ONLY, YOURS_ONLY = "both", "theirs_only", "yours_only"


@dataclass(frozen=True)
class Seen:
    """The version of a page an editor has seen, each text field's fingerprint then, and fields left to choose."""

    version: int
    fingerprints: dict[str, str]
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    outcome: str
    theirs: str
    yours: str
    theirs_html: SafeString
    yours_html: SafeString
    chosen: str = ""

    @property
    def words_equal(self) -> bool:
        return as_text(self.theirs) == as_text(self.yours)


@dataclass
class Conflict:
    """What the conflict page shows: every changed text field, and the token its next save must carry."""

    changes: list[FieldChange]
    token: str
    message: str
    base_known: bool
    # False on the first conflict page, whose story the box tells already; True when a save was refused again.
    refused_again: bool = False

    @property
    def to_choose(self) -> list[FieldChange]:
        return [change for change in self.changes if change.outcome == BOTH]

    @property
    def merged(self) -> list[FieldChange]:
        return [change for change in self.changes if change.outcome != BOTH]


def text_field_names(form) -> list[str]:
    """The editable fields of a model form that hold text, in form order."""
    model_fields = {field.name: field for field in form._meta.model._meta.get_fields()}
    return [
        name
        for name, form_field in form.fields.items()
        if isinstance(model_fields.get(name), models.CharField | models.TextField) and not form_field.disabled
    ]


def fingerprint(value) -> str:
    """A short hash of a value with its whitespace collapsed: equal text, equal fingerprint."""
    normalised = " ".join(str(value or "").split())
    return hashlib.sha256(normalised.encode()).hexdigest()[:20]


def _identity(obj, user) -> list:
    return [obj._meta.label_lower, str(obj.pk), user.pk if user else None]


def seen_token(*, obj, user, seen: Seen) -> str:
    payload = {
        "who": _identity(obj, user),
        "v": seen.version,
        "f": seen.fingerprints,
        "c": list(seen.pending),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def seen_from_token(token, *, obj, user) -> Seen | None:
    """The ``Seen`` a token names, or None if it is missing, forged, expired, or for another page or editor."""
    if not isinstance(token, str) or not token or len(token) > 20_000:
        return None
    try:
        payload = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("who") != _identity(obj, user):
        return None
    version, fingerprints, pending = payload.get("v"), payload.get("f"), payload.get("c")
    if not (isinstance(version, int) and isinstance(fingerprints, dict) and isinstance(pending, list)):
        return None
    return Seen(version=version, fingerprints=fingerprints, pending=tuple(str(name) for name in pending))


def seen_now(*, obj, version: int, names: list[str]) -> Seen:
    """What an editor sees when opening ``obj`` at ``version`` now."""
    return Seen(version=version, fingerprints={name: fingerprint(getattr(obj, name)) for name in names})


def side_by_side(theirs: str, yours: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, each with the words the other lacks in ``<mark>``."""
    theirs_words, yours_words = re.split(r"(\s+)", theirs), re.split(r"(\s+)", yours)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=theirs_words, b=yours_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape("".join(theirs_words[a1:a2])))
            right.append(escape("".join(yours_words[b1:b2])))
            continue
        left.append(_marked(theirs_words[a1:a2]))
        right.append(_marked(yours_words[b1:b2]))
    return _as_lines(left), _as_lines(right)


def _marked(words: list[str]) -> str:
    # Spaces around the changed words stay outside the mark.
    before, text, after = re.fullmatch(r"(\s*)(.*?)(\s*)", "".join(words), re.DOTALL).groups()
    if not text:
        return escape(before + after)
    return f'{escape(before)}<mark class="workflow-differs">{escape(text)}</mark>{escape(after)}'


_MARK_GAP = re.compile(r'</mark>(\s+)<mark class="workflow-differs">')


def _as_lines(parts: list[str]) -> SafeString:
    # Changed words separated only by spaces read as one marked phrase.
    html = _MARK_GAP.sub(r"\1", "".join(parts))
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308 - every piece escaped above  # nosec B308 B703


def outcome(*, base: str | None, theirs: str, yours: str) -> str:
    """Who changed a field since the base (``None``: the base is unknown, so assume both did)."""
    if base is not None and fingerprint(yours) == base:
        return THEIRS_ONLY
    if base is not None and fingerprint(theirs) == base:
        return YOURS_ONLY
    return BOTH


def changes_between(*, saved, posted: dict, labels: dict[str, str], seen: Seen | None, choices: dict) -> list:
    """Each text field whose saved and posted values differ, with who changed it."""
    changes = []
    for name, label in labels.items():
        theirs, yours = str(getattr(saved, name) or ""), str(posted.get(name) or "")
        if fingerprint(theirs) == fingerprint(yours):
            continue
        base = seen.fingerprints.get(name) if seen else None
        theirs_html, yours_html = side_by_side(as_text(theirs), as_text(yours))
        changes.append(
            FieldChange(
                name=name,
                label=label,
                outcome=outcome(base=base, theirs=theirs, yours=yours),
                theirs=theirs,
                yours=yours,
                theirs_html=theirs_html,
                yours_html=yours_html,
                chosen=choices.get(name, ""),
            )
        )
    return changes


def choices_posted(data, names) -> dict[str, str]:
    """The valid keep-theirs/keep-mine choices in posted ``data`` for ``names``."""
    chosen = {name: data.get(f"{CHOICE_PREFIX}{name}") for name in names}
    return {name: choice for name, choice in chosen.items() if choice in (THEIRS, MINE)}
