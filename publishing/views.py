"""What every public view of publishable content shares: readers see published content, staff preview."""

from django.utils.cache import patch_cache_control


class PreviewableMixin:
    """Readers see published content only; staff may preview the rest.

    Set ``model`` (or override ``base_queryset``). Staff need the model's view
    permission. A response that shows anything a reader could not see is
    marked private and uncacheable, so no shared cache ever keeps a draft.
    """

    model = None

    @property
    def preview_permission(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.view_{opts.model_name}"

    def can_preview(self) -> bool:
        user = self.request.user
        return user.is_active and user.is_staff and user.has_perm(self.preview_permission)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        queryset = self.base_queryset()
        return queryset if self.can_preview() else queryset.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
