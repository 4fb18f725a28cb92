/* The results map: one marker per result, read from the page's GeoJSON (#plov-map-data).
   The base layer is self-hosted: the municipality outlines (data-outlines-url, a static file)
   on the sea's colour, the searched municipality (data-municipality) highlighted, the larger
   towns (data-towns-url) labelled. When the setting PLOV_MAP_TILE_URL is set, its tiles lie
   underneath. The marker icons' URLs come from {% static %} (data-icon-*): Leaflet's own guess
   from leaflet.css's URL fails under hashed static names. The markers have no shadow image
   (Leaflet ships it at one resolution only; search.css draws a CSS drop shadow instead).
   Markers are always clustered (Leaflet.markercluster): on the nationwide map (data-points-url)
   widely, on a municipality's map only those that would overlap, so every marker is a target of
   its own (WCAG 2.5.8); at the highest zoom a cluster spiderfies. The list under the map holds
   the same results for those who cannot use it. */
(function () {
  "use strict";

  function start() {
    var element = document.getElementById("plov-map");
    var source = document.getElementById("plov-map-data");
    var pointsUrl = element ? element.dataset.pointsUrl : "";
    if (!element || (!source && !pointsUrl) || typeof L === "undefined") {
      return;
    }
    if (pointsUrl) {
      /* many points: one cached GeoJSON request, markers clustered */
      fetch(pointsUrl)
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          draw(element, data, 60);
        });
    } else {
      draw(element, JSON.parse(source.textContent), 30);
    }
  }

  /* clusterRadius: markercluster's maxClusterRadius in pixels. */
  function draw(element, data, clusterRadius) {
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(element, {
      zoomControl: false,
      scrollWheelZoom: false,
      maxZoom: 18,
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

    var icon = L.icon({
      iconUrl: element.dataset.iconUrl,
      iconRetinaUrl: element.dataset.iconRetinaUrl,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      className: "plov-marker",
    });
    var bounds = [];
    baseLayer(map, element, !!tileUrl, bounds);
    var markers = L.markerClusterGroup
      ? L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: clusterRadius,
          animate: !still,
          spiderfyOnMaxZoom: true,
        })
      : map;

    (data.features || []).forEach(function (feature) {
      var lon = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var props = feature.properties;
      var marker = L.marker([lat, lon], { icon: icon, title: props.name, alt: props.name, keyboard: true });
      marker.bindPopup(
        function () {
          return popup(props);
        },
        { autoPanPaddingTopLeft: [64, 16], autoPanPaddingBottomRight: [16, 16] }
      );
      marker.addTo(markers);
      bounds.push([lat, lon]);
    });

    if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
    } else {
      map.setView([56.0, 10.8], 6); /* Denmark */
    }
    if (markers !== map) {
      markers.addTo(map); /* after the view is set: the clusters depend on the zoom */
    }
    element.classList.add("plov-map--ready");
  }

  /* The outlines and town labels, each one cached static file fetched once per page. */
  function baseLayer(map, element, hasTiles, bounds) {
    map.createPane("plov-outlines").style.zIndex = 250; /* above tiles, below markers */
    map.createPane("plov-towns").style.zIndex = 450;
    var highlighted = element.dataset.municipality || "";
    if (element.dataset.outlinesUrl) {
      fetch(element.dataset.outlinesUrl)
        .then(function (response) {
          return response.json();
        })
        .then(function (outlines) {
          var layer = L.geoJSON(outlines, {
            pane: "plov-outlines",
            interactive: false,
            style: function (feature) {
              var own = String(feature.properties.code) === highlighted;
              return {
                className: own ? "plov-outline plov-outline--searched" : "plov-outline",
                color: own ? "#004993" : "#8a8f94",
                weight: own ? 2.5 : 0.8,
                fill: !hasTiles || own,
                fillColor: own ? "#fff3c4" : "#f7f5f0",
                fillOpacity: hasTiles ? 0.35 : 1,
              };
            },
          }).addTo(map);
          layer.getLayers().forEach(function (shape) {
            if (String(shape.feature.properties.code) === highlighted) {
              shape.bringToFront();
              /* the whole searched municipality in view, with the results outside it */
              var view = shape.getBounds();
              bounds.forEach(function (point) {
                view.extend(point);
              });
              map.fitBounds(view, { padding: [20, 20], maxZoom: 13, animate: false });
            }
          });
          map.attributionControl.addAttribution(element.dataset.outlinesAttribution || "");
          element.classList.add("plov-map--outlines");
        })
        .catch(function () {
          /* Without outlines the markers and the list still work. */
        });
    }
    if (element.dataset.townsUrl) {
      fetch(element.dataset.townsUrl)
        .then(function (response) {
          return response.json();
        })
        .then(function (towns) {
          towns.forEach(function (town) {
            var label = document.createElement("span");
            label.textContent = town[0];
            L.marker([town[1], town[2]], {
              pane: "plov-towns",
              interactive: false,
              keyboard: false,
              icon: L.divIcon({
                className: "plov-town plov-town--rank" + town[3],
                html: label,
                iconSize: null,
              }),
            }).addTo(map);
          });
        })
        .catch(function () {});
    }
    function zoomClass() {
      element.classList.toggle("plov-map--near", map.getZoom() >= 8);
    }
    map.on("zoomend", zoomClass);
    map.whenReady(zoomClass);
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
