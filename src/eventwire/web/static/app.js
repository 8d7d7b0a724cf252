// eventwire pages: the dyad timeline's zoom (drag to select a date range) and auto-submitting controls.
(function () {
  "use strict";

  function isoDay(ordinal) {
    // Python date ordinals count days from 0001-01-01 (= 1); JavaScript counts ms from 1970-01-01.
    var epochOrdinal = 719163;
    var date = new Date((ordinal - epochOrdinal) * 86400000);
    return date.toISOString().slice(0, 10);
  }

  function svgX(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  }

  function zoomable(svg) {
    var first = Number(svg.dataset.firstDay), last = Number(svg.dataset.lastDay);
    var left = Number(svg.dataset.left), right = Number(svg.dataset.right);
    var brush = svg.querySelector("rect.brush");
    if (!first || !last || !brush) { return; }
    var origin = null;

    function dayAt(x) {
      var share = Math.min(Math.max((x - left) / (right - left), 0), 1);
      return Math.round(first + share * (last - first));
    }
    svg.addEventListener("mousedown", function (event) {
      origin = Math.min(Math.max(svgX(svg, event), left), right);
      brush.setAttribute("x", origin);
      brush.setAttribute("width", 0);
    });
    svg.addEventListener("mousemove", function (event) {
      if (origin === null) { return; }
      var x = Math.min(Math.max(svgX(svg, event), left), right);
      brush.setAttribute("x", Math.min(origin, x));
      brush.setAttribute("width", Math.abs(x - origin));
    });
    window.addEventListener("mouseup", function (event) {
      if (origin === null) { return; }
      var x = Math.min(Math.max(svgX(svg, event), left), right);
      var from = Math.min(origin, x), to = Math.max(origin, x);
      origin = null;
      if (to - from < 6) { brush.setAttribute("width", 0); return; }  // a click, not a drag
      var params = new URLSearchParams(window.location.search);
      params.set("start", isoDay(dayAt(from)));
      params.set("end", isoDay(Math.max(dayAt(to) - 1, dayAt(from))));
      window.location.search = params.toString();
    });
    // A drag must not follow the bar links; a plain click still does.
    svg.addEventListener("click", function (event) {
      if (Number(brush.getAttribute("width")) > 6) { event.preventDefault(); }
    });
  }

  function autoSubmit(form) {
    form.querySelectorAll("select, input[type=date]").forEach(function (field) {
      field.addEventListener("change", function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("svg.timeline").forEach(zoomable);
    var controls = document.getElementById("dyad-controls");
    if (controls) { autoSubmit(controls); }
  });
})();
