// The invoice editor: add and remove lines, fill a line's price from the chosen item, and keep
// each line's amount and the invoice total up to date as the person types. The server checks
// and computes everything again when the invoice is saved; these figures are a preview.
(function () {
  "use strict";

  const form = document.querySelector("[data-invoice-editor]");
  if (!form) return;
  const table = form.querySelector("[data-lines]");
  const template = document.getElementById("line-template");
  const totalCell = form.querySelector("[data-testid='invoice-total']");
  // The same total beside the Save button, so it stays in sight on a long invoice.
  const totalCopy = form.querySelector("[data-total-copy]");
  const addButton = form.querySelector("[data-add-line]");
  // Written as the server writes amounts: the studio's locale and currency (on the form).
  const money = new Intl.NumberFormat(form.dataset.locale || "en-US", { style: "currency", currency: form.dataset.currency || "USD" });

  // Amounts are counted in cents so 0.1 + 0.2 is 0.30, as on the server.
  function cents(text) {
    const match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(text.trim().replace(/,/g, ""));
    if (!match || (match[1] === "" && !match[2])) return null;
    return Number(match[1] || "0") * 100 + Number((match[2] || "").padEnd(2, "0"));
  }

  function wholeNumber(text) {
    return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
  }

  function lines() {
    return Array.from(table.querySelectorAll("tbody[data-line]"));
  }

  function field(line, name) {
    return line.querySelector("[name='" + name + "']");
  }

  function refreshTotals() {
    let total = 0;
    for (const line of lines()) {
      const cell = line.querySelector("[data-line-amount]");
      const item = field(line, "line_item");
      if (!item.value) {
        cell.textContent = "";
        continue;
      }
      const quantity = wholeNumber(field(line, "line_quantity").value);
      const priceText = field(line, "line_price").value;
      const price = priceText.trim() === "" ? cents(item.selectedOptions[0].dataset.price || "") : cents(priceText);
      if (quantity === null || price === null) {
        cell.textContent = "—";
        cell.title = "Check the quantity (a whole number) and the price (like 12.50).";
        continue;
      }
      cell.title = "";
      cell.textContent = money.format((quantity * price) / 100);
      total += quantity * price;
    }
    totalCell.textContent = money.format(total / 100);
    if (totalCopy) totalCopy.textContent = totalCell.textContent;
  }

  // Accessible names say which line an input belongs to: "Quantity, line 3".
  function renumber() {
    lines().forEach(function (line, index) {
      const number = index + 1;
      line.querySelector("[data-line-number]").textContent = number;
      for (const element of line.querySelectorAll("[data-label]")) {
        element.setAttribute("aria-label", element.dataset.label + ", line " + number);
      }
    });
  }

  function chooseItem(select) {
    const line = select.closest("tbody[data-line]");
    const option = select.selectedOptions[0];
    const description = field(line, "line_description");
    const preferred = field(line, "line_vendor").querySelector("option[value='']");
    if (option && option.value) {
      field(line, "line_price").value = option.dataset.price;
      // A description the person wrote stays; the previous item's own one follows the item.
      if (description.value.trim() === "" || description.value === description.placeholder) {
        description.value = "";
      }
      description.placeholder = option.dataset.description;
      preferred.textContent = option.dataset.vendor ? "Preferred: " + option.dataset.vendor : "No preferred vendor";
    } else {
      description.placeholder = "Description";
      preferred.textContent = "Item's preferred vendor";
    }
    refreshTotals();
  }

  function addLine() {
    const line = template.content.querySelector("tbody").cloneNode(true);
    table.insertBefore(line, table.tFoot);
    renumber();
    refreshTotals();
    field(line, "line_item").focus();
  }

  function removeLine(button) {
    const line = button.closest("tbody[data-line]");
    const all = lines();
    const next = all[all.indexOf(line) + 1] || all[all.indexOf(line) - 1];
    line.remove();
    renumber();
    refreshTotals();
    // Keep the keyboard where the person was: the neighbouring line, else "Add line".
    const focus = next ? next.querySelector("[data-remove-line]") : addButton;
    focus.focus();
  }

  form.addEventListener("click", function (event) {
    const remove = event.target.closest("[data-remove-line]");
    if (remove) removeLine(remove);
    if (event.target.closest("[data-add-line]")) addLine();
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "line_item") chooseItem(event.target);
    else if (event.target.closest("tbody[data-line]")) refreshTotals();
  });

  form.addEventListener("input", function (event) {
    if (event.target.closest("tbody[data-line]")) refreshTotals();
  });

  // Enter in a line's box must not save the invoice halfway through typing it.
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.closest("tbody[data-line]")) {
      event.preventDefault();
    }
  });

  renumber();
  refreshTotals();
})();
