"""Media in an S3-compatible bucket (django-storages), tested against moto's S3 server on a free local port.

moto runs as its own process speaking HTTP, like a real bucket service: the
storage backend, boto3 and the page all talk to it over the network. Under
CI=true a missing moto fails the test; elsewhere it is skipped with the reason.
"""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from tests.environment import skip_or_fail
from tests.factories import make_article, make_image
from tests.servers import free_port, port_answers, wait_until
from tests.settings_process import GOOD_KEY, run_settings, shown

pytestmark = pytest.mark.django_db

BUCKET = "medsite-media"
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}
KEYS = {"access_key": "testing-key", "secret_key": "testing-secret"}  # moto accepts any


@pytest.fixture(scope="module")
def s3_endpoint():
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        skip_or_fail(f"moto's S3 server is not installed ({error.name})")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: port_answers(port), timeout=30, what="moto's S3 server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    # As in production: anyone may read media/ (renditions); originals/ stays private.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
    common = {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1", **KEYS}
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media", "querystring_auth": False, "file_overwrite": False},
        },
        "image_originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "originals", "default_acl": "private", "querystring_auth": True},
        },
    }
    with override_settings(STORAGES=storages):
        yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])}


def test_uploads_and_renditions_go_to_the_bucket_and_pages_link_there(bucket, client, s3_endpoint):
    image = make_image(alt_text="Stored in the bucket")
    originals = keys(bucket, "originals/")
    renditions = keys(bucket, "media/images/")
    assert originals == {f"originals/{image.file.name}"}
    assert {f"media/{rendition.file.name}" for rendition in image.renditions.all()} == renditions
    assert len(renditions) >= 6

    article = make_article(featured_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    served = re.search(r'<img src="([^"]+)"', html).group(1)
    assert served.startswith(f"{s3_endpoint}/{BUCKET}/media/images/")
    with urllib.request.urlopen(served, timeout=10) as response:  # noqa: S310 - our local test server
        assert response.read()[:3] == b"\xff\xd8\xff"  # a JPEG, fetched over HTTP from the bucket
    head = bucket.head_object(Bucket=BUCKET, Key=urlsplit(served).path.split(f"/{BUCKET}/", 1)[1])
    assert head["ContentType"] == "image/jpeg"


def test_originals_are_reached_only_through_signed_addresses(bucket):
    image = make_image()
    url = image.file.url
    assert "X-Amz-Signature=" in url or "Signature=" in url
    unsigned = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 - our local test server
    assert refused.value.code == 403
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our local test server
        assert response.status == 200


def test_a_rendition_made_on_a_readers_request_is_stored_in_the_bucket_once(bucket, client):
    image = make_image()
    image.renditions.filter(width=640).delete()
    before = keys(bucket, "media/images/")
    article = make_article(featured_image=image)
    client.get(article.get_absolute_url())
    made = keys(bucket, "media/images/") - before
    assert made and all("-640w-" in key for key in made)
    client.get(article.get_absolute_url())
    assert keys(bucket, "media/images/") - before == made


def test_a_bucket_in_the_environment_selects_s3_and_lets_pages_show_its_images():
    result = run_settings(
        {
            "SECRET_KEY": GOOD_KEY,
            "MEDIA_BUCKET": BUCKET,
            "MEDIA_ENDPOINT_URL": "https://objects.example.net",
            "MEDIA_REGION": "eu-west-2",
        },
        show="[settings.STORAGES['default']['BACKEND'], settings.STORAGES['image_originals']['OPTIONS']['location'], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]",
    )
    backend, originals, img_src = shown(result)
    assert backend == "storages.backends.s3.S3Storage"
    assert originals == "originals"
    assert img_src == ["'self'", "data:", "https://objects.example.net"]


def test_without_a_bucket_media_stay_local_and_images_come_from_our_origin_only():
    result = run_settings(
        {"SECRET_KEY": GOOD_KEY},
        show="[settings.STORAGES['default']['BACKEND'], settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]",
    )
    assert shown(result) == ["django.core.files.storage.FileSystemStorage", ["'self'", "data:"]]
