// Signature pad: draw with a finger, a pen or the mouse (pointer events, with mouse and
// touch fallbacks); the drawing is sent as a PNG data URL in the hidden "signature" field.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var field = document.getElementById("signature-data");
  var form = document.getElementById("signature-form");
  if (!canvas || !field || !form) { return; }
  // Set here, not in a style attribute (the CSP refuses inline styles): a finger on the pad
  // draws instead of scrolling the page.
  canvas.style.touchAction = "none";
  canvas.style.border = "1px solid #333";
  canvas.style.background = "#fff";
  canvas.style.maxWidth = "100%";
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;
  context.lineWidth = 3;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#111";

  function point(event) {
    var box = canvas.getBoundingClientRect();
    var source = event.touches ? event.touches[0] : event;
    return {
      x: (source.clientX - box.left) * (canvas.width / box.width),
      y: (source.clientY - box.top) * (canvas.height / box.height)
    };
  }
  function start(event) {
    event.preventDefault();
    drawing = true;
    var p = point(event);
    context.beginPath();
    context.moveTo(p.x, p.y);
    context.lineTo(p.x + 0.1, p.y + 0.1);
    context.stroke();
    drawn = true;
  }
  function move(event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    context.lineTo(p.x, p.y);
    context.stroke();
  }
  function stop() { drawing = false; }

  if (window.PointerEvent) {
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    window.addEventListener("pointerup", stop);
  } else {
    canvas.addEventListener("mousedown", start);
    canvas.addEventListener("mousemove", move);
    window.addEventListener("mouseup", stop);
    canvas.addEventListener("touchstart", start);
    canvas.addEventListener("touchmove", move);
    window.addEventListener("touchend", stop);
  }
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
}());
