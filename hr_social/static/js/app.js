// Progressive enhancement only: every action also works without JavaScript.
(function () {
  "use strict";

  // A sent form shows that it is working and cannot be sent twice (double click, impatient
  // second press). The button is disabled just after the browser has read the form (so its
  // own name and value are still sent), and enabled again when the page comes back from the
  // history (pageshow) or, for a download that leaves the page in place, after a while.
  var busyLabel = document.body.getAttribute("data-busy-label") || "…";

  function markBusy(form, submitter) {
    form.setAttribute("data-busy", "true");
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (button) {
        button.disabled = true;
        if (button === submitter || (!submitter && buttons.length === 1)) {
          if (!button.hasAttribute("data-label")) {
            button.setAttribute("data-label", button.tagName === "INPUT" ? button.value : button.innerHTML);
          }
          button.classList.add("is-busy");
          if (button.tagName === "INPUT") { button.value = busyLabel; } else { button.textContent = busyLabel; }
        }
      });
    }, 0);
    window.setTimeout(function () { release(form); }, 15000);  // a file answered in place
  }

  function release(form) {
    form.removeAttribute("data-busy");
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("[data-label]"), function (button) {
      if (button.tagName === "INPUT") { button.value = button.getAttribute("data-label"); }
      else { button.innerHTML = button.getAttribute("data-label"); }
      button.removeAttribute("data-label");
      button.classList.remove("is-busy");
    });
    Array.prototype.forEach.call(form.querySelectorAll("button, input[type=submit]"), function (button) {
      button.disabled = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-busy") === "true") {
      event.preventDefault();  // already sent: the first press counts
      return;
    }
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() === "post" && !form.hasAttribute("data-no-busy")) {
      markBusy(form, event.submitter);
    }
  });

  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), release);
  });

  // The menu: always unfolded on a wide screen (for browsers that cannot show a closed
  // <details> through CSS), folded on a phone until "Menu" is pressed.
  var menu = document.querySelector("[data-menu]");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 960px)");
    var follow = function () { menu.open = wide.matches; };
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", follow); }
  }

  // On a phone a table with column headings reads as one card per row: each cell is given
  // its column's heading (shown before the value by the stylesheet).
  Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
    var headings = table.querySelectorAll("thead tr:first-child th");
    if (!headings.length) { return; }
    var labels = Array.prototype.map.call(headings, function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (labels[column] && !cell.hasAttribute("data-label") && cell.colSpan === 1 &&
            (cell.children.length || cell.textContent.trim())) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("stacked");
  });

  // A table wider than the phone scrolls inside its own box: make that box reachable and
  // scrollable with the keyboard.
  function markScrollable() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
})();
