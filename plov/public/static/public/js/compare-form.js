/* Sammenlign: send the chosen ids as one comma-separated value (sammenlign/?ids=1,2,3). */
(function () {
  var form = document.getElementById("compare-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var boxes = form.querySelectorAll("input[type=checkbox][name=ids]");
    var ids = [];
    boxes.forEach(function (box) { if (box.checked) { ids.push(box.value); box.disabled = true; } });
    var joined = form.querySelector("[data-joined-ids]");
    joined.value = ids.join(",");
    joined.disabled = false;
    window.setTimeout(function () {
      boxes.forEach(function (box) { box.disabled = false; });
      joined.disabled = true;
    }, 0);
  });
})();
