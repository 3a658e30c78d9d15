"""Benchmark status changes through ``status_change`` against the raw SQL they come down to.

Why: a status change is the studio's most frequent write (every step of every session, invoice
and order), and the service does more than the write itself: it reads the studio's today,
claims the record by its version, looks up the cycle and the next status, computes the due date
and appends a history row. The reference point is the floor of the same write: the
version-checked UPDATE of the record plus the INSERT of its history row, one transaction per
change, through the driver cursor with the values prepared beforehand.

Inputs: throwaway databases (SQLite, and PostgreSQL when it is reachable: see ``throwaway.py``), a
session cycle of 6 statuses and RECORDS sessions already started. Each run advances every
record one step, each change its own transaction; figures are the median of REPEATS runs.
"""

from __future__ import annotations

from collections.abc import Callable

import throwaway

TARGET_PER_SECOND = 1_000  # single changes per second on SQLite, each its own transaction
RECORDS = throwaway.size(500, smoke=6)  # the whole benchmark, both databases, stays well under 90 s
REPEATS = 3
STEPS = 6  # one initial step, REPEATS steps to advance through, and a final one


def started_sessions(count: int, person) -> list:
    """``count`` sessions, started in the cycle's initial status today (``bench_webhooks``
    measures on the same)."""
    from darkroom.clients.models import Client, Session, SessionType
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.services import record_start

    client = Client.objects.create(first_name="Bench", last_name="Client", mobile="+15550100")
    kind = SessionType.objects.get_or_create(name="Bench sitting")[0]
    today = studio_preferences().today()
    records = Session.objects.bulk_create(
        Session(client=client, session_type=kind, date=today) for _ in range(count)
    )
    for record in records:
        record_start(record=record, started_on=today, by=person)
    return records


def _median_rate(run: Callable[[], None]) -> float:
    return RECORDS / throwaway.time_runs(run, repeats=REPEATS).median


def _raw_changes(records: list, person) -> Callable[[], None]:
    """A run of the floor: per record, UPDATE (version-checked) + INSERT, one transaction."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from darkroom.clients.models import Session
    from darkroom.studio.calendar.cache import studio_calendar
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import Status, StatusNote

    statuses = list(Status.objects.filter(cycle__kind="session").order_by("position", "id"))
    today = studio_preferences().today()
    due = {s.pk: studio_calendar().due(today, s.default_duration) for s in statuses}
    content_type = ContentType.objects.get_for_model(Session).pk
    q = connection.ops.quote_name
    update = (
        f"UPDATE {q(Session._meta.db_table)} SET status_id = %s, status_entered_on = %s, "
        "status_due_date = %s, status_due_overridden = %s, status_department_id = NULL, "
        "status_user_id = NULL, status_changed_at = %s, version = version + 1 "
        "WHERE id = %s AND version = %s"
    )
    insert = (
        f"INSERT INTO {q(StatusNote._meta.db_table)} (content_type_id, object_id, "
        "from_status_id, to_status_id, date_completed, not_complete, due_date, due_overridden, "
        "updated_by_id, department_id, user_id, note, changed_at, business_days_taken, "
        "planned_duration, kind) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, '', %s, 0, %s, 'change')"
    )
    state = {r.pk: [1, r.version] for r in records}  # position in ``statuses``, version

    def run() -> None:
        for pk, where in state.items():
            current, version = statuses[where[0] - 1], where[1]
            target = statuses[where[0]]
            now = timezone.now()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(update, [target.pk, today, due[target.pk], False, now, pk, version])
                if cursor.rowcount != 1:
                    raise RuntimeError("the floor lost its record")
                cursor.execute(
                    insert,
                    [
                        content_type,
                        pk,
                        current.pk,
                        target.pk,
                        today,
                        False,
                        due[target.pk],
                        False,
                        person.pk,
                        now,
                        current.default_duration,
                    ],
                )
            where[0] += 1
            where[1] += 1

    return run


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from django.db import connection

    from darkroom.clients.models import Session
    from darkroom.studio.services import user_create
    from darkroom.tracking.models import CycleKind, StatusNote
    from darkroom.tracking.services import cycle_create, status_add, status_change

    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    for step in range(1, STEPS + 1):
        status_add(
            cycle=cycle, description=f"Step {step}", default_duration=step, is_final=step == STEPS
        )
    service_records = started_sessions(RECORDS, person)
    floor_records = started_sessions(RECORDS, person)

    def through_the_service() -> None:
        for record in service_records:
            status_change(record=record, expected_version=record.version, updated_by=person)

    service = _median_rate(through_the_service)
    floor = _median_rate(_raw_changes(floor_records, person))

    # Both paths did what they claim, untimed: REPEATS steps each, one history row per step.
    for records in (service_records, floor_records):
        pks = [r.pk for r in records]
        versions = set(Session.objects.filter(pk__in=pks).values_list("version", flat=True))
        assert versions == {2 + REPEATS}, versions
        assert StatusNote.objects.filter(object_id__in=pks).count() == RECORDS * (1 + REPEATS)

    shape = f"{RECORDS:,} records, one change each per run, median of {REPEATS}"
    print(f"{throwaway.engine()}: {shape}")
    service_label = "status_change (service, one transaction per change)"
    floor_label = "raw SQL floor (UPDATE + INSERT, one transaction per change)"
    meets = service >= TARGET_PER_SECOND
    if throwaway.SMOKE:
        target = "smoke run: too small to compare"
    elif connection.vendor == "sqlite":
        target = f"target >= {TARGET_PER_SECOND:,}/s: {'met' if meets else 'MISSED'}"
    else:
        target = f"SQLite's target >= {TARGET_PER_SECOND:,}/s: {'within' if meets else 'below'}"
    print(f"  {service_label:<60} {service:>9,.0f} changes/s  ({target})")
    print(f"  {floor_label:<60} {floor:>9,.0f} changes/s")
    print(f"  -> ratio {service / floor:.2f}: the service is {floor / service:.1f}x slower")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=120)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
