// Small progressive enhancements shared by every page (htmx does the rest).
(function () {
  "use strict";
  // Keyboard: "/" focuses the page's search box, as in most web apps.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const search = document.querySelector("[data-search]");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
  });
  // Confirm destructive buttons that carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // The page's policy forbids inline handlers (onclick=...): buttons and lists say what they
  // do with data attributes, and these listeners do it.
  // data-print: a button that opens the browser's print dialog.
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  // The account menu (a <details> under the person's name) folds again on a click elsewhere
  // or on Escape, as a menu does.
  document.addEventListener("click", function (event) {
    const open = document.querySelector("details.account[open]");
    if (open && !open.contains(event.target)) open.open = false;
  });
  document.addEventListener("keydown", function (event) {
    const open = document.querySelector("details.account[open]");
    if (event.key === "Escape" && open) { open.open = false; open.querySelector("summary").focus(); }
  });
  // data-submit-on-change: a list whose form is sent as soon as another entry is chosen.
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field && field.form && field.matches("[data-submit-on-change]")) field.form.requestSubmit();
  });
  // A button with data-copy="#field" copies that field's text (a new API token, say).
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    field.focus();
    field.select();
    const done = function () { button.textContent = button.dataset.copiedLabel || "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
  // A read-only field with data-select-on-focus selects all its text when it gets the focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
