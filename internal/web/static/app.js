// OpenISMS: conveniences only; every page works without this script.
(function () {
  "use strict";
  // Confirm before destructive or irreversible actions.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Filters submit themselves when a select changes.
  document.addEventListener("change", function (e) {
    if (e.target.matches("form.autosubmit select")) { e.target.form.submit(); }
  });
  // Print buttons print the page (the print stylesheet hides the chrome).
  document.addEventListener("click", function (e) {
    if (e.target.hasAttribute("data-print")) { window.print(); }
  });
  // Copy buttons copy the text of their target.
  document.addEventListener("click", function (e) {
    var id = e.target.getAttribute("data-copy");
    if (id && navigator.clipboard) {
      navigator.clipboard.writeText(document.getElementById(id).textContent);
    }
  });
})();
