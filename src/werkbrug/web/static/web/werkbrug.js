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
  // Keep the header's unread badge current without a reload (the page shows the count anyway).
  var inbox = document.querySelector("[data-unread-url]");
  if (inbox && window.fetch) {
    var badge = inbox.querySelector("[data-unread-badge]");
    var count = inbox.querySelector("[data-unread-count]");
    var refresh = function () {
      if (document.visibilityState !== "visible") { return; }
      fetch(inbox.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || typeof data.unread !== "number") { return; }
          count.textContent = String(data.unread);
          badge.hidden = data.unread === 0;
        })
        .catch(function () {});
    };
    window.setInterval(refresh, 30000);
    document.addEventListener("visibilitychange", refresh);
  }
})();
