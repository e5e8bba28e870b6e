"""Dates in a file's header or name: a bad one is one line naming the file, the field and the fix.

Pelican parses ``date`` and ``modified`` with dateutil (``pelican.utils.get_date``, called by the
readers' ``METADATA_PROCESSORS``) and, when that fails, skips the file saying only "Could not
process X". Here the date processors raise :class:`BadDate`, which names the field and the value,
and each ``Readers`` object records it as a problem of the build, with the file's path, before
Pelican skips the file; the build runner drops Pelican's own line for a file already named. The
date may come from the header or from the file's name (``FILENAME_METADATA``): both are caught.

A date without its year, month or day (``2026-11``, ``Nov 21``) is refused too: dateutil would
fill in the missing parts from today, and the post would move every day.
"""

from __future__ import annotations

import datetime
import functools
import os

import dateutil.parser
from pelican import readers as pelican_readers

from guide import pelican_internals
from guide.build_state import build_state

DATE_FIELDS = ("date", "modified")
EXAMPLE = "2026-11-21"

#: Two days that differ in year, month and day, in leap years and 31-day months (so that any day
#: a text names exists in both): a part read the same with either default is the text's own.
_DEFAULTS = (datetime.datetime(2000, 1, 1), datetime.datetime(2004, 3, 2))


class BadDate(ValueError):
    """A date field that is not a whole date; still a ValueError, like Pelican's own."""

    def __init__(self, field: str, value, reason: str = "is not a date") -> None:
        self.field = field
        self.value = str(value)
        self.message = f"{value!r} {reason}; write YYYY-MM-DD (e.g. {EXAMPLE})"
        super().__init__(f"{field}: {self.message}")

    def problem(self, base_path: str, path: str, settings) -> tuple[str, str, str]:
        """(path, field, message) for the file ``path`` (relative to ``base_path``) Pelican was reading.

        Pelican reads a date from the file's name (``FILENAME_METADATA``) before its header.
        """
        full_path = os.path.abspath(os.path.join(base_path, path))
        from_name = pelican_readers.parse_path_metadata(source_path=path, settings=settings)
        if from_name.get(self.field) == self.value:
            renamed = os.path.basename(path).replace(self.value, EXAMPLE, 1)
            return (
                full_path,
                "file name",
                f"{self.value!r} is not a date; rename the file with a real date (e.g. {renamed}) or none",
            )
        return full_path, self.field, self.message


def check_dates(readers) -> None:
    """The ``readers_init`` signal: a bad date in a file these readers read is a problem naming the file."""
    _check_date_processors()

    def reporting_dates(read_file):
        @functools.wraps(read_file)
        def read_file_reporting_dates(base_path, path, *args, **kwargs):
            try:
                return read_file(base_path, path, *args, **kwargs)
            except BadDate as bad:
                build_state(readers.settings).problems.add(*bad.problem(base_path, path, readers.settings))
                raise  # Pelican skips the file, as it would have

        return read_file_reporting_dates

    pelican_internals.wrap_read_file(readers, reporting_dates)


def _check_date_processors() -> None:
    """Pelican's date processors raise BadDate (once per process: the table is Pelican's module's)."""
    for field in DATE_FIELDS:
        process = pelican_internals.metadata_processor(field)
        if not getattr(process, "checks_dates", False):
            pelican_internals.set_metadata_processor(field, _checked(field, process))


def _checked(field: str, process):
    def process_date(value, settings):
        try:
            date = process(value, settings)
            missing = _missing_parts(str(value).replace("_", " "))
        except (ValueError, OverflowError):  # dateutil: no format matched, or a number too large
            raise BadDate(field, value) from None
        if missing:
            raise BadDate(field, value, f"has no {' and no '.join(missing)}")
        return date

    process_date.checks_dates = True
    return process_date


def _missing_parts(text: str) -> list[str]:
    """The parts of a date dateutil would take from the default (today, in Pelican) rather than the text."""
    first, second = (dateutil.parser.parse(text, default=default) for default in _DEFAULTS)
    return [part for part in ("year", "month", "day") if getattr(first, part) != getattr(second, part)]
