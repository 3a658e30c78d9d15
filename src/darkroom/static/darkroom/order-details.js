// A production order's Details section: the count of the image names as they are typed or
// pasted (split as Darkroom keeps them: line breaks, commas, semicolons, tabs; repeats once),
// and Escape to leave a line's edit.
(function () {
  "use strict";
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
