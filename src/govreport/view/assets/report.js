// Audit page: a fact in the list scrolls the source to its box; the box scrolls back.
(function () {
  "use strict";
  var current = [];
  function clear() {
    current.forEach(function (el) { el.classList.remove("current", "hl"); });
    current = [];
  }
  function flash(el, cls) {
    el.classList.add(cls || "current");
    el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    current.push(el);
  }
  function show(tab) {
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.classList.toggle("on", b.getAttribute("data-tab") === tab);
    });
    document.querySelectorAll(".pane").forEach(function (p) {
      p.classList.toggle("on", p.id === "pane-" + tab);
    });
  }
  function goTo(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    el.scrollIntoView({ block: "center", inline: "nearest" });
    return el;
  }
  document.querySelectorAll(".tabs button").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-tab")); });
  });
  document.getElementById("side").addEventListener("click", function (ev) {
    var li = ev.target.closest("li[data-t]");
    if (!li) { return; }
    clear();
    var target = goTo(li.getAttribute("data-t"));
    if (target) { flash(target); }
    flash(li);
    var keys = (li.getAttribute("data-keys") || "").split(" ").filter(Boolean);
    keys.forEach(function (i) {
      var f = document.getElementById("f" + i);
      if (f) { flash(f, "hl"); }
      var t = f && f.getAttribute("data-t") && document.getElementById(f.getAttribute("data-t"));
      if (t) { flash(t, "hl"); }
    });
  });
  document.getElementById("side").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches("li[data-t]")) { ev.target.click(); }
  });
  document.getElementById("source").addEventListener("click", function (ev) {
    var box = ev.target.closest(".box[data-facts]");
    if (!box) { return; }
    clear();
    flash(box);
    var first = box.getAttribute("data-facts").split(" ")[0];
    show("facts");
    box.getAttribute("data-facts").split(" ").forEach(function (i) {
      var li = document.getElementById("f" + i);
      if (li) { flash(li); }
    });
    goTo("f" + first);
  });
})();
