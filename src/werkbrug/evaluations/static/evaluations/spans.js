// Coding a span: a selection inside a passage's text fills the coding form's positions and text.
// Positions count Unicode code points, as the server does. Without this script the coder types
// the text (or the positions) into the same fields.
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) {
      return;
    }
    var range = selection.getRangeAt(0);
    var container = range.commonAncestorContainer;
    var passage = (container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement);
    passage = passage && passage.closest("[data-passage-text]");
    if (!passage || range.collapsed) {
      return;
    }
    var form = document.getElementById(passage.getAttribute("data-passage-text"));
    if (!form) {
      return;
    }
    var start = offsetIn(passage, range.startContainer, range.startOffset);
    var end = offsetIn(passage, range.endContainer, range.endOffset);
    form.querySelector("[name=start]").value = String(start);
    form.querySelector("[name=end]").value = String(end);
    form.querySelector("[name=quote]").value = range.toString();
    var shown = form.querySelector("[data-span-shown]");
    if (shown) {
      shown.textContent = range.toString();
      shown.hidden = false;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("mouseup", update);
    document.addEventListener("keyup", function (event) {
      if (event.shiftKey) {
        update();
      }
    });
    document.querySelectorAll("form[data-span-form]").forEach(function (form) {
      form.addEventListener("reset", function () {
        var shown = form.querySelector("[data-span-shown]");
        if (shown) {
          shown.hidden = true;
        }
      });
    });
  });
}());
