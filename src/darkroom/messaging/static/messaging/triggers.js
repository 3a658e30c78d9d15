// The trigger form shows only the fields its action, recipient and timing use. Every field is
// there without JavaScript; the service ignores none of them, and refuses what doesn't fit.
(function () {
  "use strict";

  function fieldOf(control) {
    return control.closest(".field");
  }

  function update(form) {
    const action = form.querySelector("[name=action]");
    const recipient = form.querySelector("[name=recipient]");
    const when = form.querySelector("[name=when]");
    form.querySelectorAll("[data-actions]").forEach(function (control) {
      const shown = !action || control.dataset.actions.split(" ").indexOf(action.value) !== -1;
      fieldOf(control).classList.toggle("is-hidden", !shown);
    });
    form.querySelectorAll("[data-recipients]").forEach(function (control) {
      const usesRecipient = action && action.value !== "task";
      const shown = !recipient || (usesRecipient &&
        control.dataset.recipients.split(" ").indexOf(recipient.value) !== -1);
      fieldOf(control).classList.toggle("is-hidden", !shown);
    });
    form.querySelectorAll("[data-timed]").forEach(function (control) {
      fieldOf(control).classList.toggle("is-hidden", when && when.value === "entered");
    });
  }

  function start() {
    document.querySelectorAll("form[data-trigger-form]").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (["action", "recipient", "when"].indexOf(event.target.name) !== -1) update(form);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
