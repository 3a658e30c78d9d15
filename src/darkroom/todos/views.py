"""Task pages: the list ("my tasks" by default), a new task (pre-linked from the page it was
started on), a task's own page with its status and history, and its edit form.

Another person's private task is a 404 on every page, whatever the role: it does not exist for
them. The status dialog and history of tasks are the status engine's pages
(``tracking.views.changes.TASKS``), guarded the same way in ``urls.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from darkroom.errors import DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.pdf_files import pdf_response
from darkroom.studio.access import may, requires
from darkroom.todos import selectors, services
from darkroom.todos.forms import LinkForm, TaskFilterForm, TaskForm
from darkroom.todos.letters import letter_pdf
from darkroom.todos.models import Task, TaskKind, TaskLink
from darkroom.tracking.forms import studio_today
from darkroom.tracking.views.changes import status_section

VIEW = "todos.view_task"
ADD = "todos.add_task"
CHANGE = "todos.change_task"
PAGE = 50
MOST_OFFSET = 10**9


def visible_task(request: HttpRequest, pk: int) -> Task:
    """The task, if this person may see it; another person's private task is a 404."""
    try:
        return selectors.task_detail(pk=pk, user=request.user)
    except Task.DoesNotExist:
        raise Http404("No such task.") from None


@requires(VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    """Open tasks for me and my departments first, the longest overdue at the top."""
    filters = TaskFilterForm(request.GET or None)
    values = filters.values()
    text = request.GET.get("offset", "")
    offset = min(int(text), MOST_OFFSET) if text.isdigit() else 0
    tasks = selectors.task_list(user=request.user, **values)
    rows = list(tasks[offset : offset + PAGE + 1])
    query = request.GET.copy()
    query.pop("offset", None)
    context = {
        "filters": filters,
        "tasks": rows[:PAGE],
        "today": studio_today(request),
        "offset": offset,
        "next_offset": offset + PAGE if len(rows) > PAGE else None,
        "query": query.urlencode(),
        "mine": values["mine"],
        "can_add": may(request, ADD),
    }
    return render(request, "todos/task_list.html", context)


def _form_page(
    request: HttpRequest,
    form: TaskForm,
    *,
    task: Task | None = None,
    links: list[TaskLink] | None = None,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "task": task, "links": links or [], "link_form": link_form}
    return render(request, "todos/task_form.html", context, status=status)


@requires(ADD)
def task_create(request: HttpRequest) -> HttpResponse:
    """A new task; ``?invoice=12`` (or client, session, …) says what it is about."""
    link_form = LinkForm(request.POST if request.method == "POST" else request.GET)
    link_form.is_valid()
    chosen = {n: v for n, v in getattr(link_form, "cleaned_data", {}).items() if v is not None}
    links = Task(**chosen).links()
    if request.method != "POST":
        form = TaskForm(initial={"assigned_user": request.user.pk})
        return _form_page(request, form, links=links, link_form=link_form)
    form = TaskForm(request.POST)
    if not link_form.is_valid():
        for errors in link_form.errors.values():
            form.add_error(None, errors)
    if form.is_valid() and link_form.is_valid():
        try:
            task = services.task_create(by=request.user, links=chosen, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DarkroomError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Task “{task}” written.")
            return redirect(task.get_absolute_url())
    return _form_page(request, form, links=links, link_form=link_form, status=422)


@requires(VIEW)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: what, for whom, about what, and its status with its history."""
    task = visible_task(request, pk)
    context = {
        "task": task,
        "today": studio_today(request),
        "can_edit": may(request, CHANGE),
        **status_section(request, task),
    }
    return render(request, "todos/task_detail.html", context)


@requires(VIEW)
def task_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter task's letter, printable (tasks of other kinds have none)."""
    task = visible_task(request, pk)
    if task.kind != TaskKind.LETTER:
        raise Http404("Only letter tasks have a letter to print.")
    return pdf_response(letter_pdf(task), f"letter-{task.pk}")


@requires(VIEW, CHANGE)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what the task says; its status changes in the status dialog."""
    task = visible_task(request, pk)
    fields = list(TaskForm.base_fields)
    if request.method != "POST":
        form = TaskForm(initial={name: getattr(task, name) for name in fields}, task=task)
        return _form_page(request, form, task=task, links=task.links())
    form = TaskForm(request.POST, task=task)
    seen = request.POST.get("version", "")
    if form.is_valid():
        if not seen.isdigit():
            form.add_error(None, "This form did not say which version it changes: reload it.")
        else:
            try:
                services.task_update(task=task, expected_version=int(seen), **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except DarkroomError as exc:  # changed by someone else meanwhile
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Task “{task}” saved.")
                return redirect(reverse("todos:task-detail", args=[task.pk]))
    return _form_page(request, form, task=task, links=task.links(), status=422)
