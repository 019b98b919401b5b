// The ballot page's helpers. The page works without them: its buttons save the ticks
// and the server checks every rule. With them, each tick is saved on the voter's
// shortlist at once, the money left in each area is counted as the voter ticks, and
// the filters and the map are open on wide screens.
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  if (!form) { return; }
  var language = document.documentElement.lang || "fi";
  var money = new Intl.NumberFormat(language === "en" ? "en-IE" : language + "-FI", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector(".ballot-total__status");
  var saveButton = form.querySelector(".ballot-total__save");
  var saving = Promise.resolve();

  function update(group) {
    var output = form.querySelector(".budget-left[data-area='" + group.dataset.area + "']");
    if (!output) { return; }
    var left = Number(group.dataset.budget) - Number(group.dataset.hiddenCost || 0);
    group.querySelectorAll("input.ballot-plan__tick:checked").forEach(function (box) {
      left -= Number(box.dataset.cost);
    });
    var over = left < 0;
    output.textContent = (over ? output.dataset.over : output.dataset.left) + " " +
      money.format(Math.abs(left));
    output.classList.toggle("budget-left--over", over);
  }

  // One tick after another, in the order they were made, so that a tick and its
  // untick never arrive the wrong way round.
  function save(box) {
    var body = new URLSearchParams();
    body.append("plan", box.value);
    body.append("chosen", box.checked ? "1" : "0");
    saving = saving.then(function () {
      return fetch(form.dataset.choose, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"X-CSRFToken": token, "Accept": "application/json"}
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
      });
    }).catch(function () {
      status.textContent = form.dataset.failed;
      saveButton.hidden = false;
    });
  }

  form.querySelectorAll("fieldset.plan-choices[data-budget]").forEach(function (group) {
    group.addEventListener("change", function (event) {
      if (!event.target.classList.contains("ballot-plan__tick")) { return; }
      update(group);
      save(event.target);
    });
  });
  saveButton.hidden = true;  // every tick is saved already

  if (window.matchMedia("(min-width: 48em)").matches) {
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (details) {
      details.open = true;
    });
  }
})();
