from django.core.management.commands.runserver import Command as RunserverCommand

from werkbrug.operations.scheduler import DemoScheduler, should_run


class Command(RunserverCommand):
    help = (
        "The demo's server: Django's development server plus the scheduled tasks of Celery beat, "
        "run in a thread (operations/scheduler.py). Use with --noreload, as `make demo` does."
    )

    def inner_run(self, *args, **options):
        scheduler = None
        if should_run():
            scheduler = DemoScheduler()
            scheduler.start()
            self.stdout.write(f"Scheduled tasks run in this process: {', '.join(e.name for e in scheduler.entries)}")
        try:
            return super().inner_run(*args, **options)
        finally:
            if scheduler is not None:
                scheduler.stop()
