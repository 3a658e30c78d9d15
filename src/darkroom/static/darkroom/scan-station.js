// The scanner "types" into whatever has focus: keep it on the number field. The field is
// emptied as soon as a scan is sent, so the next scan can start before the answer arrives.
(function () {
  "use strict";
  const form = document.querySelector("[data-scan-form]");
  const code = document.querySelector("[data-scan-code]");
  if (!form || !code) return;
  form.addEventListener("htmx:configRequest", function () {
    code.value = "";
    code.focus();
  });
  form.addEventListener("htmx:afterRequest", function () {
    const empty = document.querySelector(".scan-empty");
    if (empty) empty.remove();
    code.focus();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "mode" || event.target.name === "to_status") code.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1 || event.key === " ") return;
    const target = event.target;
    const typing = target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
      (target.tagName === "INPUT" && !/^(radio|checkbox|button|submit)$/.test(target.type)));
    if (typing) return;
    code.focus();  // the key itself then lands in the field
  });
})();
