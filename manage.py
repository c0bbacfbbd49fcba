#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    # Production settings unless told otherwise: DEBUG stays off by default.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medsite.settings.prod")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
