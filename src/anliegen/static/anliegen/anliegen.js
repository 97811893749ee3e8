/* Behaviour every page shares, kept out of the markup so the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();
