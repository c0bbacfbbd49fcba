from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Image library"

    def ready(self):
        from django.conf import settings
        from PIL import Image as PillowImage

        # Pillow warns above this many pixels and refuses twice as many; uploads are refused above it outright
        # (images.validation), and nothing bigger is ever decoded.
        PillowImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
