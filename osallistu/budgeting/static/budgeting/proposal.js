// The place of a proposal: the map (core/map.js) is moved next to the coordinates it
// fills in, and "Use my current location" is added after them. Without this script
// people write an address or type the coordinates; the server checks them the same way.
(function () {
  "use strict";
  var form = document.querySelector("form[data-locate]");
  if (!form) { return; }
  var lat = form.querySelector("input[name=latitude]");
  var lon = form.querySelector("input[name=longitude]");
  if (!lat || !lon) { return; }
  var place = lon.closest(".field");
  var map = form.querySelector(".map-input");
  if (map) {
    place.after(map);
    place = map;
  }
  if (!("geolocation" in navigator)) { return; }
  var comma = ["fi", "sv"].indexOf(document.documentElement.lang) !== -1;

  function written(number) {
    var text = number.toFixed(5);
    return comma ? text.replace(".", ",") : text;
  }

  var row = document.createElement("p");
  var button = document.createElement("button");
  var status = document.createElement("span");
  button.type = "button";
  button.className = "button button--secondary";
  button.textContent = form.dataset.locate;
  status.setAttribute("role", "status");
  row.appendChild(button);
  row.appendChild(document.createTextNode(" "));
  row.appendChild(status);
  place.after(row);
  button.addEventListener("click", function () {
    status.textContent = form.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = written(position.coords.latitude);
      lon.value = written(position.coords.longitude);
      lon.dispatchEvent(new Event("input"));  // map.js moves its mark
      status.textContent = form.dataset.located;
    }, function () {
      status.textContent = form.dataset.failed;
    }, {timeout: 15000});
  });
})();
