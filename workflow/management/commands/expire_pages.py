"""Unpublish the pages whose unpublish time has passed (the page cache also does this on its own)."""

from django.core.management.base import BaseCommand

from workflow.services import expire_due


class Command(BaseCommand):
    help = "Move published pages whose unpublish time has passed to unpublished, logging each move."

    def handle(self, *args, **options):
        moved = expire_due()
        self.stdout.write(f"{moved} page(s) unpublished.")
