// The message template editor: placeholders go in at the cursor, the subject hides for an SMS,
// and the preview shows what stops it (a 422 carries the problems). The SMS length is counted by
// the server (htmx), with the rule the outbox uses.
(function () {
  "use strict";

  function editor() {
    return document.querySelector("form[data-template-editor]");
  }

  // The text field the person was last in: the placeholder goes there (the text by default).
  let lastField = null;
  document.addEventListener("focusin", function (event) {
    const field = event.target;
    if (field && (field.id === "id_subject" || field.id === "id_body")) lastField = field;
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-placeholder]");
    if (!button || !editor()) return;
    event.preventDefault();
    const subject = document.getElementById("id_subject");
    const subjectShown = subject && !subject.closest("[hidden]");
    const field = lastField && (lastField.id === "id_body" || subjectShown) ? lastField : document.getElementById("id_body");
    if (!field || field.disabled) return;
    const text = "{" + button.dataset.placeholder + "}";
    const start = field.selectionStart === null ? field.value.length : field.selectionStart;
    const end = field.selectionEnd === null ? start : field.selectionEnd;
    field.setRangeText(text, start, end, "end");
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // An SMS has no subject: hide the field (unless it holds words the person should see).
  function showSubject() {
    const channel = document.getElementById("id_channel");
    const wrapper = document.querySelector("[data-subject-field]");
    if (!channel || !wrapper) return;
    const subject = document.getElementById("id_subject");
    wrapper.hidden = channel.value === "sms" && !(subject && subject.value);
  }
  // Also as the script starts: a channel chosen before it ran, or put back by the browser when
  // a person comes back to the form, hides the subject too.
  showSubject();
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "id_channel") showSubject();
    // The preview's number suggests the latest records of the kind chosen.
    if (event.target && event.target.id === "id_record_kind") {
      const number = document.querySelector("[data-recent-records]");
      if (number) number.setAttribute("list", "recent-" + event.target.value);
    }
  });

  // Enter in the preview's number previews (it would otherwise save the template).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || event.target.id !== "id_record_number") return;
    event.preventDefault();
    const button = document.querySelector("[data-preview-button]");
    if (button) button.click();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422 && event.detail.target.id === "template-preview") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
