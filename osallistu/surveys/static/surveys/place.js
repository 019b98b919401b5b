// Adds "Use my current location" to the coordinates of a map question. Without it
// people type an address or the coordinates; the server checks them the same way.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) { return; }
  var comma = ["fi", "sv"].indexOf(document.documentElement.lang) !== -1;

  function written(number) {
    var text = number.toFixed(5);
    return comma ? text.replace(".", ",") : text;
  }

  document.querySelectorAll(".survey-coordinates[data-locate]").forEach(function (row) {
    var lat = row.querySelector("input[name$=_lat]");
    var lon = row.querySelector("input[name$=_lon]");
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = row.dataset.locate;
    status.setAttribute("role", "status");
    status.className = "survey-locate-status";
    row.appendChild(button);
    row.appendChild(status);
    button.addEventListener("click", function () {
      status.textContent = row.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = written(position.coords.latitude);
        lon.value = written(position.coords.longitude);
        lon.dispatchEvent(new Event("input"));  // map.js moves its mark
        status.textContent = row.dataset.located;
      }, function () {
        status.textContent = row.dataset.failed;
      }, {timeout: 15000});
    });
  });
})();
