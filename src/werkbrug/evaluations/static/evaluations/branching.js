// Branching in a questionnaire: a question marked data-show-if="q_code" data-show-value="2" is
// shown only while the question q_code has that answer. Without this script every question shows
// with its condition written beside it; the server decides what is required either way.
(function () {
  "use strict";
  function answered(form, name, wanted) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { continue; }
      if (input.closest("[hidden]")) { continue; }
      var value = parseFloat(String(input.value).replace(",", "."));
      if (!isNaN(value) && value === parseFloat(wanted)) { return true; }
    }
    return false;
  }
  function update(form) {
    // In order: a question hidden because of its condition hides the ones that follow from it.
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      block.hidden = !answered(form, block.getAttribute("data-show-if"), block.getAttribute("data-show-value"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-if]")) { return; }
      form.querySelectorAll("[data-show-if] > .branch-hint").forEach(function (hint) { hint.hidden = true; });
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
