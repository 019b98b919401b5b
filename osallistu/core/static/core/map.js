// The map of map questions and map comments: click (or use the arrow keys and Enter)
// to mark a point or the corners of an area. A point is written into the latitude
// and longitude fields, an area as GeoJSON into a hidden field; the server checks
// both. Without this script the map stays hidden and people type an address or
// coordinates. The base map is drawn by the server (see geo.py); nothing is loaded.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var comma = ["fi", "sv"].indexOf(document.documentElement.lang) !== -1;

  function mercator(lat) {
    return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360));
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function written(number) {
    var text = number.toFixed(5);
    return comma ? text.replace(".", ",") : text;
  }

  function parsed(text) {
    var number = parseFloat(String(text).replace(/\s/g, "").replace(",", "."));
    return isFinite(number) ? number : null;
  }

  function setup(box) {
    var svg = box.querySelector("svg");
    var marks = box.querySelector(".map-input__marks");
    var cross = box.querySelector(".map-input__cross");
    var status = box.querySelector(".map-input__status");
    var view = svg.viewBox.baseVal;
    var bbox = box.dataset.bbox.split(",").map(Number);
    var west = bbox[0], south = bbox[1], east = bbox[2], north = bbox[3];
    var top = mercator(north), bottom = mercator(south);
    var area = box.dataset.geometry === "area";
    var latField = box.dataset.lat && document.getElementById(box.dataset.lat);
    var lonField = box.dataset.lon && document.getElementById(box.dataset.lon);
    var geojsonField = box.dataset.geojson && document.getElementById(box.dataset.geojson);
    var corners = [];  // [lon, lat] of an area
    var point = null;  // [lon, lat]
    var cursor = {x: view.width / 2, y: view.height / 2};

    function toXY(lon, lat) {
      return {
        x: view.width * (lon - west) / (east - west),
        y: view.height * (top - mercator(lat)) / (top - bottom)
      };
    }

    function toLonLat(x, y) {
      var merc = top - y * (top - bottom) / view.height;
      var lat = (2 * Math.atan(Math.exp(merc)) - Math.PI / 2) * 180 / Math.PI;
      return [west + x * (east - west) / view.width, lat];
    }

    function round(position) {
      return [Math.round(position[0] * 1e5) / 1e5, Math.round(position[1] * 1e5) / 1e5];
    }

    function districtName(x, y) {
      var found = "";
      box.querySelectorAll(".map__district").forEach(function (path) {
        var at = svg.createSVGPoint();
        at.x = x; at.y = y;
        if (!found && path.isPointInFill && path.isPointInFill(at)) { found = path.dataset.name; }
      });
      return found;
    }

    function districtAt(x, y) {
      var found = districtName(x, y);
      return found ? " " + fill(box.dataset.inDistrict, {name: found}) : "";
    }

    var crossDistrict = null;
    function announceCross() {
      // Tell where the cross is when it moves into another district (or out to sea).
      var found = districtName(cursor.x, cursor.y);
      if (found !== crossDistrict) {
        crossDistrict = found;
        status.textContent = found ? fill(box.dataset.crossIn, {name: found}) : box.dataset.crossOut;
      }
    }

    function shape(name, attributes) {
      var element = document.createElementNS(SVG, name);
      Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
      marks.appendChild(element);
      return element;
    }

    function draw() {
      while (marks.firstChild) { marks.removeChild(marks.firstChild); }
      if (point) {
        var at = toXY(point[0], point[1]);
        shape("circle", {cx: at.x, cy: at.y, r: 7, "class": "map-input__point"});
      }
      if (corners.length) {
        var xy = corners.map(function (corner) { var c = toXY(corner[0], corner[1]); return c.x + "," + c.y; });
        shape(corners.length >= 3 ? "polygon" : "polyline", {points: xy.join(" "), "class": "map-input__area"});
        corners.forEach(function (corner) {
          var c = toXY(corner[0], corner[1]);
          shape("circle", {cx: c.x, cy: c.y, r: 4, "class": "map-input__corner"});
        });
      }
    }

    function drawCross() {
      var size = 12;
      cross.setAttribute("d", "M" + (cursor.x - size) + " " + cursor.y + "h" + 2 * size +
        "M" + cursor.x + " " + (cursor.y - size) + "v" + 2 * size);
    }

    function write() {
      if (area) {
        if (corners.length >= 3) {
          geojsonField.value = JSON.stringify({type: "Polygon", coordinates: [corners.concat([corners[0]])]});
        } else {
          geojsonField.value = "";
        }
      } else {
        latField.value = point ? written(point[1]) : "";
        lonField.value = point ? written(point[0]) : "";
      }
    }

    function mark(x, y) {
      var position = round(toLonLat(x, y));
      var values = {lat: written(position[1]), lon: written(position[0]), count: corners.length + 1};
      if (area) {
        if (corners.length >= Number(box.dataset.maxCorners || Infinity)) {
          status.textContent = box.dataset.tooMany;
          return;
        }
        corners.push(position);
        status.textContent = fill(box.dataset.corner, values) + districtAt(x, y) + " " +
          (corners.length >= 3 ? fill(box.dataset.areaReady, {count: corners.length}) : box.dataset.areaShort);
      } else {
        point = position;
        status.textContent = fill(box.dataset.placed, values) + districtAt(x, y);
      }
      write();
      draw();
    }

    function readFields() {
      if (area) {
        try {
          var ring = JSON.parse(geojsonField.value).coordinates[0];
          corners = ring.slice(0, ring.length - 1);
        } catch (error) { corners = []; }
      } else {
        var lat = parsed(latField.value), lon = parsed(lonField.value);
        point = lat !== null && lon !== null && lon >= west && lon <= east && lat >= south && lat <= north ? [lon, lat] : null;
      }
      draw();
    }

    svg.addEventListener("click", function (event) {
      var at = svg.createSVGPoint();
      at.x = event.clientX; at.y = event.clientY;
      var local = at.matrixTransform(svg.getScreenCTM().inverse());
      cursor = {x: local.x, y: local.y};
      drawCross();
      mark(local.x, local.y);
    });

    svg.addEventListener("keydown", function (event) {
      var step = (event.shiftKey ? 50 : 10) * view.width / 600;
      var moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
      if (moves[event.key]) {
        cursor.x = Math.min(view.width, Math.max(0, cursor.x + moves[event.key][0]));
        cursor.y = Math.min(view.height, Math.max(0, cursor.y + moves[event.key][1]));
        drawCross();
        announceCross();
        event.preventDefault();
      } else if (event.key === "Enter" || event.key === " ") {
        mark(cursor.x, cursor.y);
        event.preventDefault();
      }
    });
    svg.addEventListener("focus", drawCross);
    svg.addEventListener("blur", function () { cross.setAttribute("d", ""); });

    box.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.dataset.action === "undo") { corners.pop(); } else { corners = []; point = null; }
        write();
        draw();
        status.textContent = area && corners.length ?
          fill(box.dataset.areaReady, {count: corners.length}) : box.dataset.removed;
      });
    });

    [latField, lonField].forEach(function (field) {
      if (field) { field.addEventListener("input", readFields); }
    });
    box.hidden = false;
    readFields();
  }

  document.querySelectorAll(".map-input").forEach(setup);
})();
