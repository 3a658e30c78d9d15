// The status-change dialog and the lists' bulk selection (htmx makes the requests).
(function () {
  "use strict";

  function dialogOf(element) {
    return element && element.closest ? element.closest("dialog[data-status-dialog]") : null;
  }

  // A refusal (422) or a conflict (409) comes back as the form with its messages: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const code = event.detail.xhr.status;
    if ((code === 422 || code === 409) && event.detail.target.id === "status-dialog-body") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The dialog's content arrived: open it, and put the focus where the person is needed.
  document.addEventListener("htmx:afterSwap", function (event) {
    const body = event.detail.target;
    if (body.id !== "status-dialog-body") return;
    const dialog = dialogOf(body);
    if (dialog && !dialog.open) dialog.showModal();
    const wanted = body.querySelector("[data-conflict]") ||
      body.querySelector(".has-error input, .has-error select, .has-error textarea") ||
      body.querySelector("[autofocus]") ||
      body.querySelector("input:not([type=hidden]), select, textarea, button");
    if (wanted) wanted.focus();
  });

  // Cancel and Close close the dialog (on the page of its own they are links back).
  document.addEventListener("click", function (event) {
    const closer = event.target.closest && event.target.closest("[data-close-dialog]");
    const dialog = dialogOf(closer);
    if (!dialog) return;
    event.preventDefault();
    dialog.close();
  });

  // Enter submits from a select or a checkbox too (text fields do it already); Ctrl+Enter from the note.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    const field = event.target;
    const form = field.form;
    if (!form || !form.matches("[data-enter-submits]")) return;
    const isChoice = field.tagName === "SELECT" || field.type === "checkbox";
    const isNote = field.tagName === "TEXTAREA" && (event.ctrlKey || event.metaKey);
    if (isChoice || isNote) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Bulk change: "select all", the count of ticked rows, and the list's address to come back to.
  function bulkForm() {
    return document.querySelector("form[data-bulk-form]");
  }
  function refreshSelection() {
    const form = bulkForm();
    if (!form) return;
    const rows = Array.from(document.querySelectorAll("input[data-select-row]"));
    const ticked = rows.filter(function (box) { return box.checked; }).length;
    const count = form.querySelector("[data-bulk-count]");
    const noun = ticked === 1 ? form.dataset.noun : form.dataset.plural;
    count.textContent = ticked ? "of " + ticked + " " + noun + " ticked" : "— tick the " + form.dataset.plural + " to change in the list";
    form.querySelectorAll("[data-bulk-submit]").forEach(function (button) { button.disabled = ticked === 0; });
    document.querySelectorAll("[data-select-all]").forEach(function (all) {
      all.checked = rows.length > 0 && ticked === rows.length;
      all.indeterminate = ticked > 0 && ticked < rows.length;
    });
  }
  document.addEventListener("change", function (event) {
    const box = event.target;
    if (box.matches && box.matches("[data-select-all]")) {
      document.querySelectorAll("input[data-select-row]").forEach(function (row) { row.checked = box.checked; });
    }
    if (box.matches && box.matches("[data-select-all], [data-select-row]")) refreshSelection();
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-bulk-form]")) {
      event.target.elements.next.value = window.location.pathname + window.location.search;
    }
  });
  document.addEventListener("htmx:afterSettle", refreshSelection);
  document.addEventListener("DOMContentLoaded", refreshSelection);
})();
