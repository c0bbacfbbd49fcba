"""Readable differences between two revisions of an article or drug page.

Rich text is compared as text, block by block, so an editor sees the words
that changed rather than HTML tags. Changes are marked word by word with
``<del>``/``<ins>``; every piece of text is escaped first.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str
    new: str
    html: SafeString


def as_text(value) -> str:
    """A field value as plain text; HTML loses its tags but keeps one line per block."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(item) for item in value))
    text = str(value)
    if "<" in text and ">" in text:
        text = strip_tags(_BLOCK_END.sub(lambda match: match.group(0) + "\n", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old: str, new: str) -> SafeString:
    """``old`` to ``new`` with removed words in ``<del>`` and added words in ``<ins>``."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every piece escaped above  # nosec B308 B703


def compare(old: dict, new: dict, labels: dict[str, str]) -> list[FieldDiff]:
    """The fields that differ between two ``{field: value}`` snapshots, in ``labels`` order."""
    changed = []
    for field, label in labels.items():
        before, after = as_text(old.get(field)), as_text(new.get(field))
        if before != after:
            changed.append(FieldDiff(label=label, old=before, new=after, html=word_diff(before, after)))
    return changed
