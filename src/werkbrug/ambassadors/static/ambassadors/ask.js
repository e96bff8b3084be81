// While typing a question: identity warnings and similar answered questions (progressive
// enhancement; without JavaScript the "Check" button gives the same feedback).
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  if (!form) { return; }
  var text = form.querySelector("textarea[name=text]");
  var box = document.getElementById("ask-feedback");
  var url = form.getAttribute("data-check-url");
  var timer = null;
  var last = "";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function render(data) {
    box.textContent = "";
    if (data.warnings.length) {
      var list = el("ul", {}, data.warnings.map(function (w) {
        return el("li", {}, [el("strong", {}, [w.blocking ? box.dataset.notAllowed : box.dataset.warning]), " " + w.message]);
      }));
      box.appendChild(el("div", {"class": "card card--warn"}, [el("h2", {}, [box.dataset.checkTitle]), list]));
    }
    if (data.suggestions.length) {
      var items = data.suggestions.map(function (s) {
        return el("li", {}, [el("a", {href: s.url}, [s.question]), el("br"), el("small", {}, [s.answer])]);
      });
      box.appendChild(el("div", {"class": "card", "id": "suggestions"}, [el("h2", {}, [box.dataset.suggestTitle]), el("ul", {"class": "plain-list"}, items)]));
    }
  }

  function check() {
    var value = text.value.trim();
    if (value === last || value.length < 8) { return; }
    last = value;
    fetch(url + "?text=" + encodeURIComponent(value), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* the Check button still works */ });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
})();
