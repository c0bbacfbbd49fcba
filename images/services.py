"""Adding and replacing images in the library."""

from django.db import transaction

from images.models import Image
from images.renditions import delete_renditions, make_standard_renditions
from images.validation import inspect_upload


@transaction.atomic
def image_save(*, image: Image, upload=None, user=None, renditions: bool = True) -> Image:
    """Save ``image``; with ``upload``, take it as the (new) original and make its standard renditions.

    ``renditions=False`` leaves them to the first page that shows the image (each missing size is made
    then and kept): for bulk imports, where making them all up front would take hours.

    Replacing the original removes the old renditions: their names carry the
    old content's hash, so no page or cache can serve them for the new one.
    Raises ``ValidationError`` for an upload the library cannot take.
    """
    if upload is not None:
        info = inspect_upload(upload)
        replacing = image.pk is not None and info.content_hash != image.content_hash
        old_file = image.file.name if replacing else None
        image.width, image.height, image.format = info.width, info.height, info.format
        image.has_alpha, image.file_size, image.content_hash = info.has_alpha, info.file_size, info.content_hash
        image.file = upload
        if image.pk is None and user is not None:
            image.uploaded_by = user
        if replacing:
            delete_renditions(image)
    image.full_clean(exclude=["file"])
    image.save()
    if upload is not None:
        if old_file and old_file != image.file.name:
            transaction.on_commit(lambda: image.file.storage.delete(old_file))
        if renditions:
            make_standard_renditions(image)
    return image
