// Shows how much of an area's money is left while the voter ticks plans.
// The ballot works without this; the server checks every rule again.
(function () {
  "use strict";
  var language = document.documentElement.lang || "fi";
  var money = new Intl.NumberFormat(language === "en" ? "en-IE" : language + "-FI", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });

  function update(group, output) {
    var left = Number(group.dataset.budget);
    group.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      left -= Number(box.dataset.cost);
    });
    var over = left < 0;
    output.textContent = (over ? output.dataset.over : output.dataset.left) + " " +
      money.format(Math.abs(left));
    output.classList.toggle("budget-left--over", over);
  }

  document.querySelectorAll(".plan-choices[data-budget]").forEach(function (group) {
    var output = group.querySelector(".budget-left");
    if (!output) { return; }
    output.hidden = false;
    update(group, output);
    group.addEventListener("change", function () { update(group, output); });
  });
})();
