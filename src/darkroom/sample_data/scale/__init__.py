"""A large studio made in bulk: ten years of invoices and their production orders, to measure on.

Why: the hub, the order pages and their API must stay fast on a studio that has worked for
years (a million production orders, most of them long finished, a few percent open). Making
such a studio through the services would take hours, one transaction per change; this writes it
with one prepared INSERT per table and batch (``executemany``; ``COPY`` on PostgreSQL), each
batch in its own transaction, in a few minutes.

What it makes is what the services would have left behind, so the pages read it as they read
any studio's records:

* the small records through the ORM and the services (studio preferences, people and their
  roles, departments, vendors, price list, order types, and the cycles through
  ``tracking.services.cycles``), reusing those that exist by name, so a second run adds to
  the first;
* in bulk: clients, their sessions, invoices with lines, payments and totals, and ≈3 production
  orders an invoice, each with a detail line and its status history (a "start" note, then a
  "change" note per step it went through: ≈5 an order). About 95 % of the orders are final
  (completed on the day they reached their final step); the most recent ≈5 % are open in one of
  their type's other steps, entered in the last days, so some are overdue, some due today or
  this week, and some projected past the date promised to the client. Some open proof
  (preproduction) orders too.

Dates are computed on the studio's calendar with the same functions the status-change service
uses (forward mode: the seeded studio schedules forward). Everything random comes from one
seeded generator, so a size and a seed always make the same studio. A run is not one
transaction: stopped halfway, it leaves the batches already written.

By job: ``plan`` (what the studio is made of), ``small_records`` (the records made through the
services), ``writer`` (the rows, invoice by invoice), ``history`` (each record's way through its
cycle), ``dates`` (the calendar's answers, remembered), ``tables`` and ``bulk`` (the tables and how
rows reach them fast), ``seed`` (``seed_scale``, which runs them in batches). The hub's benchmark
seeds its kept studio anew when any file of this package changes (``bench/bench_hub.py``).
"""

from darkroom.sample_data.scale.seed import ScaleReport, check_orders, seed_scale

__all__ = ["ScaleReport", "check_orders", "seed_scale"]
