/* Min liste: the units a citizen keeps while searching, across result pages, unit pages, the
   maps and compare. Kept in this browser (localStorage), never sent anywhere but as the compare
   page's address (/sammenlign/?ids=1,2,3,4: the first four on the list).

   Without a script (or without localStorage) the pages work through the address alone: the
   result pages' checkboxes submit to compare, compare adds and removes by its address, and the
   `ids` parameter carries the units along (see views_search._context and views_unit).

   The texts come from data-* attributes of #plov-shortlist (base.html), translated there. */
(function () {
  "use strict";
  var KEY = "plov:shortlist:v1";
  var MAX_KEEP = 20;
  var MAX_COMPARE = 4;
  var root = document.getElementById("plov-shortlist");
  if (!root) { return; }
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ":probe", "1");
    storage.removeItem(KEY + ":probe");
  } catch (e) {
    return; // no storage (private mode, blocked): the address-only fallback stays
  }
  var text = root.dataset;
  var compareBase = text.compareUrl;
  var status = document.getElementById("plov-shortlist-status");

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }

  function load() {
    try {
      var list = JSON.parse(storage.getItem(KEY) || "[]");
      if (!Array.isArray(list)) { return []; }
      return list.filter(function (item) {
        return item && /^\d{1,18}$/.test(String(item.id));
      }).map(function (item) {
        return { id: String(item.id), name: String(item.name || ""), url: String(item.url || "") };
      }).slice(0, MAX_KEEP);
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    try { storage.setItem(KEY, JSON.stringify(list.slice(0, MAX_KEEP))); } catch (e) { /* full */ }
    render(list);
  }

  function has(list, id) {
    return list.some(function (item) { return item.id === String(id); });
  }

  function compareUrl(list) {
    var ids = list.slice(0, MAX_COMPARE).map(function (item) { return item.id; });
    return ids.length ? compareBase + "?ids=" + ids.join(",") : compareBase;
  }

  function announce(message) {
    if (!status) { return; }
    // A change of text is what a screen reader reads out: empty first, then the message.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function countText(n) {
    return n === 1 ? text.countOne : format(text.countMany, { n: n });
  }

  function add(unit) {
    var list = load();
    if (has(list, unit.id)) { return list; }
    if (list.length >= MAX_KEEP) {
      announce(format(text.full, { max: MAX_KEEP }));
      return null;
    }
    list.push({ id: String(unit.id), name: unit.name || "", url: unit.url || "" });
    save(list);
    var message = format(text.added, { name: unit.name || "" }) + " " + countText(list.length);
    if (list.length > MAX_COMPARE) { message += " " + format(text.compareFirst, { max: MAX_COMPARE }); }
    announce(message);
    return list;
  }

  function remove(id, name) {
    var list = load().filter(function (item) { return item.id !== String(id); });
    save(list);
    announce(format(text.removed, { name: name || "" }) + " " + countText(list.length));
    return list;
  }

  // --- The header: Min liste (n), a link to compare -------------------------------------------
  var link = document.querySelector("[data-plov-shortlist-link]");
  var count = document.querySelector("[data-plov-shortlist-count]");

  function render(list) {
    if (link) { link.href = compareUrl(list); }
    if (count) {
      count.textContent = list.length ? "(" + list.length + ")" : "";
      count.hidden = !list.length;
    }
    var label = document.querySelector("[data-plov-shortlist-label]");
    if (label) { label.textContent = countText(list.length); }
    syncBoxes(list);
    syncToggles(list);
  }

  // --- Result pages and the maps: the checkboxes are the list -----------------------------
  function boxes() {
    return document.querySelectorAll("input[type=checkbox][data-plov-shortlist-box]");
  }

  function syncBoxes(list) {
    boxes().forEach(function (box) { box.checked = has(list, box.value); });
  }

  boxes().forEach(function (box) {
    box.addEventListener("change", function () {
      var unit = { id: box.value, name: box.dataset.name, url: box.dataset.url };
      if (box.checked) {
        if (!add(unit)) { box.checked = false; }
      } else {
        remove(unit.id, unit.name);
      }
    });
  });

  var compareForm = document.getElementById("compare-form");
  if (compareForm) {
    compareForm.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = compareUrl(load());
    });
  }

  // --- The unit page: Tilføj til sammenligning / Fjern fra Min liste ------------------------
  var toggles = [];
  document.querySelectorAll("[data-plov-shortlist-toggle]").forEach(function (anchor) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = anchor.className;
    button.dataset.id = anchor.dataset.id;
    button.dataset.name = anchor.dataset.name;
    button.dataset.url = anchor.dataset.url;
    button.addEventListener("click", function () {
      if (has(load(), button.dataset.id)) {
        remove(button.dataset.id, button.dataset.name);
      } else {
        add({ id: button.dataset.id, name: button.dataset.name, url: button.dataset.url });
      }
    });
    anchor.parentNode.insertBefore(button, anchor);
    anchor.hidden = true;
    toggles.push(button);
  });

  function syncToggles(list) {
    toggles.forEach(function (button) {
      var kept = has(list, button.dataset.id);
      button.textContent = kept ? text.removeLabel : text.addLabel;
    });
  }

  // --- Compare: its address and the list follow each other ----------------------------------
  var table = document.querySelector("[data-plov-compare]");
  var params = new URLSearchParams(window.location.search);
  if (document.querySelector("[data-plov-compare-page]")) {
    var list = load();
    if (!params.has("ids") && list.length) {
      window.location.replace(compareUrl(list));
      return;
    }
  }
  if (table) {
    var shown = [];
    table.querySelectorAll("[data-plov-compare-unit]").forEach(function (cell) {
      shown.push({ id: cell.dataset.id, name: cell.dataset.name, url: cell.dataset.url });
    });
    // What the table knows (name, address) completes the list's entries.
    var known = load();
    var completed = known.map(function (item) {
      var cell = shown.filter(function (u) { return u.id === item.id; })[0];
      return cell ? { id: item.id, name: cell.name, url: cell.url } : item;
    });
    if (JSON.stringify(completed) !== JSON.stringify(known)) { save(completed); }
    // "Fjern": off the comparison and off the list; the next one kept moves up.
    table.querySelectorAll(".plov-remove").forEach(function (anchor) {
      anchor.addEventListener("click", function (event) {
        var kept = load();
        if (!has(kept, anchor.dataset.id)) { return; } // a shared comparison: the address decides
        event.preventDefault();
        window.location.href = compareUrl(remove(anchor.dataset.id, anchor.dataset.name));
      });
    });
    // "Tilføj": onto the list too.
    var addForm = document.querySelector("form.plov-add");
    if (addForm) {
      addForm.addEventListener("submit", function (event) {
        var select = addForm.querySelector("select");
        var option = select.options[select.selectedIndex];
        var kept = load();
        if (!shown.every(function (u) { return has(kept, u.id); })) { return; }
        event.preventDefault();
        var name = option.textContent.replace(/\s*\([^()]*\)\s*$/, ""); // without "(kommune)"
        add({ id: option.value, name: name, url: "" }); // its address is filled in on arrival
        // The new one is compared: put it in front of those kept beyond the first four.
        var after = load();
        var fresh = after.filter(function (u) { return u.id === option.value; });
        var rest = after.filter(function (u) { return u.id !== option.value; });
        var ordered = rest.slice(0, MAX_COMPARE - 1).concat(fresh, rest.slice(MAX_COMPARE - 1));
        save(ordered);
        window.location.href = compareUrl(ordered);
      });
    }
    // A comparison someone shared, not (all) on this browser's list: offer to keep it.
    var keep = document.querySelector("[data-plov-shortlist-keep]");
    var current = load();
    if (keep && !shown.every(function (u) { return has(current, u.id); })) {
      keep.hidden = false;
      keep.querySelector("button").addEventListener("click", function () {
        shown.forEach(function (u) { add(u); });
        keep.hidden = true;
        announce(countText(load().length));
        showRest();
      });
    }
    // Those kept beyond the ones compared.
    var restBox = document.querySelector("[data-plov-shortlist-rest]");
    var showRest = function () {
      if (!restBox) { return; }
      var ids = shown.map(function (u) { return u.id; });
      var rest = load().filter(function (u) { return ids.indexOf(u.id) < 0; });
      var ul = restBox.querySelector("ul");
      ul.textContent = "";
      rest.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url || "#";
        a.textContent = item.name || item.id;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-tertiary plov-rest-remove";
        button.textContent = text.removeShort;
        var hidden = document.createElement("span");
        hidden.className = "sr-only";
        hidden.textContent = " " + (item.name || item.id);
        button.appendChild(hidden);
        button.addEventListener("click", function () {
          remove(item.id, item.name);
          showRest();
          var heading = restBox.querySelector("h2");
          if (heading) { heading.focus(); }
        });
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button);
        ul.appendChild(li);
      });
      restBox.hidden = !rest.length;
    };
    showRest();
  }

  render(load());
  // Another tab changed the list: follow it.
  window.addEventListener("storage", function (event) { if (event.key === KEY) { render(load()); } });
})();
