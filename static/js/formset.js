/* "Add a row" for Django formsets (templates/contracts/partials/formset.html): clones the formset's
   empty form from its <template>, numbers it with TOTAL_FORMS and appends it in place, so goals and
   actions are added without saving first. Without JavaScript the button stays hidden and the
   formset's extra empty rows (and "save to get more") still work. */
(function () {
  "use strict";
  function setup(box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = box.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = box.querySelector("template[data-formset-empty]");
    var rows = box.querySelector("[data-formset-rows]");
    var button = box.querySelector("button[data-formset-add]");
    var status = box.querySelector("[data-formset-status]");
    if (!total || !template || !rows || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var card = holder.firstElementChild;
      rows.appendChild(card);
      total.value = String(index + 1);
      var first = card.querySelector("input:not([type=hidden]), textarea, select");
      if (first) { first.focus(); }
      if (status) { status.textContent = button.getAttribute("data-added-text") || ""; }
    });
  }
  document.querySelectorAll("[data-formset]").forEach(setup);
})();
