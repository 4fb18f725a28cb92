/* plov back office, every admin page: date fields (plov.backoffice.fields.DanishDateField).
 *
 * A date typed as 1.2.2020, 1/2/2020, 1/2-2020 or 2020-02-01 is shown as 01.02.2020 when the
 * field is left; text that is not a date is left exactly as typed, with the format said under
 * the field (the server refuses it with the same words). Nothing is ever replaced by another
 * date. */
(function () {
  "use strict";

  var HINT = "Skriv datoen som dd.mm.åååå, fx 01.02.2020";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tidy(text) {
    var t = text.trim();
    var m = /^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})$/.exec(t);
    var day, month, year;
    if (m) {
      day = +m[1]; month = +m[2]; year = +m[3];
    } else {
      m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
      if (!m) return null;
      year = +m[1]; month = +m[2]; day = +m[3];
    }
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
      return null;
    }
    return pad(day) + "." + pad(month) + "." + year;
  }

  function note(input) {
    var id = (input.id || input.name) + "-dateformat";
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("p");
      el.id = id;
      el.className = "help-block help-critical plov-date-note";
      el.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", el);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return el;
  }

  /* Removed when the date is readable: an empty note would still move the page, and a click
   * on the button below (which is what left the field) would then miss it. */
  function clear(input) {
    var el = document.getElementById((input.id || input.name) + "-dateformat");
    if (el) {
      el.remove();
      var described = (input.getAttribute("aria-describedby") || "").split(" ")
        .filter(function (id) { return id && id !== el.id; }).join(" ");
      if (described) input.setAttribute("aria-describedby", described);
      else input.removeAttribute("aria-describedby");
      input.removeAttribute("aria-invalid");
    }
  }

  function check(input) {
    var value = input.value;
    if (!value.trim()) {
      clear(input);
      return;
    }
    var tidied = tidy(value);
    if (tidied) {
      if (tidied !== value) {
        input.value = tidied;
      }
      clear(input);
    } else {
      note(input).textContent = HINT;
      input.setAttribute("aria-invalid", "true");
    }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[data-plov-date]")) check(input);
  });
})();
