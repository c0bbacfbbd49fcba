from django.core.management.base import BaseCommand, CommandError

from linkcheck.checker import Limits
from linkcheck.services import run_link_check


class Command(BaseCommand):
    help = (
        "Check every reference address and every link in page bodies (politely: 1-2 requests per host, "
        "a timeout, retries with back-off, robots.txt honoured). --schedule queues the daily run instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for an answer (10).")
        parser.add_argument("--per-host", type=int, default=2, choices=[1, 2], help="Requests at once per host (2).")
        parser.add_argument("--retries", type=int, default=2, help="Further attempts after a failure (2).")
        parser.add_argument("--backoff", type=float, default=1.0, help="Seconds before the first retry (1).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily check for the task worker, unless queued."
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            from linkcheck.tasks import schedule_next

            queued = schedule_next()
            self.stdout.write("Daily link check queued." if queued else "The daily link check is already queued.")
            return
        if options["timeout"] <= 0 or options["retries"] < 0 or options["backoff"] < 0:
            raise CommandError("--timeout must be positive; --retries and --backoff not negative.")
        limits = Limits(
            timeout=options["timeout"],
            per_host=options["per_host"],
            retries=options["retries"],
            backoff=options["backoff"],
        )
        counts = run_link_check(limits=limits)
        self.stdout.write(
            f"{counts['ok']} working, {counts['broken']} broken, {counts['blocked']} not checked (robots.txt)."
        )
