/* The search form's address field as a WAI-ARIA 1.2 combobox (list autocomplete, manual
 * selection): suggestions from /api/v1/adresser while typing (debounced; an older request is
 * aborted), ArrowDown/ArrowUp move through them (aria-activedescendant: focus stays in the
 * field), Enter puts the chosen suggestion in the field, Escape closes the list, and a polite
 * live region says how many suggestions there are. Without JavaScript the field is a plain
 * text field and the form works as before. No inline script or style (CSP). */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;

  function setUp(input) {
    var url = input.getAttribute("data-suggest-url");
    var listId = input.id + "-forslag";
    var statusId = input.id + "-forslag-status";

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "plov-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label"));
    list.hidden = true;

    var status = document.createElement("div");
    status.id = statusId;
    status.className = "sr-only";
    // A live region, not role=status: the results count stays the page's one status.
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");

    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off"); // the browser's own list would cover ours

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function countText(n) {
      if (n === 0) return input.getAttribute("data-count-none");
      if (n === 1) return input.getAttribute("data-count-one");
      return input.getAttribute("data-count-many").replace("%(n)s", String(n));
    }

    function setActive(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function isOpen() {
      return !list.hidden;
    }

    function render(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "plov-suggestion";
        option.textContent = item.text;
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = countText(found.length);
      if (found.length) open();
      else close();
    }

    function pick(index) {
      var item = items[index];
      if (!item) return;
      input.value = item.text;
      lastQuery = item.text.trim();
      close();
      input.focus();
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      if (query.length < MIN_LENGTH) {
        items = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
        credentials: "omit",
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (body) {
          if (input.value.trim() !== query) return; // typed on meanwhile
          render(body.items || []);
        })
        .catch(function () {
          /* aborted, or offline: the plain field still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "Down") {
        if (!items.length) return;
        event.preventDefault();
        if (!isOpen()) {
          open();
          setActive(event.altKey ? -1 : 0);
        } else if (!event.altKey) {
          setActive(active + 1 < items.length ? active + 1 : 0);
        }
      } else if (key === "ArrowUp" || key === "Up") {
        if (!items.length) return;
        event.preventDefault();
        if (!isOpen()) {
          open();
          setActive(items.length - 1);
        } else {
          setActive(active > 0 ? active - 1 : items.length - 1);
        }
      } else if (key === "Enter") {
        if (isOpen() && active >= 0) {
          event.preventDefault(); // picks; a second Enter searches
          pick(active);
        } else {
          close();
        }
      } else if (key === "Escape" || key === "Esc") {
        if (isOpen()) {
          event.preventDefault();
          close();
        }
      } else if (key === "Tab") {
        close();
      }
    });

    // A click (or tap) on a suggestion picks it; mousedown would otherwise blur the field.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(Array.prototype.indexOf.call(list.children, option));
    });
    input.addEventListener("blur", function () {
      close();
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) setUp(inputs[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
