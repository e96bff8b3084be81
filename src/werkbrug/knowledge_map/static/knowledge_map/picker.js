// A search box before each select marked data-searchable: typing narrows its options (and their
// theme groups) to those whose title holds the text. Without script the select works as it is.
(function () {
  "use strict";
  function enhance(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.setAttribute("aria-label", select.getAttribute("data-searchable"));
    box.placeholder = select.getAttribute("data-searchable");
    box.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var shown = 0, first = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var any = false;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var hit = !needle || option.textContent.toLowerCase().indexOf(needle) !== -1;
          option.hidden = !hit;
          option.disabled = !hit;
          if (hit) { any = true; shown += 1; if (!first) { first = option; } }
        });
        group.hidden = !any;
      });
      if (needle && first && (select.selectedOptions.length === 0 || select.selectedOptions[0].hidden)) {
        select.value = first.value;
      }
      status.textContent = shown + " " + (shown === 1 ? "item" : "items");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-searchable]"), enhance);
  });
})();
