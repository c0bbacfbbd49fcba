"""The image library: upload rules, renditions made once and kept, <picture> markup, images in content."""

import json
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import features

from images.embed import expand_images
from images.markup import picture_html
from images.models import Image, Rendition
from images.renditions import make_standard_renditions
from publishing.html import sanitize_html
from tests.factories import image_bytes, image_upload, make_article, make_image, make_staff, make_user

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:images_image_add")
GPS_LATITUDE = 0x8825  # the GPS IFD


@pytest.fixture
def editor_client():
    from django.contrib.auth.models import Permission

    user = make_staff()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="images"))
    client = Client()
    client.force_login(user)
    return client


def upload_form(upload, **fields):
    data = {"title": "Liver diagram", "alt_text": "Diagram of the liver", "caption": "", "credit": "", "file": upload}
    data.update(fields)
    return data


def errors_of(response) -> dict:
    form = response.context["adminform"].form
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


def exif_with_location() -> bytes:
    exif = PillowImage.Exif()
    exif[0x0110] = "Test camera"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif.get_ifd(GPS_LATITUDE)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    return exif.tobytes()


# --- Upload rules ---


@pytest.mark.parametrize(
    ("name", "image_format", "stored"),
    [("a.jpg", "JPEG", "jpeg"), ("a.png", "PNG", "png"), ("a.webp", "WEBP", "webp"), ("a.gif", "GIF", "gif")],
)
def test_an_editor_uploads_each_accepted_format(editor_client, name, image_format, stored):
    response = editor_client.post(ADD_URL, upload_form(image_upload(name, image_format=image_format)))
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    assert (image.format, image.width, image.height) == (stored, 800, 600)
    assert image.file.storage.exists(image.file.name)
    assert image.renditions.filter(format="webp").exists()


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot read AVIF")
def test_avif_is_accepted_where_pillow_reads_it(editor_client):
    response = editor_client.post(ADD_URL, upload_form(image_upload("a.avif", image_format="AVIF")))
    assert response.status_code == 302, errors_of(response)
    assert Image.objects.get().format == "avif"


def test_a_file_that_is_not_an_image_is_refused(editor_client):
    fake = SimpleUploadedFile("report.jpg", b"%PDF-1.7 not a picture at all", content_type="image/jpeg")
    response = editor_client.post(ADD_URL, upload_form(fake))
    assert response.status_code == 200
    assert "not an image we can use" in errors_of(response)["file"][0]
    assert not Image.objects.exists()


def test_an_svg_is_refused(editor_client):
    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    response = editor_client.post(ADD_URL, upload_form(svg))
    assert "not an image we can use" in errors_of(response)["file"][0]


def test_a_file_over_the_size_limit_is_refused(editor_client, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1_000
    response = editor_client.post(ADD_URL, upload_form(image_upload("big.png", image_format="PNG", size=(900, 900))))
    message = errors_of(response)["file"][0]
    assert "the largest image you can upload is" in message
    assert not Image.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(editor_client, settings):
    settings.IMAGE_MAX_PIXELS = 400 * 300
    response = editor_client.post(ADD_URL, upload_form(image_upload()))
    assert "too many pixels" in errors_of(response)["file"][0]


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(editor_client):
    # A tiny PNG whose header claims 30000 × 30000 pixels (900 million): Pillow's bomb check refuses it.
    bomb = BytesIO()
    PillowImage.new("1", (30000, 30000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 200_000
    response = editor_client.post(ADD_URL, upload_form(SimpleUploadedFile("bomb.png", bomb.getvalue())))
    assert "too many pixels" in errors_of(response)["file"][0]
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_the_image_is_decoration(editor_client):
    response = editor_client.post(ADD_URL, upload_form(image_upload(), alt_text=""))
    assert "Describe what the image shows" in errors_of(response)["alt_text"][0]
    response = editor_client.post(ADD_URL, upload_form(image_upload(), alt_text="", decorative="on"))
    assert response.status_code == 302
    assert Image.objects.get().alt == ""


def test_the_database_refuses_an_image_without_alt_text_too():
    from django.db import IntegrityError, transaction

    image = make_image()
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.filter(pk=image.pk).update(alt_text="", decorative=False)


def test_the_same_file_twice_points_to_the_first(editor_client):
    data = image_bytes()
    editor_client.post(ADD_URL, upload_form(SimpleUploadedFile("a.jpg", data)))
    response = editor_client.post(ADD_URL, upload_form(SimpleUploadedFile("b.jpg", data), title="Again"))
    assert "already in the library" in errors_of(response)["file"][0]


def test_location_and_camera_data_are_removed_from_what_readers_get_and_orientation_applied():
    upload = image_upload("phone.jpg", size=(800, 600), exif=exif_with_location())
    image = make_image(upload=upload)
    with image.file.open("rb") as original:
        assert PillowImage.open(original).getexif().get_ifd(GPS_LATITUDE)  # the original is kept as uploaded
    renditions = list(image.renditions.all())
    assert renditions
    for rendition in renditions:
        with rendition.file.open("rb") as served:
            picture = PillowImage.open(served)
            assert not picture.getexif(), rendition
            assert "exif" not in picture.info and "xmp" not in picture.info
            assert picture.width < picture.height  # turned upright: EXIF orientation 6 applied
    assert (image.width, image.height) == (600, 800)


def test_originals_are_not_under_the_served_media_folder(settings):
    image = make_image()
    from pathlib import Path

    assert not Path(image.file.path).is_relative_to(Path(settings.MEDIA_ROOT))


def test_the_library_list_shows_thumbnails_in_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries):
    for _ in range(3):
        make_image()
    url = reverse("admin:images_image_changelist")
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    for _ in range(6):
        make_image()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(url + "?q=Image")
    assert response.content.count(b'class="image-thumbnail"') == 9


# --- Renditions ---


def test_the_standard_renditions_are_made_on_upload_never_wider_than_the_original(settings):
    image = make_image()
    widths = sorted(set(image.renditions.values_list("width", flat=True)))
    assert widths == [320, 640, 800]
    formats = set(image.renditions.values_list("format", flat=True))
    assert {"webp", "jpeg"} <= formats
    names = list(image.renditions.values_list("file", flat=True))
    assert all(re.fullmatch(r"images/[0-9a-f]{12}-\d+w-[0-9a-f]{12}\.(webp|jpg|avif)", name) for name in names)


def test_a_rendition_is_made_once_and_then_found(django_assert_num_queries):
    image = make_image()
    count = Rendition.objects.count()
    assert make_standard_renditions(image) == []
    image = Image.objects.with_renditions().get(pk=image.pk)
    with django_assert_num_queries(0):
        first = picture_html(image, sizes="100vw")
        second = picture_html(image, sizes="100vw")
    assert first == second
    assert Rendition.objects.count() == count


def test_a_missing_size_is_made_by_the_first_request_and_kept(django_assert_num_queries):
    image = make_image()
    image.renditions.filter(width=640).delete()
    image = Image.objects.with_renditions().get(pk=image.pk)
    picture_html(image, sizes="100vw")
    assert image.renditions.filter(width=640).count() >= 2
    image = Image.objects.with_renditions().get(pk=image.pk)
    with django_assert_num_queries(0):
        picture_html(image, sizes="100vw")


def test_replacing_the_file_replaces_the_renditions():
    from images.services import image_save

    image = make_image()
    old = set(image.renditions.values_list("file", flat=True))
    image_save(image=image, upload=image_upload(color=(200, 20, 20)))
    new = set(Rendition.objects.filter(image=image).values_list("file", flat=True))
    assert new and not (old & new)


def test_the_picture_has_srcset_sizes_dimensions_alt_and_lazy_loading():
    image = Image.objects.with_renditions().get(pk=make_image(alt_text="A labelled liver").pk)
    html = picture_html(image, sizes="(min-width: 44rem) 42rem, 100vw")
    assert html.startswith("<picture>") and html.endswith("</picture>")
    assert re.search(r'<source type="image/webp" srcset="[^"]+320w, [^"]+640w, [^"]+800w" sizes="\(min-width', html)
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="800" height="600"' in img
    assert 'alt="A labelled liver"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'srcset="/media/images/\S+\.jpg 320w', img)
    above = picture_html(image, sizes="100vw", above_fold=True)
    assert 'loading="lazy"' not in above and 'loading="eager"' in above


def test_a_decorative_image_has_empty_alt_text():
    image = make_image(alt_text="", decorative=True)
    assert 'alt=""' in picture_html(image, sizes="100vw")


# --- Images in the body ---


def test_the_sanitiser_keeps_library_images_only():
    body = (
        '<p>Text</p><img data-image="12" alt="Liver" src="https://evil.example/x.png" onerror="steal()">'
        '<img src="https://evil.example/tracker.gif" alt="pixel"><img data-image="javascript:1">'
        '<p><img src="data:image/png;base64,AAAA"></p>'
    )
    assert sanitize_html(body) == '<p>Text</p><img data-image="12" alt="Liver"><p></p>'


def test_a_body_image_renders_as_a_figure_with_the_librarys_alt_text_and_credit():
    image = make_image(alt_text="Diagram of the liver", caption="The liver", credit="Illustration: medsite")
    body = sanitize_html(f'<p>Before</p><img data-image="{image.pk}" alt="old words"><p>After</p>')
    html = expand_images(body, {image.pk: Image.objects.with_renditions().get(pk=image.pk)})
    assert '<figure class="figure"><picture>' in html
    assert 'alt="Diagram of the liver"' in html and "old words" not in html
    assert '<figcaption>The liver <span class="figure__credit">Illustration: medsite</span></figcaption>' in html
    assert html.startswith("<p>Before</p><figure") and html.endswith("</figure><p>After</p>")


def test_a_body_image_no_longer_in_the_library_shows_nothing():
    assert expand_images('<p>A</p><img data-image="999" alt="gone">', {}) == "<p>A</p>"


def test_the_article_page_shows_its_body_images_and_featured_image(client):
    featured = make_image(alt_text="A pill box labelled azathioprine")
    inline = make_image(alt_text="Diagram of the liver")
    article = make_article(featured_image=featured, body=f'<p>Intro</p><img data-image="{inline.pk}" alt="">')
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert 'alt="A pill box labelled azathioprine"' in html
    assert 'alt="Diagram of the liver"' in html
    assert html.count("<picture>") == 2
    assert 'loading="eager"' in html  # the featured image is above the fold
    assert 'data-image="' not in html


def test_a_featured_image_the_body_also_shows_appears_once(client):
    image = make_image(alt_text="A blister pack of tablets")
    article = make_article(featured_image=image, body=f'<p>Intro</p><img data-image="{image.pk}" alt="">')
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 1
    assert 'class="figure figure--featured"' not in html
    assert 'alt="A blister pack of tablets"' in html


def test_cards_show_the_featured_image(client):
    make_article(title="With a picture", featured_image=make_image(alt_text="Card picture"))
    response = client.get(reverse("articles:home"))
    assert b'class="card__image"' in response.content
    assert b'alt="Card picture"' in response.content


# --- Link previews and structured data ---


def test_open_graph_twitter_and_json_ld_name_the_featured_image(client):
    image = make_image(alt_text="Liver diagram", credit="Illustration: medsite")
    article = make_article(featured_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith("http://testserver/media/images/") and og.endswith(".jpg")
    assert '<meta property="og:image:width" content="800">' in html
    assert '<meta property="og:image:alt" content="Liver diagram">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    data = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    page = next(block for block in data if block["@type"] == "MedicalWebPage")
    assert page["image"]["url"] == og
    assert page["image"]["creditText"] == "Illustration: medsite"


def test_a_page_without_an_image_has_no_og_image(client):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_drug_page_shows_its_featured_image_in_the_page_and_its_metadata(client):
    from tests.factories import make_published_drug

    drug = make_published_drug(featured_image=make_image(alt_text="Pill box"))
    html = client.get(drug.get_absolute_url()).content.decode()
    assert 'alt="Pill box"' in html
    assert '<meta property="og:image"' in html
    data = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    assert next(block for block in data if block["@type"] == "Drug")["image"]["@type"] == "ImageObject"


# --- The editor's chooser ---


def test_the_chooser_finds_images_by_words_and_by_number(editor_client):
    liver = make_image(title="Liver diagram")
    make_image(title="Pill box")
    found = editor_client.get(reverse("image-chooser") + "?q=liver").json()["results"]
    assert [row["id"] for row in found] == [liver.pk]
    assert found[0]["thumbnail"].startswith("/media/images/")
    by_number = editor_client.get(reverse("image-chooser") + f"?id={liver.pk}").json()["results"]
    assert by_number[0]["alt"] == liver.alt_text


@pytest.mark.parametrize("query", ["q=" + "x" * 101, "id=1,a", "id=" + ",".join(["1"] * 51), "q=a%00b"])
def test_the_chooser_answers_bad_input_with_400(editor_client, query):
    assert editor_client.get(reverse("image-chooser") + "?" + query).status_code == 400


def test_the_chooser_is_for_staff_with_the_library_permission():
    make_image()
    anonymous = Client().get(reverse("image-chooser"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client = Client()
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse("image-chooser")).status_code == 403


def test_the_editor_offers_the_library_image_extension(editor_client):
    article = make_article()
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert b"images/editor-image" in response.content
    assert b"LibraryImage" in response.content
