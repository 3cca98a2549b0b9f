// The preview server's warnings panel (build.py serve only; never part of the site): once folded,
// it stays folded over the reloads of this tab while the warnings stay the same (data-key).
(function () {
  "use strict";
  var panel = document.querySelector(".preview-warnings");
  var details = panel && panel.querySelector("details");
  if (!details) return;
  var name = "preview-warnings-folded";
  var key = panel.getAttribute("data-key");
  try {
    if (sessionStorage.getItem(name) === key) details.open = false;
  } catch (e) { /* storage refused: the panel opens on each reload */ }
  details.addEventListener("toggle", function () {
    try {
      if (details.open) sessionStorage.removeItem(name);
      else sessionStorage.setItem(name, key);
    } catch (e) { /* as above */ }
  });
})();
