import pytest
from tests.factories import make_article, pin
from articles.related import refresh_see_also, see_also_for

@pytest.mark.django_db
def test_pages(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = make_article(tags=["Imuran", "Azathioprine", "liver"])
        b = make_article(tags=["Imuran", "liver"])
        c = make_article(tags=["liver"])
    assert [x.pk for x in see_also_for(a)] == [b.pk, c.pk]
    for url in ["/", a.get_absolute_url(), "/category/", a.category.get_absolute_url(), "/tag/", "/tag/imuran/", "/drugs/"]:
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get("/?page=9").status_code == 404
    assert client.get("/?page=x").status_code == 404
