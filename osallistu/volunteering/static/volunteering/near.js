// "Near me" in the search: a button that fills the latitude and longitude with the
// device's location. Without this script people type the coordinates (a phone's map
// app shows them) or choose a district; the server checks them the same way.
(function () {
  "use strict";
  var form = document.querySelector("form[data-locate]");
  if (!form || !("geolocation" in navigator)) { return; }
  var lat = form.querySelector("input[name=latitude]");
  var lon = form.querySelector("input[name=longitude]");
  if (!lat || !lon) { return; }
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
  lat.closest("fieldset").appendChild(row);
  button.addEventListener("click", function () {
    status.textContent = form.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = written(position.coords.latitude);
      lon.value = written(position.coords.longitude);
      status.textContent = form.dataset.located;
    }, function () {
      status.textContent = form.dataset.failed;
    }, {timeout: 15000});
  });
})();
