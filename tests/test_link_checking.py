"""The link checker against a local HTTP server started here: every outcome, the polite limits, robots.txt,
and no request to any other host. Never the internet."""

import datetime
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from linkcheck.checker import Limits, check_urls
from linkcheck.models import LinkCheck, LinkState, LinkUse
from linkcheck.services import run_link_check
from tests.factories import make_article, make_drug, make_drug_reference, make_reference

SLOW_SECONDS = 0.4


class Server:
    """A real HTTP server on a free port: /ok 200, /moved 301 to /ok, /missing 404, /error 500, /slow answers
    after SLOW_SECONDS, /head-refused 405 to HEAD and 200 to GET, /private/ disallowed by robots.txt."""

    def __init__(self, robots="User-agent: *\nDisallow: /private/\n"):
        self.requests: list[tuple[str, str, str]] = []  # (method, path, user agent)
        self.active = 0
        self.most_at_once = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.answer(body=False)

            def do_GET(self):
                self.answer(body=True)

            def answer(self, body):
                with server.lock:
                    server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
                self.route(body)

            def work(self):
                """A slow answer's wait, counted while it lasts: the count drops before the answer is sent, so a
                client's next request cannot overlap it in the count (it could, counting until after sending)."""
                with server.lock:
                    server.active += 1
                    server.most_at_once = max(server.most_at_once, server.active)
                try:
                    time.sleep(SLOW_SECONDS)
                finally:
                    with server.lock:
                        server.active -= 1

            def route(self, body):
                path = self.path
                if path == "/robots.txt":
                    return self.send(200, robots, body)
                if path == "/moved":
                    self.send_response(301)
                    self.send_header("Location", "/ok")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path.startswith("/slow"):
                    self.work()
                    return self.send(200, "slow", body)
                if path == "/head-refused" and self.command == "HEAD":
                    return self.send(405, "", body)
                codes = {"/missing": 404, "/error": 500}
                return self.send(codes.get(path, 200), "page", body)

            def send(self, code, text, body):
                data = text.encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def paths(self, method=None):
        return [path for verb, path, _ in self.requests if method is None or verb == method]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Silent:
    """A socket that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.accepted = 0
        self.conns = []
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self.conns.append(conn)

    def close(self):
        self.stop = True
        for conn in self.conns:
            conn.close()
        self.sock.close()


class RecordingSession(requests.Session):
    """A real session that notes every address it is asked for (robots.txt included)."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def request(self, method, url, *args, **kwargs):
        self.asked.append(url)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.fixture
def silent():
    running = Silent()
    yield running
    running.close()


FAST = Limits(timeout=0.5, per_host=2, retries=1, backoff=0.05)


def test_every_outcome(server, silent):
    urls = {name: f"{server.base}/{name}" for name in ["ok", "moved", "missing", "error", "slow", "head-refused"]}
    urls["never"] = f"{silent.base}/never"
    urls["private"] = f"{server.base}/private/page"
    results = check_urls(urls.values(), limits=FAST)
    found = {name: results[url] for name, url in urls.items()}
    assert (found["ok"].ok, found["ok"].status_code) == (True, 200)
    assert (found["moved"].ok, found["moved"].final_url) == (True, f"{server.base}/ok")
    assert (found["missing"].ok, found["missing"].error) == (False, "HTTP 404")
    assert (found["error"].ok, found["error"].status_code) == (False, 500)
    assert found["slow"].ok, "a slow answer within the timeout is an answer"
    assert found["head-refused"].ok and found["head-refused"].methods == ["HEAD", "GET"]
    assert not found["never"].ok and "No answer within 0.5 seconds" in found["never"].error
    assert found["private"].blocked and not found["private"].ok


def test_a_404_is_not_retried_but_a_500_and_silence_are(server, silent):
    results = check_urls([f"{server.base}/missing", f"{server.base}/error", f"{silent.base}/x"], limits=FAST)
    assert results[f"{server.base}/missing"].attempts == 1
    assert results[f"{server.base}/error"].attempts == 2
    assert results[f"{silent.base}/x"].attempts == 2
    # HEAD, then GET, on each attempt at the 500.
    assert server.paths().count("/error") == 4


def test_a_slow_answer_past_the_timeout_is_broken(server):
    result = check_urls([f"{server.base}/slow"], limits=Limits(timeout=0.1, per_host=1, retries=0))
    assert not result[f"{server.base}/slow"].ok
    assert "No answer within 0.1 seconds" in result[f"{server.base}/slow"].error


@pytest.mark.parametrize("per_host", [1, 2])
def test_requests_per_host_stay_within_the_limit(server, per_host):
    urls = [f"{server.base}/slow-{n}" for n in range(6)]
    started = time.monotonic()
    results = check_urls(urls, limits=Limits(timeout=5, per_host=per_host, retries=0))
    assert all(result.ok for result in results.values())
    assert server.most_at_once == per_host
    # Six slow answers, per_host at a time.
    assert time.monotonic() - started >= SLOW_SECONDS * 6 / per_host - 0.05


def test_robots_txt_is_read_once_and_honoured_with_our_user_agent(server, settings):
    settings.SITE_NAME, settings.SITE_URL = "Medsite Test", "https://medsite.example.org"
    check_urls([f"{server.base}/ok", f"{server.base}/private/a", f"{server.base}/private/b"], limits=FAST)
    assert server.paths().count("/robots.txt") == 1
    assert not any(path.startswith("/private/") for path in server.paths())
    assert {agent for _, _, agent in server.requests} == {"Medsite Test-linkcheck/1.0 (+https://medsite.example.org)"}


def test_head_first_and_no_body_downloaded_when_head_works(server):
    check_urls([f"{server.base}/ok"], limits=FAST)
    assert [(verb, path) for verb, path, _ in server.requests if path == "/ok"] == [("HEAD", "/ok")]


@pytest.mark.django_db
def test_the_command_checks_every_reference_and_body_link_and_asks_no_other_host(server, silent):
    article = make_article(
        body=f'<p><a href="{server.base}/ok">fine</a>, <a href="{server.base}/missing">gone</a>, '
        '<a href="/articles/ours/">our own page</a>, <a href="mailto:x@example.org">mail</a></p>'
    )
    make_reference(article, title="Moved", url=f"{server.base}/moved")
    drug = make_drug()
    make_drug_reference(drug, title="Silent", url=f"{silent.base}/never")
    session = RecordingSession()
    counts = run_link_check(limits=FAST, session=session)
    assert counts == {"unchecked": 0, "ok": 2, "broken": 2, "blocked": 0}
    hosts = {urlsplit(url).netloc for url in session.asked}
    assert hosts == {urlsplit(server.base).netloc, urlsplit(silent.base).netloc}
    states = dict(LinkCheck.objects.values_list("url", "state"))
    assert states == {
        f"{server.base}/ok": LinkState.OK,
        f"{server.base}/missing": LinkState.BROKEN,
        f"{server.base}/moved": LinkState.OK,
        f"{silent.base}/never": LinkState.BROKEN,
    }
    moved = LinkCheck.objects.get(url=f"{server.base}/moved")
    assert moved.final_url == f"{server.base}/ok" and moved.last_checked_at is not None
    uses = set(LinkUse.objects.values_list("link__url", "object_id", "where"))
    assert (f"{server.base}/missing", article.pk, "body") in uses
    assert (f"{silent.base}/never", drug.pk, "reference") in uses


@pytest.mark.django_db
def test_broken_since_is_kept_across_runs_and_cleared_when_fixed(server):
    article = make_article()
    ref = make_reference(article, url=f"{server.base}/missing")
    run_link_check(limits=FAST)
    first = LinkCheck.objects.get().first_broken_at
    run_link_check(limits=FAST)
    assert LinkCheck.objects.get().first_broken_at == first
    ref.url = f"{server.base}/ok"
    ref.save()
    run_link_check(limits=FAST)
    link = LinkCheck.objects.get()
    assert (link.url, link.state, link.first_broken_at) == (f"{server.base}/ok", LinkState.OK, None)


@pytest.mark.django_db
def test_management_command_reports_counts(server, capsys):
    make_reference(make_article(), url=f"{server.base}/missing")
    call_command("check_links", "--timeout", "1", "--retries", "0", "--per-host", "1")
    assert "0 working, 1 broken, 0 not checked" in capsys.readouterr().out


@pytest.mark.django_db
def test_broken_links_report_lists_broken_ones_with_their_pages(server, admin_client):
    article = make_article(title="Azathioprine and the liver")
    make_reference(article, url=f"{server.base}/missing")
    make_reference(article, url=f"{server.base}/ok")
    run_link_check(limits=FAST)
    response = admin_client.get(reverse("admin:linkcheck_brokenlink_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{server.base}/missing" in html and f"{server.base}/ok<" not in html
    assert "Azathioprine and the liver" in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html


@pytest.mark.django_db
def test_a_reference_broken_too_long_puts_its_page_in_the_review_queue(server, admin_client, settings):
    settings.LINKCHECK_BROKEN_DAYS = 14
    later = timezone.localdate() + datetime.timedelta(days=365)  # not due: only a broken reference can queue it
    long_broken = make_article(title="Long broken", next_review_due=later)
    recent = make_article(title="Recently broken", next_review_due=later)
    make_reference(long_broken, url=f"{server.base}/missing")
    make_reference(recent, url=f"{server.base}/error")
    run_link_check(limits=Limits(timeout=1, per_host=1, retries=0))
    LinkCheck.objects.filter(url=f"{server.base}/missing").update(
        first_broken_at=timezone.now() - datetime.timedelta(days=15)
    )
    html = admin_client.get(reverse("review-queue")).content.decode()
    queue = html.split('id="review-queue"')[1].split("</table>")[0]
    assert "Long broken" in queue and "Reference broken since" in queue
    assert "Recently broken" not in queue
    broken = html.split('id="broken-links"')[1].split("</table>")[0]
    assert "Long broken" in broken and "Recently broken" in broken and f"{server.base}/error" in broken


# The daily run, through the task worker's queue in the database


@pytest.mark.django_db
def test_schedule_queues_one_run_however_often_it_is_asked(capsys):
    from linkcheck.tasks import queued_runs

    call_command("check_links", "--schedule")
    call_command("check_links", "--schedule")
    assert queued_runs().count() == 1
    assert capsys.readouterr().out.splitlines() == [
        "Daily link check queued.",
        "The daily link check is already queued.",
    ]


@pytest.mark.django_db
def test_each_run_checks_links_and_queues_the_next_a_day_later(server, django_capture_on_commit_callbacks):
    from linkcheck.tasks import check_links_daily, queued_runs

    make_reference(make_article(), url=f"{server.base}/missing")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        counts = check_links_daily.call()
    assert counts["broken"] == 1 and LinkCheck.objects.get().state == LinkState.BROKEN
    assert len(callbacks) == 1
    (queued,) = queued_runs()
    expected = timezone.now() + datetime.timedelta(days=1)
    assert abs((queued.run_after - expected).total_seconds()) < 60


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_due_check(server):
    """The real worker command picks the queued run up, runs it, and leaves tomorrow's in the queue."""
    from linkcheck.tasks import queued_runs, schedule_next

    make_reference(make_article(), url=f"{server.base}/ok")
    schedule_next()
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert LinkCheck.objects.get().state == LinkState.OK
    (queued,) = queued_runs()
    assert queued.run_after > timezone.now() + datetime.timedelta(hours=23)
