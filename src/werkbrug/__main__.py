"""The `werkbrug` console command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    # Production settings by default: they refuse to start without a SECRET_KEY, so a forgotten
    # setting fails loudly instead of silently serving demo mode. `make demo` selects demo settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.conf.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["werkbrug", *sys.argv[1:]])


if __name__ == "__main__":
    main()
