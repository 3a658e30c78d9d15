// The production hub: drag a board card to another column (the card's own "Move to" form does the
// change, so mouse and keyboard go through the same request), show a refused move in the card,
// and print the work orders of the rows ticked in the list.
(function () {
  "use strict";

  // A refused move (400/404/409/422) comes back as a message for the card: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.matches && source.matches("[data-move-form]") && event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a move, keep the keyboard where the card went (or on the column it went to).
  let moving = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("[data-move-form]")) return;
    moving = { card: "card-" + form.elements.kind.value + "-" + form.elements.id.value, column: form.elements.to_status.value };
    form.closest("[data-card]").classList.add("is-moving");
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!moving) return;
    const card = document.getElementById(moving.card);
    if (card && !card.querySelector(".card-refused")) {
      const link = card.querySelector(".card-title");
      if (link) link.focus();
    } else if (card) {
      card.classList.remove("is-moving");
      const message = card.querySelector(".card-refused");
      if (message) { message.tabIndex = -1; message.focus(); }
    } else {
      const heading = document.getElementById("col-" + moving.column);
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }
    moving = null;
  });

  // Drag and drop: dropping a card on a column chooses that column in the card's form.
  let dragged = null;
  function columnOf(event) {
    return event.target.closest ? event.target.closest("[data-column]") : null;
  }
  function canTake(column) {
    return dragged && column && column.dataset.status !== dragged.dataset.status;
  }
  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest("[data-card][draggable=true]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("is-dragging");
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    document.querySelectorAll("[data-column].is-over").forEach(function (c) { c.classList.remove("is-over"); });
    dragged = null;
  });
  document.addEventListener("dragover", function (event) {
    const column = columnOf(event);
    if (!canTake(column)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("is-over");
  });
  document.addEventListener("dragleave", function (event) {
    const column = columnOf(event);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-over");
  });
  document.addEventListener("drop", function (event) {
    const column = columnOf(event);
    if (!canTake(column)) return;
    event.preventDefault();
    column.classList.remove("is-over");
    const form = dragged.querySelector("[data-move-form]");
    const choice = form && form.elements.to_status;
    if (!choice) return;
    choice.value = column.dataset.status;
    if (choice.value !== column.dataset.status) return; // not a status this card can go to
    form.requestSubmit();
  });

  // Print work orders: the production orders ticked in the list.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-print-form]")) return;
    form.querySelectorAll("input[name=ids]").forEach(function (old) { old.remove(); });
    document.querySelectorAll("input[data-select-row][data-print-id]:checked").forEach(function (box) {
      const id = document.createElement("input");
      id.type = "hidden";
      id.name = "ids";
      id.value = box.dataset.printId;
      form.appendChild(id);
    });
  });
})();

// The filter bar's fold: remember it open or closed (a cookie the page reads, so it comes back
// as it was left without a flicker). The click on its summary (a mouse, Enter or Space) keeps
// the state it is about to take at once: the "toggle" event comes a moment later, and a page
// left or reloaded at once would miss it. The event then keeps what really happened.
(function () {
  "use strict";
  function keep(state) {
    document.cookie = "hub_filters=" + state + "; path=/production/; max-age=31536000; SameSite=Lax";
  }
  document.addEventListener("click", function (event) {
    const summary = event.target.closest && event.target.closest("[data-filter-fold] > summary");
    if (!summary) return;
    keep(summary.parentElement.open ? "closed" : "open");
  });
  document.addEventListener("toggle", function (event) {
    const fold = event.target;
    if (!fold.matches || !fold.matches("[data-filter-fold]")) return;
    keep(fold.open ? "open" : "closed");
  }, true);
})();
