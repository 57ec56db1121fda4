// Row tables (members, activities, attendees, agenda items, projects) without reloads,
// and a warning before leaving a form with unsaved changes. Everything here is an
// addition: with JavaScript off, "Add a row" asks the server for a row and the page
// comes back with everything typed, as before.
(function () {
  "use strict";

  var ROW_NAME = /^(.+)-(\d+)-([^-]+)$/;

  function fieldRows(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
      return row.querySelector("[name]") !== null;
    });
  }

  // The row table an "Add a row" button adds to: the last table.rows before the button
  // in the same fieldset (or form).
  function tableFor(button) {
    var box = button.closest("fieldset") || button.form;
    if (!box) { return null; }
    var found = null;
    box.querySelectorAll("table.rows").forEach(function (table) {
      if (table.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING) { found = table; }
    });
    return found;
  }

  function renumber(row, index) {
    // the row's number as the page writes it (<html data-digits>); attributes (labels of
    // the fields) keep Arabic digits, as the server writes them
    var arabic = String(index + 1);
    var number = arabic;
    if (document.documentElement.getAttribute("data-digits") === "thai") {
      number = number.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0e50 + Number(d)); });
    }
    row.querySelectorAll("[name], [id], label[for], [aria-label], [aria-describedby], button[value]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) {
          var match = ROW_NAME.exec(value);
          if (match) { el.setAttribute(attr, match[1] + "-" + index + "-" + match[3]); }
        }
      });
      var label = el.getAttribute("aria-label");
      if (label) { el.setAttribute("aria-label", label.replace(/\d+$/, arabic)); }
      if (el.tagName === "BUTTON" && /^up-\d+$/.test(el.value)) { el.value = "up-" + index; }
    });
    var first = row.cells[0];
    if (first && first.firstChild && first.firstChild.nodeType === Node.TEXT_NODE) {
      first.firstChild.nodeValue = number;
    }
  }

  function clear(row) {
    row.querySelectorAll("p.error").forEach(function (p) { p.remove(); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    row.classList.remove("removing");
    row.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = el.defaultChecked = false;
      } else if (el.tagName === "SELECT") {
        el.selectedIndex = 0;
      } else {
        el.value = "";
        el.removeAttribute("value");
        el.removeAttribute("placeholder");
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='action']");
    if (!button || !(button.value === "add" || button.value.indexOf("add-") === 0)) { return; }
    var table = tableFor(button);
    var rows = table ? fieldRows(table) : [];
    if (!rows.length) { return; }  // nothing to copy: the server adds the first row
    var limit = parseInt(table.getAttribute("data-max-rows") || "0", 10);
    if (limit && rows.length >= limit) { return; }  // the server says why
    event.preventDefault();
    var row = rows[rows.length - 1].cloneNode(true);
    clear(row);
    renumber(row, rows.length);
    rows[rows.length - 1].after(row);
    var input = row.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
    if (input) { input.focus(); }
    markDirty(button.form);
  });

  // A row marked for removal looks removed at once; it goes when the form is saved.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox" && /-remove$/.test(box.name || "")) {
      box.closest("tr").classList.toggle("removing", box.checked);
    }
  });

  // A form that removes something asks first (data-confirm holds the question); without
  // JavaScript it posts at once, and what it removed can be restored for 30 days.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Unsaved changes: forms that keep records (not sign-in, language or one-button forms).
  var dirty = new Set();
  function watched(form) {
    return form && form.method === "post" && !form.classList.contains("inline")
      && !/\/login$/.test(form.getAttribute("action") || "")
      && form.querySelector("textarea, table.rows, input[type=text], input:not([type])") !== null;
  }
  function markDirty(form) { if (watched(form)) { dirty.add(form); } }
  document.addEventListener("input", function (event) { markDirty(event.target.form); });
  document.addEventListener("change", function (event) { markDirty(event.target.form); });
  // A page drawn again with what was typed but not saved (a refused save, a row added
  // without JavaScript, the guideline's rows filled in) starts out unsaved.
  document.querySelectorAll("form[data-unsaved]").forEach(markDirty);
  // So does the page's edit form filled with typing kept across a language switch or an
  // expired session (a "not saved" notice): the form the language button belongs to.
  var keptIn = document.querySelector(".flash.unsaved") && document.querySelector("button[name=locale][form]");
  if (keptIn && keptIn.form) { markDirty(keptIn.form); }
  // Submitting one form throws away what was typed in the others (the language switch,
  // signing out, the emblem upload): ask first. Submitting the changed form itself saves.
  var question = document.body.getAttribute("data-unsaved-question")
    || "Leave without saving? What you typed will be lost.";
  document.addEventListener("submit", function (event) {
    var others = Array.prototype.filter.call(Array.from(dirty), function (form) { return form !== event.target; });
    if (others.length && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    dirty.clear();
  });
  // A table wider than its box (a phone): show the hint "scroll sideways" (app.css,
  // .table-scroll.overflowing) until the reader has scrolled to the end of it.
  function markOverflow() {
    document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
      var box = wrapper.querySelector(".table-scroll-box");
      if (!box) { return; }
      var more = box.scrollWidth - box.clientWidth;
      wrapper.classList.toggle("overflowing", more > 1);
      wrapper.classList.toggle("at-end", more > 1 && box.scrollLeft >= more - 1);
    });
  }
  markOverflow();
  window.addEventListener("load", markOverflow);
  window.addEventListener("resize", markOverflow);
  document.addEventListener("scroll", function (event) {
    if (event.target.classList && event.target.classList.contains("table-scroll-box")) { markOverflow(); }
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own "leave site?" question
    }
  });
}());
