/* Progressive enhancement for forms built by the question engine (programs/forms_engine.py).
 * Without this file every question shows, with its condition in words, and "Add a row" /
 * "Remove" submit the form. With it: questions whose "show if" condition does not hold are
 * hidden as the person answers, rows are added and removed at once, and a group's total
 * follows the amounts typed. The server checks everything again; this only saves round trips.
 * No inline script, no eval: it runs under the strict content security policy. */
(function () {
  "use strict";
  if (window.oncoreachFormsEngine) { return; }
  window.oncoreachFormsEngine = true;

  function containerOf(element) {
    return element.closest(".question, .form-section, .field, fieldset") || element;
  }

  function isHidden(element) {
    return Boolean(element.closest("[hidden]"));
  }

  function valuesOf(key) {
    var values = [];
    document.querySelectorAll('[data-question-key="' + key + '"]').forEach(function (element) {
      if (isHidden(element)) { return; }
      if (element.dataset.answered === "true") { values.push("answered"); }
      var fields = /^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName) ? [element] : element.querySelectorAll("input, select, textarea");
      fields.forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.checked) { values.push(field.value); }
        } else if (field.type === "file") {
          if (field.files && field.files.length) { values.push("answered"); }
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.selectedOptions, function (option) { values.push(option.value); });
        } else if (field.value && field.value.trim() && field.type !== "submit") {
          values.push(field.value.trim());
        }
      });
    });
    return values;
  }

  function holds(condition) {
    var given = valuesOf(condition.key);
    var wanted = (condition.values || []).map(String);
    if (condition.op === "equals") { return wanted.length > 0 && given.indexOf(wanted[0]) !== -1; }
    if (condition.op === "one_of") { return given.some(function (value) { return wanted.indexOf(value) !== -1; }); }
    return given.length > 0;
  }

  function parse(text) {
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  /* In document order, so a section is settled before its questions and a question before
   * those that depend on it. */
  function applyConditions() {
    var containers = new Map();
    document.querySelectorAll("[data-show-if], [data-in-section]").forEach(function (element) {
      var container = containerOf(element);
      if (!containers.has(container)) { containers.set(container, element); }
    });
    containers.forEach(function (element, container) {
      var condition = element.dataset.showIf ? parse(element.dataset.showIf) : null;
      var show = condition ? holds(condition) : true;
      if (show && element.dataset.inSection) {
        var section = document.querySelector('.form-section[data-section-key="' + element.dataset.inSection + '"]');
        show = !(section && section.hidden);
      }
      container.hidden = !show;
    });
  }

  function formatTotal(group, total) {
    var lang = document.documentElement.lang || "en";
    var text = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(total);
    return (group.dataset.currency ? group.dataset.currency + " " : "") + text;
  }

  function updateTotal(group) {
    var key = group.dataset.totalKey;
    var cell = group.querySelector("[data-total]");
    if (!key || !cell) { return; }
    var total = 0;
    group.querySelectorAll('input[name$="-' + key + '"]').forEach(function (input) {
      var amount = parseFloat((input.value || "").replace(/,/g, ""));
      if (!isNaN(amount)) { total += amount; }
    });
    cell.textContent = formatTotal(group, total);
  }

  function rowIndex(row, name) {
    var field = row.querySelector('[name^="' + name + '-"]');
    var match = field ? field.name.slice(name.length + 1).match(/^(\d+)-/) : null;
    return match ? parseInt(match[1], 10) : 0;
  }

  function clearRow(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") { field.checked = false; }
      else if (field.tagName === "SELECT") { field.selectedIndex = 0; }
      else { field.value = ""; }
    });
  }

  function renumber(group) {
    group.querySelectorAll("tbody tr[data-row] [data-row-number]").forEach(function (cell, index) {
      cell.textContent = String(index + 1);
    });
  }

  function addRow(group) {
    var name = group.dataset.group;
    var body = group.querySelector("tbody");
    var rows = body.querySelectorAll("tr[data-row]");
    var max = parseInt(group.dataset.maxRows || "0", 10);
    if (!rows.length || (max && rows.length >= max)) { return; }
    var last = rows[rows.length - 1];
    var next = 0;
    rows.forEach(function (row) { next = Math.max(next, rowIndex(row, name) + 1); });
    var old = name + "-" + rowIndex(last, name) + "-";
    var fresh = last.cloneNode(true);
    fresh.querySelectorAll("[name], [id], [aria-labelledby]").forEach(function (element) {
      ["name", "id", "aria-labelledby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value && value.indexOf(old) !== -1) { element.setAttribute(attribute, value.replace(old, name + "-" + next + "-")); }
      });
      if (element.name === "remove_row") { element.value = name + "-" + next; }
    });
    clearRow(fresh);
    body.appendChild(fresh);
    renumber(group);
    var first = fresh.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    var button = group.querySelector('button[name="add_row"]');
    if (button && max && rows.length + 1 >= max) { button.hidden = true; }
  }

  function removeRow(button) {
    var group = button.closest(".repeating-group");
    var row = button.closest("tr");
    if (!group || !row) { return; }
    if (group.querySelectorAll("tbody tr[data-row]").length > 1) { row.remove(); } else { clearRow(row); }
    renumber(group);
    var add = group.querySelector('button[name="add_row"]');
    if (add) { add.hidden = false; }
    updateTotal(group);
    applyConditions();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest('button[name="add_row"], button[name="remove_row"]');
    if (!button) { return; }
    event.preventDefault();
    if (button.name === "add_row") {
      var group = document.querySelector('.repeating-group[data-group="' + button.value + '"]');
      if (group) { addRow(group); }
    } else {
      removeRow(button);
    }
  });

  function onChange(event) {
    var group = event.target.closest && event.target.closest(".repeating-group");
    if (group) { updateTotal(group); }
    applyConditions();
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", applyConditions);
  } else {
    applyConditions();
  }
})();
