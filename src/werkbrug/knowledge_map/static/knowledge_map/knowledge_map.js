// Knowledge map: open an item's details beside the map without leaving the page.
// Without this script every item is a plain link that loads the same page with the details
// panel filled in; with it, only the panel is fetched and the map keeps its scroll position.
(function () {
  "use strict";
  var panel = document.getElementById("km-details");
  if (!panel || !window.fetch) { return; }

  function itemFrom(link) {
    if (link.dataset && link.dataset.kmItem) { return link.dataset.kmItem; }
    if (link.classList && link.classList.contains("km-item")) { return link.getAttribute("data-pk"); }
    return null;
  }

  function markSelected(pk) {
    document.querySelectorAll(".km-item.km-selected").forEach(function (el) { el.classList.remove("km-selected"); });
    var link = document.querySelector('.km-item[data-pk="' + pk + '"]');
    if (link) { link.classList.add("km-selected"); }
    document.querySelectorAll(".km-rel-active").forEach(function (el) { el.classList.remove("km-rel-active"); });
    document.querySelectorAll('.km-rel[data-from="' + pk + '"], .km-rel[data-to="' + pk + '"]').forEach(function (el) {
      el.classList.add("km-rel-active");
    });
  }

  function show(pk, href, push) {
    var query = panel.dataset.query;
    var url = panel.dataset.panelUrl.replace("/0/", "/" + pk + "/") + (query ? "?" + query : "");
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
        markSelected(pk);
        var heading = document.getElementById("km-details-heading");
        if (heading && panel.dataset.baseTitle) { document.title = heading.textContent + " · " + panel.dataset.baseTitle; }
        if (push) { history.pushState({ kmItem: pk }, "", href); }
        panel.focus({ preventScroll: window.matchMedia("(min-width: 60rem)").matches });
      })
      .catch(function () { window.location.href = href; });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
    var link = event.target.closest ? event.target.closest("a") : null;
    if (!link) { return; }
    var pk = itemFrom(link);
    if (!pk) { return; }
    event.preventDefault();
    show(pk, link.getAttribute("href"), true);
  });

  window.addEventListener("popstate", function () {
    var match = window.location.search.match(/[?&]item=(\d+)/);
    if (match) { show(match[1], window.location.href, false); } else { window.location.reload(); }
  });
})();
