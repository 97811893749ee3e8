/* Bulk actions on a case list: select all, the count of the selection, the target field of the chosen action,
   and the selection kept when a live refresh replaces the list. */
(function () {
  "use strict";
  const form = () => document.getElementById("bulk-form");
  const boxes = () => Array.from(document.querySelectorAll('input[name="cases"][form="bulk-form"]'));

  function showCount() {
    const bar = form();
    if (!bar) return;
    const label = bar.querySelector(".bulk-count");
    const count = boxes().filter((box) => box.checked).length;
    label.textContent = count ? label.dataset.textSome.replace("%(count)s", count) : label.dataset.textNone;
  }

  function showTarget() {
    const bar = form();
    if (!bar) return;
    const action = bar.querySelector('select[name="action"]').value;
    bar.querySelectorAll(".bulk-target").forEach((label) => { label.hidden = label.dataset.for !== action; });
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.classList.contains("select-all")) {
      boxes().forEach((box) => { box.checked = target.checked; });
    }
    if (target.name === "action" && target.form === form()) showTarget();
    showCount();
  });

  let kept = new Set();
  document.addEventListener("htmx:beforeSwap", () => {
    kept = new Set(boxes().filter((box) => box.checked).map((box) => box.value));
  });
  document.addEventListener("htmx:afterSwap", () => {
    boxes().forEach((box) => { if (kept.has(box.value)) box.checked = true; });
    showCount();
  });
  document.addEventListener("DOMContentLoaded", () => { showTarget(); showCount(); });
})();
