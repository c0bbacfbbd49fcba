"""Driving admin forms as a browser would: read the form a page shows, add inline rows, read back its errors."""

from html.parser import HTMLParser

from django.urls import reverse


class FormFields(HTMLParser):
    """The values a browser would submit for the page's main form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(client, url) -> dict:
    """What the form at ``url`` would post if submitted unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    # Textareas start with a newline Django adds; a browser drops it.
    return {name: value.lstrip("\n") if isinstance(value, str) else value for name, value in data.items()}


def add_row(data, prefix, **fields):
    """Add one row to the inline formset ``prefix`` of posted ``data``, as the "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for field, value in fields.items():
        data[f"{prefix}-{index}-{field}"] = value
    return data


def admin_url(obj, view: str, *args) -> str:
    """The admin page ``view`` (change, history, revision, ...) of ``obj``."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


def change_url(obj) -> str:
    return admin_url(obj, "change")


def errors_of(response) -> str:
    """Every error the admin shows: form, inline forms and inline formsets."""
    assert response.status_code == 200, "the form should be shown again with errors"
    messages = [str(response.context["adminform"].form.errors)]
    for inline in response.context["inline_admin_formsets"]:
        messages.append(str(inline.formset.non_form_errors()))
        messages += [str(form.errors) for form in inline.formset.forms]
    return " ".join(messages)


def inline_errors(response, prefix: str) -> list[dict]:
    """The errors of each form of the inline formset ``prefix`` on a form page shown again."""
    assert response.status_code == 200, "the form should be shown again with errors"
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return [form.errors for form in inline.formset.forms]
    raise AssertionError(f"no inline {prefix!r} on this page")


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def post_action(client, action: str, objects, **extra) -> object:
    """Run the bulk ``action`` on ``objects`` as the list page's form does; answers with the list page it returns to.

    ``extra`` adds fields of an action's confirmation page (``references_checked="yes"``).
    """
    changelist = changelist_url(objects[0])
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    response = client.post(changelist, data, follow=True)
    assert response.redirect_chain == [(changelist, 302)]
    return response


def messages_of(response, *, level: int = 0) -> list[str]:
    """The messages a page shown after a redirect carries, at ``level`` or above, sorted."""
    return sorted(str(message) for message in response.context["messages"] if message.level >= level)
