from django.contrib import admin

from drugs.models import Drug


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = ["generic_name", "slug"]
    search_fields = ["generic_name"]
    prepopulated_fields = {"slug": ["generic_name"]}
