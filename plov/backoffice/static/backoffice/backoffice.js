/* plov back office: confirmations, and the P-number check while the editor types. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    var submitter = event.submitter;
    if (submitter && submitter.form && submitter.form !== form) return;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();  // nor does the unsaved-changes guard think it was submitted
    }
  }, true);

  /* A table pasted from Word into a rich-text editor: plov's rich text has no tables, and the
     editor ran the cells of a row into one line ("Parbolig9.800 kr."). Each row becomes a
     paragraph, its cells joined by " – " (as the server does with HTML it receives). */
  function tablesAsParagraphs(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(doc.querySelectorAll("table"), function (table) {
      var fragment = doc.createDocumentFragment();
      Array.prototype.forEach.call(table.querySelectorAll("tr"), function (row) {
        var cells = Array.prototype.map.call(row.querySelectorAll("td, th"), function (cell) {
          return cell.textContent.replace(/\s+/g, " ").trim();
        }).filter(Boolean);
        if (!cells.length) return;
        var paragraph = doc.createElement("p");
        paragraph.textContent = cells.join(" \u2013 ");
        fragment.appendChild(paragraph);
      });
      table.parentNode.replaceChild(fragment, table);
    });
    return doc.body.innerHTML;
  }

  document.addEventListener("paste", function (event) {
    var target = event.target;
    var editor = target && target.closest && target.closest('[contenteditable="true"]');
    if (!editor || event.plovTablesDone || !event.clipboardData) return;
    var html = event.clipboardData.getData("text/html");
    if (!html || !/<table/i.test(html)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var data = new DataTransfer();
    data.setData("text/html", tablesAsParagraphs(html));
    data.setData("text/plain", event.clipboardData.getData("text/plain"));
    var again = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    again.plovTablesDone = true;
    target.dispatchEvent(again);
  }, true);

  function setupPNumberCheck() {
    var form = document.getElementById("unit-form");
    var input = document.getElementById("id_p_number");
    var output = document.getElementById("pnumber-check");
    if (!form || !input || !output) return;
    var url = form.getAttribute("data-pnumber-url");
    var timer = null;
    var last = null;
    function check() {
      var value = input.value.replace(/\s+/g, "");
      if (value === last) return;
      last = value;
      if (!value) {
        output.textContent = "";
        output.className = "plov-notice";
        return;
      }
      fetch(url + "?p=" + encodeURIComponent(value), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (!result) return;
          output.className = "plov-notice plov-notice--" + result.level;
          if (result.level === "ok") {
            output.textContent = "P-nummeret er i orden" +
              (result.production_unit ? ": " + result.production_unit.name : "") + ".";
          } else {
            output.textContent = result.message;
          }
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 400);
    });
    input.addEventListener("change", check);
  }

  /* "Tjek ind" without saving: ask first when the form holds changes that are not saved. */
  function setupCheckInGuard() {
    var form = document.getElementById("unit-form");
    var checkIn = document.getElementById("checkin-form");
    if (!form || !checkIn) return;
    function snapshot() {
      return new URLSearchParams(new FormData(form)).toString();
    }
    var saved = null;
    window.setTimeout(function () { saved = snapshot(); }, 1000);  // after the editors start
    checkIn.addEventListener("submit", function (event) {
      var changed = (saved !== null && snapshot() !== saved) ||
        form.getAttribute("data-w-unsaved-force-value") === "true";
      if (changed &&
          !window.confirm("Du har ændringer, som ikke er gemt. Vil du tjekke ind uden at gemme dem?")) {
        event.preventDefault();
        return;
      }
      // Asked (or nothing to lose): the unsaved-changes guard does not ask a second time.
      form.setAttribute("data-w-unsaved-confirmation-value", "false");
    });
  }

  /* Five minutes before the holder's lock expires (no save for PLOV_LOCK_TIMEOUT_MINUTES), and
   * when it has, the lock bar says so: a colleague may then take the lock. */
  var WARN_BEFORE_MS = 5 * 60 * 1000;

  function setupLockExpiry() {
    var bar = document.getElementById("lock-status");
    var warning = document.getElementById("lock-expiry-warning");
    var expires = bar && Date.parse(bar.getAttribute("data-lock-expires") || "");
    if (!warning || !expires) return;
    function update() {
      var left = expires - Date.now();
      if (left <= 0) {
        warning.textContent = "Din lås er udløbet, fordi der ikke er gemt i et stykke tid; en " +
          "kollega kan nu låse enheden. Gem for at forny låsen.";
        warning.hidden = false;
        return;
      }
      if (left <= WARN_BEFORE_MS) {
        var minutes = Math.max(1, Math.ceil(left / 60000));
        warning.textContent = "Din lås udløber om " + minutes + " minut" +
          (minutes === 1 ? "" : "ter") + ". Gem for at beholde den.";
        warning.hidden = false;
      }
      window.setTimeout(update, Math.min(30000, Math.max(1000, left - WARN_BEFORE_MS)));
    }
    update();
  }

  function setup() {
    setupPNumberCheck();
    setupCheckInGuard();
    setupLockExpiry();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
