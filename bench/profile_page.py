#!/usr/bin/env python3
"""Where a public page's server time goes: cProfile over many requests, in-process, page cache off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_bench \\
        .venv/bin/python bench/profile_page.py /category/liver-health/ --requests 200

Prints the share of the time spent waiting for the database, rendering
templates (Django's and the Jinja2 card list) and everything else (URL
resolving, middleware, querysets and model instances), then the functions
with the most time of their own. Production settings, DEBUG off.
"""

import argparse
import cProfile
import pstats
import sys
import time

from publish import setup_django  # bench/ is on the path when this runs as a script


class Clocks:
    """Seconds spent in the database driver's execute and in rendering the page's Django template (which holds
    the Jinja2 card list), and the database time spent while rendering (a queryset a template evaluates)."""

    def __init__(self):
        self.database = self.rendering = self.database_while_rendering = 0.0
        self.queries = 0
        self._rendering = False

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.database += spent
            self.database_while_rendering += spent if self._rendering else 0.0
            self.queries += 1

    def timing_render(self, render):
        def timed(template, *args, **kwargs):
            if self._rendering:  # an include: already on the clock
                return render(template, *args, **kwargs)
            self._rendering, started = True, time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                self.rendering += time.perf_counter() - started
                self._rendering = False

        return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="The page's address, e.g. /category/liver-health/")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    client = Client(SERVER_NAME="127.0.0.1")
    for _ in range(5):  # warm: imports, template loading, connection
        assert client.get(args.path).status_code == 200
    from django.template.backends.django import Template
    from django.template.backends.jinja2 import Template as Jinja2Template

    clocks = Clocks()
    render, jinja2_render = Template.render, Jinja2Template.render
    Template.render = clocks.timing_render(render)
    Jinja2Template.render = clocks.timing_render(jinja2_render)  # the listing and search pages are Jinja2
    started = time.perf_counter()
    with connection.execute_wrapper(clocks.execute):
        for _ in range(args.requests):
            client.get(args.path)
    total = time.perf_counter() - started
    Template.render, Jinja2Template.render = render, jinja2_render
    rendering = clocks.rendering - clocks.database_while_rendering
    print(f"{args.path}: {total / args.requests * 1000:.1f} ms a request, {clocks.queries / args.requests:.0f} queries")
    print(f"  database (driver execute)          {clocks.database / total:6.1%}")
    print(f"  templates (Django and Jinja2)      {rendering / total:6.1%}")
    print(f"  the rest (URLs, middleware, view)  {1 - (clocks.database + rendering) / total:6.1%}")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\nFunctions with the most time of their own ({args.requests} requests):")
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
