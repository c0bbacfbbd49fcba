"""The site's own pages: "About us", "Editorial policy", "Privacy", in a tree served at the site root.

A page is publishable content like an article (states, medical sign-off,
revisions, pending changes, preview) and sits in a tree: ``parent`` and
``segment`` make its address, ``/about/editorial-policy/``.

The whole address below the root is stored in ``slug`` ("about/editorial-policy"),
derived on every save from the parent's address and the page's own segment.
Storing it is what lets the core's slug machinery work on pages unchanged:
a reader's address is one indexed lookup however deep the page sits, a
rename leaves a redirect from the old address (``workflow.signals``, for the
page and, as each is saved again, for every page below it), a withdrawn page
answers 410, and search rows and sitemaps carry the address as they carry an
article's slug.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from publishing.html import sanitize_html
from publishing.models import EDITOR_EXTENSIONS, Publishable, PublishableQuerySet

# The address column of SlugRedirect and SearchEntry holds this much.
MAX_ADDRESS_LENGTH = 200
MAX_DEPTH = 4
SEGMENT_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
segment_validator = RegexValidator(
    rf"^{SEGMENT_PATTERN}$",
    "Use lower-case letters, digits and single hyphens only, for example “editorial-policy”.",
)


class PageQuerySet(PublishableQuerySet):
    pass


class Page(Publishable):
    title = models.CharField(max_length=200)
    segment = models.SlugField(
        "slug",
        max_length=80,
        validators=[segment_validator],
        help_text="The last part of the address: /about/this-slug/. Lower-case letters, digits and hyphens.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Optional: the page this one sits under, which puts it at /parent-slug/this-slug/.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among the pages with the same parent: lower numbers first."
    )
    slug = models.CharField(
        "address",
        max_length=MAX_ADDRESS_LENGTH,
        unique=True,
        editable=False,
        help_text="The whole address below the site root, made from the parents' slugs and this page's.",
    )
    summary = models.TextField(
        max_length=500,
        help_text="One or two plain sentences. Shown under the title, in search results and to search engines.",
    )
    body = ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html, blank=True)
    show_in_header = models.BooleanField(
        "show in the header", default=False, help_text="Link this page from the navigation at the top of every page."
    )
    show_in_footer = models.BooleanField(
        "show in the footer", default=False, help_text="Link this page from the footer of every page."
    )
    nav_label = models.CharField(
        "navigation label",
        max_length=40,
        blank=True,
        help_text="Optional: a shorter name for the header and footer links. Leave empty to use the title.",
    )
    nav_order = models.PositiveSmallIntegerField(
        "navigation order", default=0, help_text="Order of the header and footer links: lower numbers first."
    )

    objects = PageQuerySet.as_manager()

    # Where a page sits and how it is linked is not clinical text: publishers may publish such changes
    # without a new medical sign-off.
    editorial_fields = (
        *Publishable.editorial_fields,
        "segment",
        "slug",
        "parent",
        "position",
        "show_in_header",
        "show_in_footer",
        "nav_label",
        "nav_order",
    )

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "page"
        verbose_name_plural = "pages"
        indexes = [*Publishable.Meta.indexes]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="page_not_own_parent"),
        ]

    def __str__(self):
        return self.title

    @property
    def in_navigation(self) -> bool:
        return self.show_in_header or self.show_in_footer

    @property
    def navigation_label(self) -> str:
        return self.nav_label or self.title

    @staticmethod
    def url_for(address: str) -> str:
        return reverse("pages:page", kwargs={"slug": address})

    def get_absolute_url(self):
        return self.url_for(self.slug)

    def address_from_parent(self) -> str:
        return f"{self.parent.slug}/{self.segment}" if self.parent_id else self.segment

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body = sanitize_html(self.body)
        # Derived on every save, so a restored revision or a published pending change can never bring back
        # an address the page's parent no longer has.
        self.slug = self.address_from_parent()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.segment:
            return  # the field's own "required" error says it
        self._check_parent()
        address = self.address_from_parent()
        if len(address) > MAX_ADDRESS_LENGTH:
            raise ValidationError(
                {"segment": f"The whole address would be longer than {MAX_ADDRESS_LENGTH} characters: shorten it."}
            )
        if self.parent_id is None:
            from pages.addresses import address_space_clash

            taken = address_space_clash(self.segment)
            if taken:
                raise ValidationError(
                    {
                        "segment": f"/{self.segment}/ is already an address of the site ({taken}). "
                        "Choose another slug, or put the page under a parent page."
                    }
                )
        if Page._base_manager.filter(slug=address).exclude(pk=self.pk).exists():
            raise ValidationError({"segment": f"Another page already has the address /{address}/."})

    def _check_parent(self):
        if self.parent_id is None:
            return
        parents = dict(Page._base_manager.values_list("pk", "parent_id"))
        node, depth = self.parent_id, 1
        while node is not None:
            if self.pk is not None and node == self.pk:
                raise ValidationError({"parent": "A page cannot sit under itself or one of the pages below it."})
            node, depth = parents.get(node), depth + 1
            if depth > MAX_DEPTH:
                raise ValidationError({"parent": f"Pages go at most {MAX_DEPTH} levels deep."})
        if self.pk is not None and depth + self._depth_below() > MAX_DEPTH:
            raise ValidationError({"parent": f"Pages go at most {MAX_DEPTH} levels deep, counting those below it."})

    def _depth_below(self) -> int:
        """How many levels of pages sit below this one (0 for a page without children)."""
        prefix = f"{self.slug}/"
        deepest = max(
            (
                address.count("/")
                for address in Page._base_manager.filter(slug__startswith=prefix).values_list("slug", flat=True)
            ),
            default=self.slug.count("/"),
        )
        return deepest - self.slug.count("/")
