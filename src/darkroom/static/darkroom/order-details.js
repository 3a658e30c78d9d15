// A production order's Details section: the count of the image names as they are typed or
// pasted (split as Darkroom keeps them: line breaks, commas, semicolons, tabs; repeats once),
// Escape to leave a line's edit, and refusals shown where they belong.
(function () {
  "use strict";
  // The page's policy allows no style attributes: an element kept across a swap (same id) must
  // not get one copied back by htmx's settling (the browser refuses it, and says so).
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
  // A refusal (422) or a conflict (409) comes back as the section with its messages: show it,
  // and put the focus on the first field refused (or on the message when no field is).
  document.addEventListener("htmx:beforeSwap", function (event) {
    const code = event.detail.xhr.status;
    if ((code === 422 || code === 409) && event.detail.target.id === "order-details") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    const code = event.detail.xhr && event.detail.xhr.status;
    if (code !== 422 && code !== 409) return;
    const section = document.getElementById("order-details");
    if (!section) return;
    const wanted = section.querySelector(".has-error input, .has-error select, .has-error textarea") ||
      section.querySelector("[data-testid=details-problem]");
    if (wanted) {
      if (!wanted.matches("input, select, textarea")) wanted.setAttribute("tabindex", "-1");
      wanted.focus();
    }
  });
  const SEPARATORS = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029,;\t]/;
  function count(field) {
    const names = new Set(field.value.split(SEPARATORS).map(function (n) { return n.trim(); }).filter(Boolean));
    const output = field.closest(".detail-images-field").querySelector("[data-image-count]");
    if (output) output.textContent = names.size ? names.size + (names.size === 1 ? " image" : " images") : "";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-image-names]")) count(event.target);
  });
  function countAll() { document.querySelectorAll("[data-image-names]").forEach(count); }
  document.addEventListener("DOMContentLoaded", countAll);
  document.addEventListener("htmx:afterSettle", countAll);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const form = event.target.closest && event.target.closest("[data-detail-edit]");
    const cancel = form && form.querySelector("[data-detail-cancel]");
    if (cancel) { event.preventDefault(); cancel.click(); }
  });
})();
