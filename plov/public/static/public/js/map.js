/* The results map: one marker per result, read from the page's GeoJSON (#plov-map-data).
   The tile layer comes from the setting PLOV_MAP_TILE_URL; without it the markers stand on a
   plain background. The list under the map holds the same results for those who cannot use it. */
(function () {
  "use strict";

  function start() {
    var element = document.getElementById("plov-map");
    var source = document.getElementById("plov-map-data");
    if (!element || !source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(element, {
      zoomControl: false,
      scrollWheelZoom: false,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
    });
    L.control
      .zoom({
        zoomInTitle: element.dataset.zoomIn || "+",
        zoomOutTitle: element.dataset.zoomOut || "-",
      })
      .addTo(map);
    map.attributionControl.setPrefix(false);

    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 18,
        attribution: element.dataset.tileAttribution || "",
      }).addTo(map);
    }

    var bounds = [];
    (data.features || []).forEach(function (feature) {
      var lon = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var props = feature.properties;
      var marker = L.marker([lat, lon], { title: props.name, alt: props.name, keyboard: true });
      marker.bindPopup(
        function () {
          return popup(props);
        },
        { autoPanPaddingTopLeft: [64, 16], autoPanPaddingBottomRight: [16, 16] }
      );
      marker.addTo(map);
      bounds.push([lat, lon]);
    });

    if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
    } else {
      map.setView([56.0, 10.8], 6); /* Denmark */
    }
    element.classList.add("plov-map--ready");
  }

  /* The popup as DOM nodes: names and addresses are text, never markup. */
  function popup(props) {
    var box = document.createElement("div");
    box.className = "plov-popup";
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    var name = document.createElement("strong");
    name.appendChild(link);
    box.appendChild(name);
    [props.address, props.distance].forEach(function (text) {
      if (text) {
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      }
    });
    return box;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
