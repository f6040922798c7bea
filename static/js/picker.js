/* A searchable picker over a long <select data-picker> (e.g. the person of a referral): a text box
   above the list filters its options as one types, without diacritics and case ("szymanska" finds
   "Szymańska"). The select stays the form field, so without JavaScript it works as before; the
   number of matching options is announced to screen readers. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l").replace(/Ł/g, "L").toLowerCase();
  }
  function setup(select, n) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control mb-1";
    box.id = select.id + "-szukaj";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("aria-label", (select.getAttribute("data-picker-label") || "Szukaj") + (label ? ": " + label.textContent.trim() : ""));
    box.placeholder = select.getAttribute("data-picker-placeholder") || "";
    var status = document.createElement("div");
    status.className = "form-text";
    status.setAttribute("aria-live", "polite");
    status.id = select.id + "-liczba";
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    var options = Array.prototype.slice.call(select.options).map(function (o) { return [o, fold(o.text)]; });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (pair) {
        var match = !pair[0].value || words.every(function (w) { return pair[1].indexOf(w) !== -1; });
        pair[0].hidden = !match;
        pair[0].disabled = !match && !pair[0].selected;
        if (match && pair[0].value) { shown += 1; }
      });
      status.textContent = words.length ? (select.getAttribute("data-picker-count") || "Pasuje: ") + shown : "";
      if (words.length && shown > 0) { select.size = Math.min(8, shown + 1); } else { select.removeAttribute("size"); }
    });
  }
  document.querySelectorAll("select[data-picker]").forEach(setup);
})();
