// Werkbrug's own small scripts. Everything works without them; they only add comfort.
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="Are you sure?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // Auto-submit filter selects: <select data-autosubmit>
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) { el.form.requestSubmit(); }
  });
})();
