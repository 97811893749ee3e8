/* Keyboard shortcuts of the desk (the help overlay lists them, "?" opens it). None acts while the agent types in a
   field or holds Ctrl, Alt or Meta; Esc leaves a text field so the keys work again. */
(function () {
  "use strict";

  const ORDER_KEY = "anliegen.desk.case-order"; // the last list seen, so j/k on a case page walk that list

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-case-row]"));
  }

  function rememberOrder() {
    const list = rows().map(function (row) { return Number(row.dataset.caseRow); });
    if (!list.length) return;
    try { sessionStorage.setItem(ORDER_KEY, JSON.stringify(list)); } catch (err) { /* private mode: no order */ }
  }

  function storedOrder() {
    try { return JSON.parse(sessionStorage.getItem(ORDER_KEY) || "[]"); } catch (err) { return []; }
  }

  function caseUrl(id) {
    const live = document.getElementById("desk-live");
    return live ? live.dataset.caseUrl.replace("/0/", "/" + Number(id) + "/") : null;
  }

  function move(step) {
    const timeline = document.getElementById("timeline");
    if (timeline) {
      // On a case: the neighbour in the list the agent came from.
      const order = storedOrder();
      const at = order.indexOf(Number(timeline.dataset.caseId));
      const next = at < 0 ? undefined : order[at + step];
      if (next !== undefined) location.assign(caseUrl(next));
      return;
    }
    const list = rows();
    if (!list.length) return;
    const current = list.findIndex(function (row) { return row.classList.contains("kbd-current"); });
    const target = list[Math.max(0, Math.min(list.length - 1, current < 0 ? 0 : current + step))];
    list.forEach(function (row) { row.classList.remove("kbd-current"); });
    target.classList.add("kbd-current");
    const link = target.querySelector("a[href]");
    if (link) link.focus(); // Enter opens it
  }

  function focusComposer(selector) {
    const field = document.querySelector(selector);
    if (!field) return false;
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function solve() {
    const select = document.querySelector("form[action$='/state/'] select[name=state]");
    if (!select || !select.querySelector("option[value=solved]")) return false;
    select.value = "solved";
    select.form.requestSubmit();
    return true;
  }

  function help() {
    const dialog = document.getElementById("desk-keys");
    if (!dialog || dialog.open) return false;
    dialog.showModal(); // a modal dialog: focus moves in, Esc closes it, focus returns
    return true;
  }

  const ACTIONS = {
    j: function () { move(1); return true; },
    k: function () { move(-1); return true; },
    r: function () { return focusComposer(".composer:not(.note) textarea[name=text]"); },
    n: function () { return focusComposer(".composer.note textarea[name=text]"); },
    s: solve,
    "/": function () { return focusComposer(".topbar .search input[name=q]"); },
    "?": help,
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (event.key === "Escape" && typing(event.target) && !document.querySelector("dialog[open]")) {
      event.target.blur();
      return;
    }
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    const action = ACTIONS[event.key];
    if (action && action()) event.preventDefault(); // "/" and "r" must not also type into the focused field
  });

  document.addEventListener("DOMContentLoaded", rememberOrder);
  document.addEventListener("htmx:afterSwap", rememberOrder);
})();
