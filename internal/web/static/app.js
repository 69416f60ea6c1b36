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
  // A catalog chooser proposes its suggested score (a threat's frequency,
  // a vulnerability's severity) for a score still empty.
  document.addEventListener("change", function (e) {
    var name = e.target.getAttribute("data-fill");
    var opt = e.target.selectedOptions && e.target.selectedOptions[0];
    var to = name && e.target.form && e.target.form.elements[name];
    if (to && opt && opt.dataset.score && !to.value) { to.value = opt.dataset.score; }
  });
  // Print buttons print the page (the print stylesheet hides the chrome).
  document.addEventListener("click", function (e) {
    if (e.target.hasAttribute("data-print")) { window.print(); }
  });
  // Large uploads (an asset workbook) show their progress, then the
  // server's answer replaces the page; without script the form posts as
  // usual.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (e.defaultPrevented || !f.hasAttribute("data-progress") || !window.FormData || !window.DOMParser) { return; }
    e.preventDefault();
    var bar = f.querySelector("progress"), note = f.querySelector(".progress-note");
    var x = new XMLHttpRequest();
    x.open("POST", f.action);
    x.upload.onprogress = function (p) { if (p.lengthComputable) { bar.value = 100 * p.loaded / p.total; } };
    x.upload.onload = function () { bar.value = 100; if (note) { note.hidden = false; } };
    x.onload = function () {
      var doc = new DOMParser().parseFromString(x.responseText, "text/html");
      document.title = doc.title;
      document.body.replaceWith(doc.body);
    };
    x.onerror = function () { f.removeAttribute("data-progress"); f.submit(); };
    if (bar) { bar.hidden = false; }
    f.querySelector("button[type=submit]").disabled = true;
    x.send(new FormData(f));
  });
  // Copy buttons copy the text of their target.
  document.addEventListener("click", function (e) {
    var id = e.target.getAttribute("data-copy");
    if (id && navigator.clipboard) {
      navigator.clipboard.writeText(document.getElementById(id).textContent);
    }
  });
})();
