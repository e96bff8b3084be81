// Knowledge map: details beside the map, focus on an item, zoom and pan, arrow keys along
// relations. Without this script every item is a plain link that loads the same page with the
// details panel filled in and the focus drawn by the server; the map then scrolls in its box.
(function () {
  "use strict";
  var panel = document.getElementById("km-details");
  var svg = document.querySelector("svg.km-svg");
  var scroller = document.querySelector(".km-scroll");
  var live = document.getElementById("km-live");

  function itemFrom(link) {
    if (link.dataset && link.dataset.kmItem) { return link.dataset.kmItem; }
    if (link.classList && link.classList.contains("km-item")) { return link.getAttribute("data-pk"); }
    return null;
  }

  function neighboursOf(pk) {
    var found = [];
    if (!svg) { return found; }
    svg.querySelectorAll('.km-rel[data-from="' + pk + '"], .km-rel[data-to="' + pk + '"]').forEach(function (el) {
      var other = el.getAttribute("data-from") === String(pk) ? el.getAttribute("data-to") : el.getAttribute("data-from");
      if (found.indexOf(other) < 0) { found.push(other); }
    });
    return found;
  }

  // Focus: the item and its neighbours stand out, the rest of the map is dimmed.
  function markSelected(pk) {
    if (!svg) { return; }
    var link = svg.querySelector('.km-item[data-pk="' + pk + '"]');
    var near = neighboursOf(pk);
    svg.classList.toggle("km-focusing", !!link);
    svg.querySelectorAll(".km-item").forEach(function (el) {
      var id = el.getAttribute("data-pk");
      el.classList.remove("km-selected", "km-neighbour", "km-dim");
      if (!link) { return; }
      el.classList.add(id === String(pk) ? "km-selected" : (near.indexOf(id) >= 0 ? "km-neighbour" : "km-dim"));
    });
    svg.querySelectorAll(".km-rel").forEach(function (el) {
      el.classList.toggle("km-rel-active", !!link && (el.getAttribute("data-from") === String(pk) || el.getAttribute("data-to") === String(pk)));
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
        if (push) { history.pushState({ kmItem: pk }, "", href); shownSearch = window.location.search; }
        panel.focus({ preventScroll: window.matchMedia("(min-width: 60rem)").matches });
      })
      .catch(function () { window.location.href = href; });
  }

  if (panel && window.fetch) {
    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
      var link = event.target.closest ? event.target.closest("a") : null;
      if (!link || dragged) { if (link && dragged) { event.preventDefault(); } return; }
      var pk = itemFrom(link);
      if (!pk) { return; }
      event.preventDefault();
      show(pk, link.getAttribute("href"), true);
    });
    // a jump within the page (the skip link, #km-details) also fires popstate: only a change of
    // the address's query is a step back or forward between items
    var shownSearch = window.location.search;
    window.addEventListener("popstate", function () {
      if (window.location.search === shownSearch) { return; }
      shownSearch = window.location.search;
      var match = window.location.search.match(/[?&]item=(\d+)/);
      if (match) { show(match[1], window.location.href, false); } else { window.location.reload(); }
    });
  }

  if (!svg || !scroller) { return; }

  // Arrow keys: from an item to the connected item that lies in that direction (or the next
  // connected item when none does).
  function centre(pk) {
    var rect = svg.querySelector('.km-item[data-pk="' + pk + '"] rect');
    if (!rect) { return null; }
    return { x: +rect.getAttribute("x") + rect.getAttribute("width") / 2, y: +rect.getAttribute("y") + rect.getAttribute("height") / 2 };
  }
  var DIRS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  var cycle = {};
  svg.addEventListener("keydown", function (event) {
    var dir = DIRS[event.key];
    var link = event.target.closest ? event.target.closest(".km-item") : null;
    if (!dir || !link) { return; }
    event.preventDefault();
    var pk = link.getAttribute("data-pk");
    var here = centre(pk);
    var near = neighboursOf(pk);
    if (!near.length) {
      if (live) { live.textContent = link.getAttribute("aria-label") + ": " + (svg.dataset.noLinks || ""); }
      return;
    }
    var best = null, bestScore = Infinity;
    near.forEach(function (other) {
      var c = centre(other);
      if (!c) { return; }
      var dx = c.x - here.x, dy = c.y - here.y;
      var along = dx * dir[0] + dy * dir[1];
      var across = Math.abs(dx * dir[1] - dy * dir[0]);
      if (along <= 0 || across > along * 2) { return; }
      var score = along + across * 2;
      if (score < bestScore) { bestScore = score; best = other; }
    });
    if (best === null) {
      var n = ((cycle[pk] || 0) + (dir[0] + dir[1] > 0 ? 1 : near.length - 1)) % near.length;
      cycle[pk] = n;
      best = near[n];
    }
    var target = svg.querySelector('.km-item[data-pk="' + best + '"]');
    if (target) {
      markSelected(best);
      target.focus();
      if (live) { live.textContent = target.getAttribute("aria-label"); }
    }
  });

  // Zoom (buttons, and + / - on the map) and pan (drag the map, or its scroll bars).
  var zoomBar = document.querySelector(".km-zoom");
  var natural = +svg.getAttribute("data-width") || svg.viewBox.baseVal.width;
  function zoomTo(width) {
    var min = Math.min(scroller.clientWidth, natural) * 0.5;
    width = Math.max(min, Math.min(natural * 2.5, width));
    var ratio = width / svg.getBoundingClientRect().width;
    svg.style.width = width + "px";
    svg.style.minWidth = "0";
    scroller.scrollLeft = (scroller.scrollLeft + scroller.clientWidth / 2) * ratio - scroller.clientWidth / 2;
    scroller.scrollTop = (scroller.scrollTop + scroller.clientHeight / 2) * ratio - scroller.clientHeight / 2;
  }
  function zoom(how) {
    var now = svg.getBoundingClientRect().width;
    if (how === "in") { zoomTo(now * 1.25); } else if (how === "out") { zoomTo(now / 1.25); } else { svg.style.width = ""; svg.style.minWidth = "0"; zoomTo(scroller.clientWidth); }
  }
  if (zoomBar) {
    zoomBar.hidden = false;
    zoomBar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-km-zoom]");
      if (button) { zoom(button.getAttribute("data-km-zoom")); }
    });
  }
  scroller.addEventListener("keydown", function (event) {
    if (event.key === "+" || event.key === "=") { zoom("in"); event.preventDefault(); }
    if (event.key === "-") { zoom("out"); event.preventDefault(); }
  });
  var drag = null, dragged = false;
  scroller.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.pointerType === "touch") { return; }
    drag = { x: event.clientX, y: event.clientY, left: scroller.scrollLeft, top: scroller.scrollTop };
    dragged = false;
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 6) { return; }
    dragged = true;
    scroller.classList.add("km-dragging");
    scroller.scrollLeft = drag.left - dx;
    scroller.scrollTop = drag.top - dy;
  });
  window.addEventListener("pointerup", function () {
    drag = null;
    scroller.classList.remove("km-dragging");
    setTimeout(function () { dragged = false; }, 0);
  });

  // the focus item (from the address) is scrolled into view
  var selected = svg.querySelector(".km-item.km-selected");
  if (selected && selected.scrollIntoView) { selected.scrollIntoView({ block: "nearest", inline: "center" }); }
})();
